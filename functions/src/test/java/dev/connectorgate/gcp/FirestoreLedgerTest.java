package dev.connectorgate.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.Firestore;
import dev.connectorgate.admission.GateService;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.decision.CapacitySnapshot;
import dev.connectorgate.decision.Gate;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Remedy;
import dev.connectorgate.decision.Verdict;
import dev.connectorgate.events.PubSubMessage;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.ledger.WaitingRequest;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Incident;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.ConnectorLookup;
import dev.connectorgate.time.SettableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Firestore ledger against the emulator: the in-memory ledger's behaviour record by record, the gate service's
 * idempotence on top of it, and concurrent deciders on one connector that must never overbook it.
 */
class FirestoreLedgerTest {
    static final String CONNECTOR = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    static final String OTHER = "projects/netra-staging/locations/us-central1/connectors/other-connector";
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    /** The seed connector: 2 × e2-micro = 200 Mbps, 160 usable at 0.8, minus a 20 Mbps baseline. */
    static final double HEADROOM = 140;

    private final Firestore db = FirestoreEmulator.get().firestore();
    private FirestoreLedger ledger;
    private SettableClock clock;
    private GateService service;

    @BeforeEach
    void freshLedger() {
        ledger = new FirestoreLedger(db, FirestoreEmulator.freshPrefix("ledger"));
        clock = new SettableClock(T0);
        service = service(ledger, clock);
    }

    static GateService service(FirestoreLedger ledger, Clock clock) {
        return new GateService(new Gate(new WavePlanner(), Policy.DEFAULT), ledger,
                name -> name.equals(CONNECTOR)
                        ? new ConnectorLookup.Found(new Connector(CONNECTOR, MachineType.E2_MICRO, 2, 3, 2,
                                ConnectorState.READY))
                        : new ConnectorLookup.NotFound(name),
                c -> Optional.of(new Load(20, clock.instant(), "test")), clock, (s, m, f) -> { });
    }

    // ---- records, one kind at a time -------------------------------------------------------------------------

    @Test
    void shouldKeepEveryDecisionAMessageCausedInOrderAndTheLatestPerRequest() {
        GateDecision allow = allow("r1", T0);
        GateDecision reject = Gate.reject(null, null, null, List.of("message.data: not JSON"), T0);
        GateDecision wait = new GateDecision("r2", "r2", CONNECTOR, Verdict.WAIT, List.of("incident open"), T0,
                capacity(), null, null, List.of(new Remedy.RetryAfter(60, "when it closes")), 60L, List.of("load"));
        String messageId = "m/1.__x__";
        ledger.inTransaction(tx -> {
            tx.recordDecision(messageId, wait);
            tx.recordDecision(messageId, reject);
            return null;
        });
        GateDecision allowR2 = new GateDecision("r2", "r2", CONNECTOR, Verdict.ALLOW, List.of(), T0.plusSeconds(9),
                capacity(), allow.plan(), 6000L, List.of(), null, List.of());
        ledger.inTransaction(tx -> {
            tx.recordDecision(messageId, allowR2);
            tx.recordDecision("m2", allow);
            tx.recordDecision(null, allow);
            return null;
        });

        assertThat(forMessage(messageId)).containsExactly(allowR2, reject);
        assertThat(forMessage("m2")).containsExactly(allow);
        assertThat(forMessage("unknown")).isEmpty();
        assertThat(forRequest("r2")).contains(allowR2);
        assertThat(forRequest("r1")).contains(allow);
        assertThat(forRequest("r3")).isEmpty();
        assertThat(forMessage(null)).isEmpty();
    }

    @Test
    void shouldFindReservationsByConnectorAndByBuildAndReleaseABuild() {
        Reservation r1 = reservation("r1", "b1", CONNECTOR, T0);
        Reservation r2 = reservation("r2", "b1", OTHER, T0);
        Reservation r3 = reservation("r3", "b2", CONNECTOR, T0);
        ledger.inTransaction(tx -> {
            tx.reserve(r1);
            tx.reserve(r2);
            tx.reserve(r3);
            return null;
        });

        assertThat(reservationsOn(CONNECTOR)).containsExactlyInAnyOrder(r1, r3);
        assertThat(ofBuild("b1")).containsExactlyInAnyOrder(r1, r2);
        ledger.inTransaction(tx -> {
            tx.reservationsOfBuild("b1");
            tx.release("b1");
            return null;
        });
        assertThat(reservationsOn(CONNECTOR)).containsExactly(r3);
        assertThat(reservationsOn(OTHER)).isEmpty();
        assertThat(ofBuild("b1")).isEmpty();
    }

