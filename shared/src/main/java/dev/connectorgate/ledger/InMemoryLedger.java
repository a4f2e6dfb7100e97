package dev.connectorgate.ledger;

import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.model.Incident;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ledger in memory: the embedded default's and the tests'. Transactions are serialized by one lock; writes are
 * staged and applied only when the work returns, so a failing transaction leaves nothing behind. It enforces the
 * reads-before-writes rule so that code which passes here also passes on Firestore.
 */
public final class InMemoryLedger implements Ledger {
    private final Map<String, Map<String, GateDecision>> byMessage = new LinkedHashMap<>();
    private final Map<String, GateDecision> byRequest = new LinkedHashMap<>();
    private final Map<String, Reservation> reservations = new LinkedHashMap<>();
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<String, WaitingRequest> waiting = new LinkedHashMap<>();

    @Override
    public synchronized <T> T inTransaction(Function<LedgerTransaction, T> work) {
        Tx tx = new Tx();
        T result = work.apply(tx);
        tx.writes.forEach(w -> w.accept(this));
        return result;
    }

    /** Every reservation recorded, released ones excluded: for tests and the replay chart. */
    public synchronized List<Reservation> allReservations() {
        return List.copyOf(reservations.values());
    }

    private static final Comparator<WaitingRequest> OLDEST_FIRST =
            Comparator.comparing(WaitingRequest::queuedAt).thenComparing(w -> w.request().requestId());

    private final class Tx implements LedgerTransaction {
        private final List<Consumer<InMemoryLedger>> writes = new ArrayList<>();

        private void read() {
            if (!writes.isEmpty()) {
                throw new IllegalStateException("a ledger transaction read after it wrote (Firestore forbids it)");
            }
        }

        @Override
        public List<GateDecision> decisionsForMessage(String messageId) {
            read();
            return List.copyOf(byMessage.getOrDefault(messageId, Map.of()).values());
        }

        @Override
        public Optional<GateDecision> decisionForRequest(String requestId) {
            read();
            return Optional.ofNullable(byRequest.get(requestId));
        }

        @Override
        public List<Reservation> reservations(String connector) {
            read();
            return reservations.values().stream().filter(r -> r.connector().equals(connector)).toList();
        }

        @Override
        public List<Reservation> reservationsOfBuild(String buildId) {
            read();
            return reservations.values().stream().filter(r -> r.buildId().equals(buildId)).toList();
        }

        @Override
        public Optional<Incident> incident(String incidentId) {
            read();
            return Optional.ofNullable(incidents.get(incidentId));
        }

        @Override
        public List<Incident> openIncidents() {
            read();
            return incidents.values().stream().filter(Incident::open).toList();
        }

        @Override
        public List<WaitingRequest> waiting(String connector) {
            read();
            return waiting.values().stream().filter(w -> w.connector().equals(connector)).sorted(OLDEST_FIRST)
                    .toList();
        }

        @Override
        public List<WaitingRequest> allWaiting() {
            read();
            return waiting.values().stream().sorted(OLDEST_FIRST).toList();
        }

        @Override
        public void recordDecision(String messageId, GateDecision decision) {
            writes.add(l -> {
                if (messageId != null) {
                    // Keyed by requestId (a REJECT without one by "") so a redelivery's re-record replaces, not adds.
                    String key = decision.requestId() == null ? "" : decision.requestId();
                    l.byMessage.computeIfAbsent(messageId, k -> new LinkedHashMap<>()).put(key, decision);
                }
                if (decision.requestId() != null) {
                    l.byRequest.put(decision.requestId(), decision);
                }
            });
        }

        @Override
        public void reserve(Reservation reservation) {
            writes.add(l -> l.reservations.put(reservation.requestId(), reservation));
        }

        @Override
        public void release(String buildId) {
            writes.add(l -> l.reservations.values().removeIf(r -> r.buildId().equals(buildId)));
        }

        @Override
        public void putIncident(Incident incident) {
            writes.add(l -> l.incidents.put(incident.incidentId(), incident));
        }

        @Override
        public void putWaiting(WaitingRequest w) {
            writes.add(l -> l.waiting.put(w.request().requestId(), w));
        }

        @Override
        public void removeWaiting(String requestId) {
            writes.add(l -> l.waiting.remove(requestId));
        }
    }
}
