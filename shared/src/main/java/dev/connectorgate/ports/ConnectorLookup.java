package dev.connectorgate.ports;

import dev.connectorgate.model.Connector;

/** What asking for a connector can give: the connector, a definite "no such connector", or no answer at all. */
public sealed interface ConnectorLookup {
    /**
     * @param degraded null for a fresh answer; otherwise how this answer is not one (served from a cache through an
     *                 outage), for the decision's account of its inputs
     */
    record Found(Connector connector, String degraded) implements ConnectorLookup {
        public Found(Connector connector) {
            this(connector, null);
        }
    }

    record NotFound(String name) implements ConnectorLookup {
    }

    /** The inventory could not answer (slow, down, denied); {@code why} goes into the decision. */
    record Unavailable(String why) implements ConnectorLookup {
    }
}