    @Test
    void shouldReleaseAReservationMadeEarlierInTheSameTransactionButNotOneMadeLater() {
        ledger.inTransaction(tx -> {
            tx.reserve(reservation("r1", "b1", CONNECTOR, T0));
            tx.release("b1");
            tx.release("b2");
            tx.reserve(reservation("r2", "b2", CONNECTOR, T0));
            return null;
        });
        assertThat(reservationsOn(CONNECTOR)).extracting(Reservation::requestId)
                .containsExactly("r2");
    }

    @Test
    void shouldDropReservationsThatHaveEndedWhenItNextReservesOnTheirConnector() {
        Reservation ended = reservation("old", "b1", CONNECTOR, T0);
        Reservation elsewhere = reservation("elsewhere", "b2", OTHER, T0);
        ledger.inTransaction(tx -> {
            tx.reserve(ended);
            tx.reserve(elsewhere);
            return null;
        });
        Reservation fresh = reservation("new", "b3", CONNECTOR, T0.plusSeconds(60));
        ledger.inTransaction(tx -> {
            tx.reserve(fresh);
            return null;
        });

        assertThat(reservationsOn(CONNECTOR)).containsExactly(fresh);
        assertThat(reservationsOn(OTHER)).containsExactly(elsewhere);
    }

    @Test
    void shouldKeepIncidentsAndListTheOpenOnes() {
        Incident open = new Incident("0.abc/1", CONNECTOR, true, T0, null, "connector hot");
        Incident closed = new Incident("0.abc/2", OTHER, false, T0, T0.plusSeconds(60), "was hot");
        ledger.inTransaction(tx -> {
            tx.putIncident(open);
            tx.putIncident(closed);
            return null;
        });

        assertThat(incident("0.abc/1")).contains(open);
        assertThat(incident("0.abc/2")).contains(closed);
        assertThat(incident("none")).isEmpty();
        assertThat(openIncidents()).containsExactly(open);
    }

    @Test
    void shouldListWaitingRequestsOldestFirstAndRemoveThem() {
        WaitingRequest second = WaitingRequest.queued(request("second", CONNECTOR), T0.plusSeconds(5));
        WaitingRequest first = WaitingRequest.queued(request("first", CONNECTOR), T0);
        WaitingRequest elsewhere = WaitingRequest.queued(request("elsewhere", OTHER), T0.plusSeconds(2));
        ledger.inTransaction(tx -> {
            tx.putWaiting(second);
            tx.putWaiting(first);
            tx.putWaiting(elsewhere);
            return null;
        });

        assertThat(waitingOn(CONNECTOR)).containsExactly(first, second);
        assertThat(allWaiting()).containsExactly(first, elsewhere, second);
        ledger.inTransaction(tx -> {
            tx.removeWaiting("first");
            return null;
        });
        assertThat(waitingOn(CONNECTOR)).containsExactly(second);
    }

