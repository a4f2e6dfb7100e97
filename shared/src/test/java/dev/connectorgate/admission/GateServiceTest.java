package dev.connectorgate.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.decision.Gate;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Verdict;
import dev.connectorgate.events.PubSubMessage;
import dev.connectorgate.ledger.InMemoryLedger;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.ConnectorLookup;
import dev.connectorgate.time.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The service's handling of redelivery, stale alerts, build releases and waits that outlive their deadline. */
class GateServiceTest {
    static final String CONNECTOR = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final SettableClock clock = new SettableClock(T0);
    private final AtomicReference<ConnectorState> state = new AtomicReference<>(ConnectorState.READY);
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final GateService service = new GateService(new Gate(new WavePlanner(), Policy.DEFAULT), ledger,
            name -> name.equals(CONNECTOR)
                    ? new ConnectorLookup.Found(new Connector(CONNECTOR, MachineType.E2_MICRO, 2, 3, 2, state.get()))
                    : new ConnectorLookup.NotFound(name),
            c -> Optional.of(new Load(20, clock.instant(), "test")), clock, (s, m, f) -> { });

    private static PubSubMessage message(String id, String json) {
        return new PubSubMessage(json.getBytes(StandardCharsets.UTF_8), Map.of(), id, null, null);
    }

    private static String request(String id, int services, int deadline) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < services; i++) {
            s.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i)
                    .append("\",\"instances\":1,\"startupMbps\":40,\"startupSeconds\":6}");
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

    @Test
    void shouldAnswerARedeliveryWithTheDecisionMadeAndReserveOnce() {
        GateDecision first = service.onRequest(message("m1", request("r1", 5, 1800))).get(0);
        clock.advance(Duration.ofSeconds(30));
        GateDecision again = service.onRequest(message("m1", request("r1", 5, 1800))).get(0);
        GateDecision newMessageSameId = service.onRequest(message("m2", request("r1", 5, 1800))).get(0);

        assertThat(first.verdict()).isEqualTo(Verdict.STAGGER);
        assertThat(again).isEqualTo(first);
        assertThat(newMessageSameId).isEqualTo(first);
        assertThat(ledger.allReservations()).hasSize(1);
    }

    @Test
    void shouldDecideAfreshAfterABlock() {
        state.set(ConnectorState.ERROR);
        assertThat(service.onRequest(message("m1", request("r1", 1, 1800))).get(0).verdict())
                .isEqualTo(Verdict.BLOCK);
        state.set(ConnectorState.READY);
        assertThat(service.onRequest(message("m2", request("r1", 1, 1800))).get(0).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void shouldIgnoreAStaleOpenThatArrivesAfterTheClose() {
        long start = T0.getEpochSecond();
        service.onAlert(message("a1", alert("open", start, null)));
        service.onAlert(message("a2", alert("closed", start, start + 60)));
        // The open is delivered again late: it must not reopen the incident.
        service.onAlert(message("a3", alert("open", start, null)));

        assertThat(service.onRequest(message("m1", request("r1", 1, 1800))).get(0).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void shouldNotHoldRequestsOnAConsoleTestNotification() {
        String test = alert("OPEN", T0.getEpochSecond(), null).replace("\"1.2\"", "\"test\"");
        assertThat(service.onAlert(message("a1", test))).isEmpty();
        assertThat(service.onRequest(message("m1", request("r1", 1, 1800))).get(0).verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void shouldReleaseWaitingRequestsInOrderWhenTheIncidentCloses() {
        long start = T0.getEpochSecond();
        service.onAlert(message("a1", alert("open", start, null)));
        assertThat(service.onRequest(message("m1", request("first", 3, 1800))).get(0).verdict())
                .isEqualTo(Verdict.WAIT);
        clock.advance(Duration.ofSeconds(5));
        assertThat(service.onRequest(message("m2", request("second", 3, 1800))).get(0).verdict())
                .isEqualTo(Verdict.WAIT);
        clock.advance(Duration.ofSeconds(60));
        List<GateDecision> released = service.onAlert(message("a2", alert("closed", start, start + 65)));

        assertThat(released).extracting(GateDecision::requestId).containsExactly("first", "second");
        assertThat(released).extracting(GateDecision::verdict).containsExactly(Verdict.ALLOW, Verdict.STAGGER);
        // The close delivered again publishes the same decisions and reserves nothing more.
        assertThat(service.onAlert(message("a2", alert("closed", start, start + 65)))).isEqualTo(released);
        assertThat(ledger.allReservations()).hasSize(2);
    }

    @Test
    void shouldBlockAWaitWhoseDeadlinePassesOnTheNextTick() {
        state.set(ConnectorState.UPDATING);
        assertThat(service.onRequest(message("m1", request("r1", 1, 120))).get(0).verdict())
                .isEqualTo(Verdict.WAIT);
        clock.advance(Duration.ofSeconds(60));
        assertThat(service.onTick(message("t1", "{}"))).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        List<GateDecision> expired = service.onTick(message("t2", "{}"));
        assertThat(expired).singleElement().satisfies(d -> {
            assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
            assertThat(d.reasons().get(0)).contains("deadline of 120 s passed");
        });
    }

    @Test
    void shouldDecideAWaitOnATickOnceTheConnectorIsReadyAgain() {
        state.set(ConnectorState.UPDATING);
        service.onRequest(message("m1", request("r1", 1, 1800)));
        state.set(ConnectorState.READY);
        clock.advance(Duration.ofSeconds(60));
        assertThat(service.onTick(message("t1", "{}"))).extracting(GateDecision::verdict)
                .containsExactly(Verdict.ALLOW);
    }

    @Test
    void shouldReleaseOnATerminalBuildStatusOnly() {
        service.onRequest(message("m1", request("r1", 5, 1800)));
        String working = "{\"id\":\"r1\",\"status\":\"WORKING\"}";
        String success = "{\"id\":\"r1\",\"status\":\"SUCCESS\"}";
        service.onBuild(message("b1", working));
        assertThat(ledger.allReservations()).hasSize(1);
        service.onBuild(message("b2", success));
        service.onBuild(message("b2", success));
        assertThat(ledger.allReservations()).isEmpty();
    }

    @Test
    void shouldRejectAnUnreadableRequestWithoutARequestId() {
        GateDecision d = service.onUnreadableRequest("m9", "message.data: not base64").get(0);
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.requestId()).isNull();
        assertThat(d.reasons()).containsExactly("message.data: not base64");
    }
}
