package dev.connectorgate.ports;

import dev.connectorgate.decision.GateDecision;

/** Port: hands a decision to whoever waits for it (production: the gate-decisions topic). */
public interface DecisionPublisher {
    /** Publishes or throws; a throw makes the triggering event fail so Pub/Sub redelivers it. */
    void publish(GateDecision decision);
}
