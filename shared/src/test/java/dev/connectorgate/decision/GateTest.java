package dev.connectorgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Incident;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Wave;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.ConnectorLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Examples of every verdict the gate gives, the seed incident first. */
class GateTest {
    static final String CONNECTOR = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final Gate gate = new Gate(new WavePlanner(), Policy.DEFAULT);

    static Connector seedConnector(ConnectorState state) {
        return new Connector(CONNECTOR, MachineType.E2_MICRO, 2, 3, 2, state);
    }

    static DeploymentRequest request(String id, List<ServiceSpec> services) {
        return new DeploymentRequest(id, id, CONNECTOR, 1800, services);
    }

    static List<ServiceSpec> uniform(int n, double mbps, double seconds) {
        List<ServiceSpec> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(ServiceSpec.of(String.format("svc-%02d", i), 1, mbps, seconds));
        }
        return out;
    }

    private Gate.Outcome decide(DeploymentRequest r, ConnectorLookup lookup, List<Reservation> held,
            List<Incident> open) {
        return gate.decide(new Gate.Input(r, NOW, r.deadlineSeconds() * 1000, lookup, Optional.of(new Load(20, NOW,
                "test")), held, open, List.of()));
    }

    private Gate.Outcome decide(DeploymentRequest r) {
        return decide(r, new ConnectorLookup.Found(seedConnector(ConnectorState.READY)), List.of(), List.of());
    }

    @Test
    void seedIncidentIsStaggeredIntoFourWavesOfThreeWithAConnectorRemedy() {
        Gate.Outcome o = decide(request("seed", uniform(12, 40, 6)));
        GateDecision d = o.decision();

        assertThat(d.verdict()).isEqualTo(Verdict.STAGGER);
        assertThat(d.plan().waves()).hasSize(4).allMatch(w -> w.instances() == 3);
        assertThat(d.plan().waves()).extracting(Wave::startOffsetMillis).containsExactly(0L, 6000L, 12000L, 18000L);
        assertThat(d.makespanMillis()).isEqualTo(24_000);
        assertThat(d.lowerBoundMillis()).isEqualTo(24_000);
        assertThat(d.reasons().get(0)).isEqualTo("12 instances × 40 Mbps = 480 Mbps at once; headroom is 140 Mbps"
                + " (2 × e2-micro × 100 Mbps × 0.8 − 20 baseline)");
        assertThat(d.capacity()).isEqualTo(new CapacitySnapshot(200, 160, 20, 0, 140));
        // 480 Mbps at once needs usable − 20 ≥ 480: 7 × 100 × 0.8 = 560.
        assertThat(d.remedies()).first().isEqualTo(new Remedy.ScaleConnector(MachineType.E2_MICRO, 7,
                ((Remedy.ScaleConnector) d.remedies().get(0)).detail()));
        assertThat(d.remedies().get(0).detail()).contains("does not scale back in");
        assertThat(d.remedies()).extracting(Remedy::kind).contains("DIRECT_VPC_EGRESS");
        assertThat(o.reservation()).isPresent();
    }

    @Test
    void shouldAllowWhenEverythingFitsAtOnce() {
        GateDecision d = decide(request("small", uniform(3, 40, 6))).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.plan().waves()).hasSize(1);
        assertThat(d.remedies()).isEmpty();
    }

    @Test
    void shouldAllowAChainThatFitsWithoutDelayingAnything() {
        List<ServiceSpec> chain = List.of(ServiceSpec.of("db-migrate", 1, 100, 10),
                ServiceSpec.of("api", 3, 40, 6, "db-migrate"));
        GateDecision d = decide(request("chain", chain)).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.plan().waves()).extracting(Wave::startOffsetMillis).containsExactly(0L, 10_000L);
    }

    @Test
    void shouldBlockAnInstanceLargerThanTheConnectorCanEverGiveAndSayWhatFits() {
        GateDecision d = decide(request("huge", List.of(ServiceSpec.of("etl", 1, 300, 6)))).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reasons()).anyMatch(r -> r.contains("services.etl: one instance needs 300 Mbps"));
        // 300 + 20 ≤ n × 80 ⇒ n = 4 instances of e2-micro.
        assertThat(d.remedies()).first().extracting(r -> ((Remedy.ScaleConnector) r).instances()).isEqualTo(4);
        assertThat(d.retryAfterSeconds()).isNull();
    }

    @Test
    void shouldSayThatATenthConnectorInstanceComesOnlyWithScaleOut() {
        // 18 × 40 = 720 Mbps at once: 9 × 80 − 20 = 700 is short, 10 × 80 − 20 = 780 is enough.
        GateDecision d = decide(request("wide", uniform(18, 40, 6))).decision();
        Remedy.ScaleConnector scale = (Remedy.ScaleConnector) d.remedies().get(0);
        assertThat(scale.instances()).isEqualTo(10);
        assertThat(scale.detail()).contains("minInstances to 9").contains("only when the connector scales out");
    }

    @Test
    void shouldBlockWhenTheDependencyChainAloneOutlastsTheDeadline() {
        List<ServiceSpec> chain = List.of(ServiceSpec.of("a", 1, 10, 600), ServiceSpec.of("b", 1, 10, 600, "a"));
        DeploymentRequest r = new DeploymentRequest("slow", "slow", CONNECTOR, 900, chain);
        GateDecision d = decide(r).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.reasons().get(0)).contains("a → b").contains("1200 s").contains("900 s");
    }

    @Test
    void shouldBlockWithRetryAfterWhenOnlyOtherReservationsStandInTheWay() {
        // Another rollout holds 140 Mbps for the next 60 s; this one must finish within 30 s.
        Reservation other = new Reservation("other", "other", CONNECTOR, NOW,
                List.of(new StepFunction.Rectangle(0, 60_000, 140)), NOW.plusSeconds(3600));
        DeploymentRequest r = new DeploymentRequest("late", "late", CONNECTOR, 30, uniform(2, 40, 6));
        GateDecision d = decide(r, new ConnectorLookup.Found(seedConnector(ConnectorState.READY)), List.of(other),
                List.of()).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(d.retryAfterSeconds()).isEqualTo(60);
        assertThat(d.remedies()).anyMatch(x -> x instanceof Remedy.RetryAfter ra && ra.seconds() == 60);
        assertThat(d.capacity().reservedMbps()).isEqualTo(140);
    }

    @Test
    void shouldPlanAroundAnotherRolloutsReservation() {
        Reservation other = new Reservation("other", "other", CONNECTOR, NOW,
                List.of(new StepFunction.Rectangle(0, 10_000, 120)), NOW.plusSeconds(3600));
        GateDecision d = decide(request("next", uniform(2, 40, 6)),
                new ConnectorLookup.Found(seedConnector(ConnectorState.READY)), List.of(other), List.of()).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.STAGGER);
        assertThat(d.plan().waves().get(0).startOffsetMillis()).isEqualTo(10_000);
        assertThat(d.reasons().get(0)).contains("120 reserved by other rollouts");
    }

    @Test
    void shouldWaitWhileAnIncidentIsOpen() {
        Incident open = new Incident("0.abc", CONNECTOR, true, NOW.minusSeconds(60), null, "throughput high");
        GateDecision d = decide(request("w", uniform(1, 10, 6)),
                new ConnectorLookup.Found(seedConnector(ConnectorState.READY)), List.of(), List.of(open)).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.WAIT);
        assertThat(d.reasons().get(0)).contains("incident 0.abc").contains("throughput high");
        assertThat(d.retryAfterSeconds()).isEqualTo(Policy.DEFAULT.waitRecheckSeconds());
    }

    @Test
    void shouldWaitWhileTheConnectorIsUpdatingAndBlockWhenItIsInError() {
        GateDecision updating = decide(request("u", uniform(1, 10, 6)),
                new ConnectorLookup.Found(seedConnector(ConnectorState.UPDATING)), List.of(), List.of()).decision();
        GateDecision error = decide(request("e", uniform(1, 10, 6)),
                new ConnectorLookup.Found(seedConnector(ConnectorState.ERROR)), List.of(), List.of()).decision();
        assertThat(updating.verdict()).isEqualTo(Verdict.WAIT);
        assertThat(updating.reasons().get(0)).contains("UPDATING");
        assertThat(error.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(error.reasons().get(0)).contains("ERROR");
    }

    @Test
    void shouldBlockAnUnknownConnectorAndWaitWhenTheInventoryCannotAnswer() {
        GateDecision unknown = decide(request("x", uniform(1, 10, 6)), new ConnectorLookup.NotFound(CONNECTOR),
                List.of(), List.of()).decision();
        GateDecision down = decide(request("y", uniform(1, 10, 6)), new ConnectorLookup.Unavailable("UNAVAILABLE"),
                List.of(), List.of()).decision();
        assertThat(unknown.verdict()).isEqualTo(Verdict.BLOCK);
        assertThat(down.verdict()).isEqualTo(Verdict.WAIT);
        assertThat(down.reasons().get(0)).contains("UNAVAILABLE");
    }

    @Test
    void shouldWaitWhenLoadIsUnknownUnderTheFailClosedPolicy() {
        DeploymentRequest r = request("z", uniform(1, 10, 6));
        GateDecision d = gate.decide(new Gate.Input(r, NOW, 1_800_000,
                new ConnectorLookup.Found(seedConnector(ConnectorState.READY)), Optional.empty(), List.of(),
                List.of(), List.of())).decision();
        assertThat(d.verdict()).isEqualTo(Verdict.WAIT);
        assertThat(d.reasons().get(0)).contains("fail-closed");
    }

    @Test
    void sameInputGivesTheSameDecision() {
        DeploymentRequest r = request("seed", uniform(12, 40, 6));
        assertThat(decide(r).decision()).isEqualTo(decide(r).decision());
    }

    @Test
    void rejectEchoesWhatCouldBeRead() {
        GateDecision d = Gate.reject(null, null, null, List.of("payload: must be JSON"), NOW);
        assertThat(d.verdict()).isEqualTo(Verdict.REJECT);
        assertThat(d.requestId()).isNull();
        assertThat(d.plan()).isNull();
    }
}
