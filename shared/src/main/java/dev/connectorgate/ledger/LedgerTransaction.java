package dev.connectorgate.ledger;

import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.model.Incident;
import java.util.List;
import java.util.Optional;

/** One atomic read-decide-write against the ledger. All reads come before the first write. */
public interface LedgerTransaction {

    /**
     * The decisions this Pub/Sub message caused, oldest first: the idempotency key of a redelivery. A request
     * message causes one; an alert that closes an incident causes one per request it released.
     */
    List<GateDecision> decisionsForMessage(String messageId);

    /** The latest decision for this requestId, whichever message carried it. */
    Optional<GateDecision> decisionForRequest(String requestId);

    /** Reservations held on this connector that were not released (expired ones may still be listed). */
    List<Reservation> reservations(String connector);

    /** Reservations held by this build, on any connector. */
    List<Reservation> reservationsOfBuild(String buildId);

    Optional<Incident> incident(String incidentId);

    /** Incidents recorded open, on any connector (alerts may name a connector loosely; the caller matches). */
    List<Incident> openIncidents();

    /** Requests waiting on this connector, oldest first. */
    List<WaitingRequest> waiting(String connector);

    /** Every waiting request on every connector, oldest first: what a tick checks for passed deadlines. */
    List<WaitingRequest> allWaiting();

    /** Records a decision as its requestId's latest and, when given, as one caused by that message. */
    void recordDecision(String messageId, GateDecision decision);

    void reserve(Reservation reservation);

    /** Drops every reservation of this build. */
    void release(String buildId);

    void putIncident(Incident incident);

    void putWaiting(WaitingRequest waiting);

    void removeWaiting(String requestId);
}
