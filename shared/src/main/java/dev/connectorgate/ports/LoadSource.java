package dev.connectorgate.ports;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.Load;
import java.util.Optional;

/** Port: the connector's live load that no reservation covers (production: the Monitoring API). */
public interface LoadSource {
    /** The latest load reading, or empty when none can be had; freshness is judged by the caller from observedAt. */
    Optional<Load> load(Connector connector);
}