    @Test
    void shouldEncodeEveryKeyAsADistinctSafeDocumentId() {
        List<String> keys = List.of(CONNECTOR, "", ".", "..", "__name__", "a.b", "a%2Eb", "a_b", "é/x", "r-1");
        List<String> ids = keys.stream().map(LedgerCodec::docId).toList();

        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).doesNotContain("/").isNotEmpty()
                .isNotIn(".", "..").doesNotMatch("__.*__"));
        assertThat(LedgerCodec.docId("r-1")).isEqualTo("r-1");
    }

    @Test
    void shouldRefuseAReadAfterAWriteAndWriteNothing() {
        Incident open = new Incident("i1", CONNECTOR, true, T0, null, "hot");
        assertThatThrownBy(() -> ledger.inTransaction(tx -> {
            tx.putIncident(open);
            return tx.openIncidents();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("read after it wrote");
        assertThat(incident("i1")).isEmpty();
    }

    @Test
    void shouldWriteNothingWhenTheWorkFails() {
        RuntimeException boom = new RuntimeException("the work failed");
        assertThatThrownBy(() -> ledger.inTransaction(tx -> {
            tx.recordDecision("m1", allow("r1", T0));
            tx.reserve(reservation("r1", "r1", CONNECTOR, T0));
            tx.putIncident(new Incident("i1", CONNECTOR, true, T0, null, "hot"));
            tx.putWaiting(WaitingRequest.queued(request("w1", CONNECTOR), T0));
            throw boom;
        })).isSameAs(boom);

        assertThat(ledger.<List<Object>>inTransaction(tx -> {
            List<Object> all = new ArrayList<>(tx.decisionsForMessage("m1"));
            tx.decisionForRequest("r1").ifPresent(all::add);
            all.addAll(tx.reservations(CONNECTOR));
            all.addAll(tx.openIncidents());
            all.addAll(tx.allWaiting());
            return all;
        })).isEmpty();
    }

    @Test
    @Timeout(60)
    void shouldFailWithATransientLedgerExceptionWhenFirestoreCannotBeReached() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Firestore nowhere = FirestoreEmulator.client("127.0.0.1:" + port)) {
            FirestoreLedger unreachable = new FirestoreLedger(nowhere, "gate", Duration.ofSeconds(3), 2);
            assertThatThrownBy(() -> unreachable.inTransaction(tx -> tx.openIncidents()))
                    .isInstanceOfSatisfying(FirestoreLedger.LedgerException.class,
                            e -> assertThat(e.transientFailure()).isTrue());
        }
    }

    // ---- the gate service on Firestore ------------------------------------------------------------------------

    @Test
    void shouldAnswerARedeliveryWithTheDecisionMadeAndReserveOnce() {
        GateDecision first = service.onRequest(message("m1", requestJson("r1", 5, 40, 6, 1800))).get(0);
        clock.advance(Duration.ofSeconds(30));
        GateDecision again = service.onRequest(message("m1", requestJson("r1", 5, 40, 6, 1800))).get(0);
        GateDecision newMessageSameId = service.onRequest(message("m2", requestJson("r1", 5, 40, 6, 1800))).get(0);

        assertThat(first.verdict()).isEqualTo(Verdict.STAGGER);
        assertThat(DecisionJson.write(again)).isEqualTo(DecisionJson.write(first));
        assertThat(DecisionJson.write(newMessageSameId)).isEqualTo(DecisionJson.write(first));
        assertThat(reservationsOn(CONNECTOR)).hasSize(1);
    }

    @Test
    void shouldReleaseWaitingRequestsInOrderWhenTheIncidentCloses() {
        long start = T0.getEpochSecond();
        service.onAlert(message("a1", alert("open", start, null)));
        assertThat(service.onRequest(message("m1", requestJson("first", 3, 40, 6, 1800))).get(0).verdict())
                .isEqualTo(Verdict.WAIT);
        clock.advance(Duration.ofSeconds(5));
        assertThat(service.onRequest(message("m2", requestJson("second", 3, 40, 6, 1800))).get(0).verdict())
                .isEqualTo(Verdict.WAIT);
        clock.advance(Duration.ofSeconds(60));
        List<GateDecision> released = service.onAlert(message("a2", alert("closed", start, start + 65)));

        assertThat(released).extracting(GateDecision::requestId).containsExactly("first", "second");
        assertThat(released).extracting(GateDecision::verdict).containsExactly(Verdict.ALLOW, Verdict.STAGGER);
        // The close delivered again publishes the same decisions and reserves nothing more.
        assertThat(service.onAlert(message("a2", alert("closed", start, start + 65))))
                .extracting(DecisionJson::write).containsExactlyElementsOf(released.stream()
                        .map(DecisionJson::write).toList());
        assertThat(reservationsOn(CONNECTOR)).hasSize(2);
        assertThat(allWaiting()).isEmpty();
    }

    @Test
    void shouldReleaseABuildsReservationOnItsTerminalStatusOnly() {
        service.onRequest(message("m1", requestJson("r1", 5, 40, 6, 1800)));
        service.onBuild(message("b1", "{\"id\":\"r1\",\"status\":\"WORKING\"}"));
        assertThat(reservationsOn(CONNECTOR)).hasSize(1);
        service.onBuild(message("b2", "{\"id\":\"r1\",\"status\":\"SUCCESS\"}"));
        service.onBuild(message("b2", "{\"id\":\"r1\",\"status\":\"SUCCESS\"}"));
        assertThat(reservationsOn(CONNECTOR)).isEmpty();
        // With the build's hold gone the next request starts at once.
        assertThat(service.onRequest(message("m3", requestJson("r2", 3, 40, 6, 1800))).get(0).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    // ---- concurrency ------------------------------------------------------------------------------------------

    /**
     * 32 requests on one connector, 12 of them delivered twice (8 as the same message again, 4 as a new message with
     * the same requestId), decided at once by 16 threads, each with a ledger of its own as separate function
     * instances would. Each request alone fits; two at once would overbook. A delivery that fails with a transient
     * LedgerException is delivered again, as Pub/Sub would. The clock stands still, so no reservation ends and every
     * one is still there to be counted afterwards.
     */
    @Test
    @Timeout(150)
    void shouldNeverOverbookAConnectorUnderConcurrentDeciders() throws Exception {
        String prefix = FirestoreEmulator.freshPrefix("concurrent");
        Random random = new Random(7);
        List<PubSubMessage> deliveries = new ArrayList<>();
        List<Long> deadlines = List.of(45L, 120L, 1800L);
        for (int i = 0; i < 32; i++) {
            String json = requestJson("c" + i, 2 + random.nextInt(3), 40 + random.nextInt(21), 4 + random.nextInt(5),
                    deadlines.get(random.nextInt(deadlines.size())));
            deliveries.add(message("cm" + i, json));
            if (i % 4 == 0) {
                deliveries.add(message("cm" + i, json));
            } else if (i % 4 == 1 && i < 16) {
                deliveries.add(message("cm" + i + "-again", json));
            }
        }
        Collections.shuffle(deliveries, random);

        record Answer(String messageId, GateDecision decision) {
        }
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger redeliveries = new AtomicInteger();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        long started = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (PubSubMessage m : deliveries) {
                running.add(pool.submit(() -> {
                    go.await();
                    FirestoreLedger own = new FirestoreLedger(db, prefix, Duration.ofSeconds(60),
                            FirestoreLedger.DEFAULT_ATTEMPTS);
                    GateService instance = service(own, Clock.fixed(T0, ZoneOffset.UTC));
                    for (int attempt = 1; ; attempt++) {
                        try {
                            answers.add(new Answer(m.messageId(), instance.onRequest(m).get(0)));
                            return null;
                        } catch (FirestoreLedger.LedgerException e) {
                            if (!e.transientFailure() || attempt == 10) {
                                throw e;
                            }
                            redeliveries.incrementAndGet();
                        }
                    }
                }));
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get(140, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        List<Reservation> held = new FirestoreLedger(db, prefix).inTransaction(tx -> tx.reservations(CONNECTOR));
        Map<String, List<GateDecision>> byRequest = answers.stream().collect(Collectors.groupingBy(
                a -> a.decision().requestId(), Collectors.mapping(Answer::decision, Collectors.toList())));
        System.out.printf("FirestoreLedgerTest: %d deliveries of 32 requests by %d threads in %d ms, %d delivered "
                + "again after a ledger failure; verdicts %s%n", deliveries.size(), threads, millis,
                redeliveries.get(), answers.stream().collect(Collectors.groupingBy(a -> a.decision().verdict(),
                        Collectors.counting())));

        assertThat(answers).hasSize(deliveries.size());
        assertThat(byRequest).hasSize(32);
        // The same message again gets the same answer; so does a new one once the request holds a reservation.
        // (After a BLOCK a new message is decided afresh: its answer may differ.)
        answers.stream().collect(Collectors.groupingBy(Answer::messageId,
                Collectors.mapping(a -> DecisionJson.write(a.decision()), Collectors.toSet())))
                .forEach((messageId, json) -> assertThat(json).as("answers to message %s", messageId).hasSize(1));
        byRequest.forEach((requestId, decisions) -> assertThat(decisions.stream().filter(d -> d.verdict().admits())
                .map(DecisionJson::write).distinct()).as("admissions of %s", requestId).hasSizeLessThanOrEqualTo(1));
        Set<String> admitted = byRequest.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(d -> d.verdict().admits())).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(held).extracting(Reservation::requestId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(admitted);
        assertThat(admitted).as("enough admitted that overlapping them would overbook").hasSizeGreaterThan(4);

        List<StepFunction.Rectangle> all = held.stream().flatMap(r -> r.rectanglesFrom(T0).stream()).toList();
        double peak = StepFunction.sumOf(all).maxFrom(0);
        assertThat(peak).as("the most reserved at any instant").isLessThanOrEqualTo(HEADROOM + 1e-6);
    }

    // ---- fixtures ----------------------------------------------------------------------------------------------

    // One read per transaction, typed: assertThat cannot infer a generic inTransaction's result through a lambda.
    private List<GateDecision> forMessage(String messageId) {
        return ledger.inTransaction(tx -> tx.decisionsForMessage(messageId));
    }

    private Optional<GateDecision> forRequest(String requestId) {
        return ledger.inTransaction(tx -> tx.decisionForRequest(requestId));
    }

    private List<Reservation> reservationsOn(String connector) {
        return ledger.inTransaction(tx -> tx.reservations(connector));
    }

    private List<Reservation> ofBuild(String buildId) {
        return ledger.inTransaction(tx -> tx.reservationsOfBuild(buildId));
    }

    private Optional<Incident> incident(String incidentId) {
        return ledger.inTransaction(tx -> tx.incident(incidentId));
    }

    private List<Incident> openIncidents() {
        return ledger.inTransaction(tx -> tx.openIncidents());
    }

    private List<WaitingRequest> waitingOn(String connector) {
        return ledger.inTransaction(tx -> tx.waiting(connector));
    }

    private List<WaitingRequest> allWaiting() {
        return ledger.inTransaction(tx -> tx.allWaiting());
    }

    private static CapacitySnapshot capacity() {
        return new CapacitySnapshot(200, 160, 20, 0, 140);
    }

    private static GateDecision allow(String requestId, Instant at) {
        DeploymentRequest req = request(requestId, CONNECTOR);
        Plan plan = Plan.of(req.services(), List.of(new Start("api", 0, 2), new Start("worker", 6000, 1)));
        return new GateDecision(requestId, requestId, CONNECTOR, Verdict.ALLOW, List.of(), at, capacity(), plan,
                12000L, List.of(), null, List.of());
    }

    private static Reservation reservation(String requestId, String buildId, String connector, Instant at) {
        return new Reservation(requestId, buildId, connector, at.plusNanos(123_456_789),
                List.of(new StepFunction.Rectangle(0, 6000, 40.5), new StepFunction.Rectangle(6000, 12_000, 30)),
                at.plusSeconds(1800));
    }

    private static DeploymentRequest request(String requestId, String connector) {
        return new DeploymentRequest(requestId, "build-" + requestId, connector, 900, List.of(
                ServiceSpec.of("api", 2, 40.25, 6),
                new ServiceSpec("worker", 1, 30, 5.5, List.of("api"))));
    }

    static PubSubMessage message(String id, String json) {
        return new PubSubMessage(json.getBytes(StandardCharsets.UTF_8), Map.of(), id, null, null);
    }

    static String requestJson(String id, int services, int mbps, int seconds, long deadline) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < services; i++) {
            s.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i).append("\",\"instances\":1,\"startupMbps\":")
                    .append(mbps).append(",\"startupSeconds\":").append(seconds).append('}');
        }
        return "{\"requestId\":\"" + id + "\",\"connector\":\"" + CONNECTOR + "\",\"deadlineSeconds\":" + deadline
                + ",\"services\":[" + s + "]}";
    }

    private static String alert(String state, long started, Long ended) {
        return "{\"version\":\"1.2\",\"incident\":{\"incident_id\":\"inc-1\",\"state\":\"" + state
                + "\",\"started_at\":" + started + ",\"ended_at\":" + ended + ",\"summary\":\"hot\","
                + "\"resource\":{\"type\":\"vpc_access_connector\",\"labels\":{\"project_id\":\"netra-staging\","
                + "\"connector_name\":\"staging-connector\",\"location\":\"us-central1\"}}}}";
    }
}
