package dev.connectorgate.local;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.ports.DecisionPublisher;
import java.util.ArrayList;
import java.util.List;

/** The embedded default's publisher: keeps every decision published, in order, for the replay to show. */
public final class CollectingPublisher implements DecisionPublisher {
    private final List<GateDecision> published = new ArrayList<>();

    @Override
    public synchronized void publish(GateDecision decision) {
        published.add(decision);
    }

    public synchronized List<GateDecision> published() {
        return List.copyOf(published);
    }
}
