package dev.connectorgate.ports;

import dev.connectorgate.model.Connector;

/** What asking for a connector can give: the connector, a definite "no such connector", or no answer at all. */
public sealed interface ConnectorLookup {
    record Found(Connector connector) implements ConnectorLookup {
    }

    record NotFound(String name) implements ConnectorLookup {
    }

    /** The inventory could not answer (slow, down, denied); {@code why} goes into the decision. */
    record Unavailable(String why) implements ConnectorLookup {
    }
}
