package dev.connectorgate.gcp;

import com.google.api.core.ApiFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.firestore.Precondition;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.TransactionOptions;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.ledger.Ledger;
import dev.connectorgate.ledger.LedgerTransaction;
import dev.connectorgate.ledger.WaitingRequest;
import dev.connectorgate.model.Incident;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The ledger on Firestore: what the deployed functions share, so that instances deciding at once never overbook a
 * connector. The document layout and why it serializes admissions is in LEDGER.md beside this class.
 *
 * <p>Each {@link #inTransaction} is one Firestore transaction. Firestore re-runs the work when the transaction
 * conflicts with another, which is why the port demands side-effect-free work. Writes are staged and handed to
 * Firestore only when the work returns, so a work that throws writes nothing.
 */
public final class FirestoreLedger implements Ledger {
    public static final String DEFAULT_PREFIX = "gate";
    /** Under the functions' default 60 s timeout, so the ledger fails cleanly before the platform kills the call. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(45);
    /** Firestore's own default number of attempts of a contended transaction. */
    public static final int DEFAULT_ATTEMPTS = 5;
    private static final long MAX_RACE_PAUSE_MILLIS = 500;

    private static final String MESSAGES = "messages";
    private static final String REQUESTS = "requests";
    private static final String CONNECTORS = "connectors";
    private static final String RESERVATIONS = "reservations";
    private static final String INCIDENTS = "incidents";
    private static final String WAITING = "waiting";

    private static final Comparator<WaitingRequest> OLDEST_FIRST =
            Comparator.comparing(WaitingRequest::queuedAt).thenComparing(w -> w.request().requestId());

    /**
     * Runs the work of transactions. The work blocks on its reads; on the client's own small executor a few blocked
     * works would hold up every other transaction's callbacks in the process.
     */
    private static final ExecutorService WORK_EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "firestore-ledger-work");
        thread.setDaemon(true);
        return thread;
    });

    private final Firestore db;
    private final String prefix;
    private final Duration timeout;
    private final TransactionOptions options;

    public FirestoreLedger(Firestore db, String collectionPrefix) {
        this(db, collectionPrefix, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS);
    }

    /**
     * @param collectionPrefix every collection is named {@code <prefix>_<name>}: tests and environments sharing one
     *                         database keep apart
     * @param timeout          how long one transaction may take, all its attempts included
     * @param attempts         how often Firestore may run a contended transaction before giving up
     */
    public FirestoreLedger(Firestore db, String collectionPrefix, Duration timeout, int attempts) {
        this.db = Objects.requireNonNull(db, "db");
        if (!collectionPrefix.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("collection prefix must be letters, digits or '-', got "
                    + collectionPrefix);
        }
        this.prefix = collectionPrefix;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.options = TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(attempts)
                .setExecutor(WORK_EXECUTOR).build();
    }

    /**
     * Runs the work in one Firestore transaction and returns its result. A transaction that lost the race for a
     * connector (another admission on it committed after this one read its reservations) is run again, afresh, until
     * the timeout.
     *
     * @throws LedgerException when Firestore failed or the time ran out; the work's own exceptions pass unchanged
     */
    @Override
    public <T> T inTransaction(Function<LedgerTransaction, T> work) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int race = 1; ; race++) {
            // Set when the attempt wrote a connector's lock document on condition: only then does a failed
            // precondition mean a lost race (a query wanting a missing index fails with FAILED_PRECONDITION too).
            AtomicBoolean guarded = new AtomicBoolean();
            ApiFuture<T> result = db.runTransaction(t -> {
                Tx tx = new Tx(t);
                T value = work.apply(tx);
                guarded.set(tx.flush());
                return value;
            }, options);
            try {
                return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // The client may still commit after this; the caller's retry then finds the decision already made.
                result.cancel(true);
                throw new LedgerException("ledger transaction did not finish within " + timeout.toSeconds() + " s",
                        true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.cancel(true);
                throw new LedgerException("interrupted while waiting for a ledger transaction", true, e);
            } catch (ExecutionException e) {
                if (!guarded.get() || !lostRace(e.getCause())) {
                    throw translate(e.getCause());
                }
                pause(race, deadline);
            }
        }
    }

    /** The connector document's precondition failed: another admission on that connector committed first. */
    private static boolean lostRace(Throwable cause) {
        Optional<StatusCode.Code> code = statusOf(cause);
        return code.isPresent()
                && (code.get() == StatusCode.Code.FAILED_PRECONDITION || code.get() == StatusCode.Code.ALREADY_EXISTS);
    }

    /** A random pause before another go, growing with the races lost, so that contenders spread out. */
    private static void pause(int race, long deadline) {
        long bound = Math.min(MAX_RACE_PAUSE_MILLIS, 10L << Math.min(race, 10));
        long millis = ThreadLocalRandom.current().nextLong(bound + 1);
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= millis) {
            throw new LedgerException("ledger transaction lost " + race + " races for its connector and ran out of "
                    + "time", true, null);
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting to retry a ledger transaction", true, e);
        }
    }

    /** Firestore's failures become LedgerExceptions that say whether a retry can cure them; others pass as they are. */
    private static RuntimeException translate(Throwable cause) {
        Optional<StatusCode.Code> code = statusOf(cause);
        if (code.isPresent()) {
            boolean curable = switch (code.get()) {
                case ABORTED, UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN, CANCELLED -> true;
                default -> false;
            };
            return new LedgerException("Firestore " + code.get() + (curable ? " (transient)" : "") + ": "
                    + cause.getMessage(), curable, cause);
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new LedgerException("ledger transaction failed: " + cause, false, cause);
    }

    private static Optional<StatusCode.Code> statusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ApiException api) {
                return Optional.of(api.getStatusCode().getCode());
            }
            if (c instanceof FirestoreException fe && fe.getStatus() != null) {
                return Optional.of(StatusCode.Code.valueOf(fe.getStatus().getCode().name()));
            }
        }
        return Optional.empty();
    }

    /**
     * The ledger could not run a transaction. Thrown out of a function it fails the delivery, and Pub/Sub delivers
     * the message again later; {@link #transientFailure()} tells the log whether waiting can cure it (contention, an
     * outage, the time running out) or someone must act (permissions, a missing database).
     */
    public static final class LedgerException extends RuntimeException {
        private final boolean transientFailure;

        LedgerException(String message, boolean transientFailure, Throwable cause) {
            super(message, cause);
            this.transientFailure = transientFailure;
        }

        public boolean transientFailure() {
            return transientFailure;
        }
    }

    private CollectionReference collection(String name) {
        return db.collection(prefix + "_" + name);
    }

    private DocumentReference doc(String collection, String key) {
        return collection(collection).document(LedgerCodec.docId(key));
    }

    /**
     * What a transaction read of one connector: its lock document (its version, and its update time, null while it
     * does not exist) and the reservations held on it.
     */
    private record ConnectorRead(long version, Timestamp updateTime, List<Reservation> reservations) {
    }

    /** One staged change to the reservations, kept in call order: a release covers what was reserved before it. */
    private sealed interface ReservationOp {
        record Reserve(Reservation reservation) implements ReservationOp {
        }

        record Release(String buildId) implements ReservationOp {
        }
    }

    /**
     * One attempt of a transaction. Reads go to Firestore at once and are remembered, so that asking twice gives one
     * answer; a connector's reservations are read outside the Firestore transaction (see readConnector), everything
     * else inside it. Writes are staged until {@link #flush}, which first reads what the writes need but the work did
     * not read, then writes each touched document exactly once.
     */
    private final class Tx implements LedgerTransaction {
        private final Transaction t;
        private boolean wrote;

        private final Map<String, List<MessageEntry>> messageReads = new HashMap<>();
        private final Map<String, Optional<GateDecision>> requestReads = new HashMap<>();
        private final Map<String, ConnectorRead> connectorReads = new HashMap<>();
        private final Map<String, List<Reservation>> buildReads = new HashMap<>();

        private final Map<String, List<GateDecision>> messageWrites = new LinkedHashMap<>();
        private final Map<String, GateDecision> requestWrites = new LinkedHashMap<>();
        private final List<ReservationOp> reservationOps = new ArrayList<>();
        private final Map<String, Incident> incidentWrites = new LinkedHashMap<>();
        /** requestId → the request to queue, or empty to remove it. */
        private final Map<String, Optional<WaitingRequest>> waitingWrites = new LinkedHashMap<>();

        Tx(Transaction t) {
            this.t = t;
        }

        private void read() {
            if (wrote) {
                throw new IllegalStateException("a ledger transaction read after it wrote (Firestore forbids it)");
            }
        }

        private void write() {
            wrote = true;
        }

        @Override
        public List<GateDecision> decisionsForMessage(String messageId) {
            read();
            if (messageId == null) {
                return List.of();
            }
            return readMessage(messageId).stream().map(MessageEntry::decision).toList();
        }

        @Override
        public Optional<GateDecision> decisionForRequest(String requestId) {
            read();
            return requestReads.computeIfAbsent(requestId, id -> {
                DocumentSnapshot s = await(t.get(doc(REQUESTS, id)));
                return s.exists() ? Optional.of(DecisionJson.read(s.getString("decision"))) : Optional.empty();
            });
        }

        @Override
        public List<Reservation> reservations(String connector) {
            read();
            return readConnector(connector).reservations();
        }

        @Override
        public List<Reservation> reservationsOfBuild(String buildId) {
            read();
            return readBuild(buildId);
        }

        @Override
        public Optional<Incident> incident(String incidentId) {
            read();
            DocumentSnapshot s = await(t.get(doc(INCIDENTS, incidentId)));
            return s.exists() ? Optional.of(LedgerCodec.incident(s.getData())) : Optional.empty();
        }

        @Override
        public List<Incident> openIncidents() {
            read();
            return query(collection(INCIDENTS).whereEqualTo("open", true)).stream()
                    .map(s -> LedgerCodec.incident(s.getData())).toList();
        }

        @Override
        public List<WaitingRequest> waiting(String connector) {
            read();
            // Sorted here, not by the query: where + orderBy on two fields would need a composite index.
            return query(collection(WAITING).whereEqualTo("connector", connector)).stream()
                    .map(s -> LedgerCodec.waiting(s.getData())).sorted(OLDEST_FIRST).toList();
        }

        @Override
        public List<WaitingRequest> allWaiting() {
            read();
            return query(collection(WAITING)).stream().map(s -> LedgerCodec.waiting(s.getData()))
                    .sorted(OLDEST_FIRST).toList();
        }

        @Override
        public void recordDecision(String messageId, GateDecision decision) {
            write();
            if (messageId != null) {
                messageWrites.computeIfAbsent(messageId, k -> new ArrayList<>()).add(decision);
            }
            if (decision.requestId() != null) {
                requestWrites.put(decision.requestId(), decision);
            }
        }

        @Override
        public void reserve(Reservation reservation) {
            write();
            reservationOps.add(new ReservationOp.Reserve(reservation));
        }

        @Override
        public void release(String buildId) {
            write();
            reservationOps.add(new ReservationOp.Release(buildId));
        }

        @Override
        public void putIncident(Incident incident) {
            write();
            incidentWrites.put(incident.incidentId(), incident);
        }

        @Override
        public void putWaiting(WaitingRequest w) {
            write();
            waitingWrites.put(w.request().requestId(), Optional.of(w));
        }

        @Override
        public void removeWaiting(String requestId) {
            write();
            waitingWrites.put(requestId, Optional.empty());
        }

        private List<MessageEntry> readMessage(String messageId) {
            return messageReads.computeIfAbsent(messageId, id -> {
                DocumentSnapshot s = await(t.get(doc(MESSAGES, id)));
                return s.exists() ? MessageEntry.fromDocument(s) : List.of();
            });
        }

        /**
         * Reads the connector's lock document, then its reservations, outside the Firestore transaction: no lock is
         * held on them, so deciders on one connector do not deadlock upgrading shared locks (the emulator then
         * stalls for its lock timeout). What makes this safe is the write: an admission replaces the lock document
         * only if it is unchanged since this read (see bump). The lock document is read first, so any admission
         * committed between the two reads shows in the reservations and fails that precondition as well.
         */
        private ConnectorRead readConnector(String connector) {
            return connectorReads.computeIfAbsent(connector, c -> {
                DocumentSnapshot s = await(doc(CONNECTORS, c).get());
                List<QueryDocumentSnapshot> held =
                        await(collection(RESERVATIONS).whereEqualTo("connector", c).get()).getDocuments();
                Long version = s.exists() ? s.getLong("version") : null;
                return new ConnectorRead(version == null ? 0 : version, s.exists() ? s.getUpdateTime() : null,
                        held.stream().map(h -> LedgerCodec.reservation(h.getData())).toList());
            });
        }

        private List<Reservation> readBuild(String buildId) {
            return buildReads.computeIfAbsent(buildId,
                    b -> query(collection(RESERVATIONS).whereEqualTo("buildId", b)).stream()
                            .map(s -> LedgerCodec.reservation(s.getData())).toList());
        }

        private List<QueryDocumentSnapshot> query(Query q) {
            return await(t.get(q)).getDocuments();
        }

        /**
         * Reads what the staged writes depend on, then hands every write to the Firestore transaction.
         *
         * @return whether a connector's lock document was written on condition
         */
        boolean flush() {
            messageWrites.keySet().forEach(this::readMessage);
            Map<String, Optional<Reservation>> finalReservations = new LinkedHashMap<>();
            // connector → the newest decision reserving on it: the "now" before which its leases have ended.
            Map<String, Instant> reservedOn = new LinkedHashMap<>();
            for (ReservationOp op : reservationOps) {
                if (op instanceof ReservationOp.Reserve r) {
                    reservedOn.merge(r.reservation().connector(), r.reservation().decidedAt(),
                            (a, b) -> a.isAfter(b) ? a : b);
                    readConnector(r.reservation().connector());
                    finalReservations.put(r.reservation().requestId(), Optional.of(r.reservation()));
                } else if (op instanceof ReservationOp.Release rel) {
                    readBuild(rel.buildId()).forEach(r -> finalReservations.put(r.requestId(), Optional.empty()));
                    finalReservations.replaceAll((id, r) -> r.filter(x -> !x.buildId().equals(rel.buildId())));
                }
            }
            messageWrites.forEach((messageId, decisions) -> t.set(doc(MESSAGES, messageId),
                    MessageEntry.document(messageId, merged(readMessage(messageId), decisions))));
            requestWrites.forEach((requestId, d) -> t.set(doc(REQUESTS, requestId), requestDocument(d)));
            reservedOn.forEach((connector, now) -> bump(connector, now, finalReservations));
            finalReservations.forEach((requestId, r) -> {
                DocumentReference ref = doc(RESERVATIONS, requestId);
                if (r.isPresent()) {
                    t.set(ref, LedgerCodec.reservation(r.get()));
                } else {
                    t.delete(ref);
                }
            });
            incidentWrites.forEach((id, i) -> t.set(doc(INCIDENTS, id), LedgerCodec.incident(i)));
            waitingWrites.forEach((id, w) -> {
                if (w.isPresent()) {
                    t.set(doc(WAITING, id), LedgerCodec.waiting(w.get()));
                } else {
                    t.delete(doc(WAITING, id));
                }
            });
            return !reservedOn.isEmpty();
        }

        /**
         * Replaces the connector's lock document, on condition that nobody did since this transaction read it: of
         * two admissions on one connector that read the same reservations, the second to commit fails with
         * FAILED_PRECONDITION (ALREADY_EXISTS for the first document) and is run again. Also drops the connector's
         * reservations that ended before {@code now}: they count for nothing any more, and every admission reads
         * them all.
         */
        private void bump(String connector, Instant now, Map<String, Optional<Reservation>> finalReservations) {
            ConnectorRead read = connectorReads.get(connector);
            for (Reservation r : read.reservations()) {
                if (!finalReservations.containsKey(r.requestId()) && !r.activeAt(now)) {
                    finalReservations.put(r.requestId(), Optional.empty());
                }
            }
            Map<String, Object> lock = new LinkedHashMap<>();
            lock.put("connector", connector);
            lock.put("version", read.version() + 1);
            lock.put("updatedAt", now.toString());
            DocumentReference ref = doc(CONNECTORS, connector);
            if (read.updateTime() == null) {
                t.create(ref, lock);
            } else {
                t.update(ref, lock, Precondition.updatedAt(read.updateTime()));
            }
        }
    }

    /** A message's decisions: an earlier one for the same requestId is replaced where it stands, new ones appended. */
    private static List<MessageEntry> merged(List<MessageEntry> recorded, List<GateDecision> added) {
        List<MessageEntry> out = new ArrayList<>(recorded);
        for (GateDecision d : added) {
            MessageEntry e = new MessageEntry(d.requestId() == null ? "" : d.requestId(), d);
            int at = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).key().equals(e.key())) {
                    at = i;
                }
            }
            if (at >= 0) {
                out.set(at, e);
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static Map<String, Object> requestDocument(GateDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", d.requestId());
        m.put("buildId", d.buildId());
        m.put("connector", d.connector());
        m.put("verdict", d.verdict().name());
        m.put("decidedAt", d.decidedAt().toString());
        m.put("decision", DecisionJson.write(d));
        return m;
    }

    /**
     * One decision a message caused, under its requestId ("" for a REJECT without one).
     */
    private record MessageEntry(String key, GateDecision decision) {
        @SuppressWarnings("unchecked")
        static List<MessageEntry> fromDocument(DocumentSnapshot s) {
            List<Map<String, Object>> entries = (List<Map<String, Object>>) s.get("decisions");
            List<MessageEntry> out = new ArrayList<>();
            for (Map<String, Object> e : entries) {
                out.add(new MessageEntry((String) e.get("key"), DecisionJson.read((String) e.get("decision"))));
            }
            return List.copyOf(out);
        }

        static Map<String, Object> document(String messageId, List<MessageEntry> entries) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (MessageEntry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key", e.key());
                m.put("decision", DecisionJson.write(e.decision()));
                list.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("messageId", messageId);
            doc.put("decisions", list);
            return doc;
        }
    }

    /**
     * Waits for one read of the running attempt. Firestore's own failure is rethrown as it is, so that the client
     * sees an ABORTED read and runs the attempt again.
     */
    private static <V> V await(ApiFuture<V> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while reading the ledger", true, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new LedgerException("ledger read failed: " + e.getCause(), false, e.getCause());
        }
    }
}
