package dev.connectorgate.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.BruteForce;
import dev.connectorgate.plan.EarliestPlan;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.PlanCheck;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.ConnectorLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The verdict rules as properties over seeded random connectors, loads, reservations and requests: ALLOW exactly when
 * the dependency-only earliest plan fits, every admitted plan fits within the deadline and above the lower bound, and
 * on requests small enough for brute force, BLOCK only when no plan can fit within the deadline. Each failure names
 * the seed that reproduces it.
 */
class GatePropertiesTest {
    static final String CONNECTOR = "projects/p/locations/us-central1/connectors/c";
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private final Gate gate = new Gate(new WavePlanner(), Policy.DEFAULT);

    record Case(DeploymentRequest request, Connector connector, Load load, List<Reservation> held) {
        Gate.Input input() {
            return new Gate.Input(request, NOW, request.deadlineSeconds() * 1000,
                    new ConnectorLookup.Found(connector), Optional.of(load), held, List.of(), List.of());
        }

        PlanningProblem problem() {
            Capacity c = Capacity.at(NOW, connector, Policy.DEFAULT, load, held);
            return new PlanningProblem(c.headroom(), request.services(), request.deadlineSeconds() * 1000);
        }
    }

    @Test
    void allowExactlyWhenTheEarliestPlanFitsAndAdmittedPlansAlwaysFit() {
        for (long seed = 1; seed <= 400; seed++) {
            Case c = randomCase(new SplittableRandom(seed), 30, 8);
            String where = "seed " + seed + ": " + c;
            GateDecision d = gate.decide(c.input()).decision();
            PlanningProblem p = c.problem();
            Plan earliest = EarliestPlan.of(p);
            boolean earliestFits = PlanCheck.fits(p, earliest) && earliest.makespanMillis() <= p.deadlineMillis();

            assertThat(d.verdict() == Verdict.ALLOW).as(where + " reasons " + d.reasons()).isEqualTo(earliestFits);
            assertThat(d.verdict()).as(where).isIn(Verdict.ALLOW, Verdict.STAGGER, Verdict.BLOCK);
            if (d.verdict().admits()) {
                assertThat(PlanCheck.violations(p, d.plan())).as(where).isEmpty();
                assertThat(d.makespanMillis()).as(where).isLessThanOrEqualTo(p.deadlineMillis())
                        .isGreaterThanOrEqualTo(d.lowerBoundMillis());
            } else {
                assertThat(d.reasons()).as(where).isNotEmpty();
            }
            assertThat(gate.decide(c.input()).decision()).as(where + " is deterministic").isEqualTo(d);
        }
    }

    @Test
    void blockOnlyWhenNoPlanCanFitWithinTheDeadline() {
        int checked = 0;
        for (long seed = 1; checked < 300; seed++) {
            Case c = randomCase(new SplittableRandom(seed), 4, 3);
            if (c.request().totalInstances() > 6) {
                continue;
            }
            checked++;
            String where = "seed " + seed + ": " + c;
            Optional<Long> optimum = BruteForce.optimum(c.problem());
            boolean somePlanFits = optimum.isPresent() && optimum.get() <= c.problem().deadlineMillis();
            GateDecision d = gate.decide(c.input()).decision();
            assertThat(d.verdict() == Verdict.BLOCK).as(where + " optimum " + optimum + ", reasons " + d.reasons())
                    .isEqualTo(!somePlanFits);
        }
    }

    private static Case randomCase(SplittableRandom r, int maxServices, int maxInstances) {
        MachineType type = MachineType.values()[r.nextInt(MachineType.values().length)];
        int running = r.nextInt(2, 5);
        Connector connector = new Connector(CONNECTOR, type, 2, 10, running, ConnectorState.READY);
        double usable = connector.connectorMbps() * Policy.DEFAULT.targetUtilization();
        Load load = new Load(Math.floor(r.nextDouble() * usable * 0.5), NOW, "test");
        List<Reservation> held = new ArrayList<>();
        for (int i = r.nextInt(0, 3); i > 0; i--) {
            long from = 1000L * r.nextInt(0, 30);
            long to = from + 1000L * r.nextInt(1, 60);
            held.add(new Reservation("other-" + i, "other-" + i, CONNECTOR, NOW,
                    List.of(new StepFunction.Rectangle(from, to, Math.floor(r.nextDouble() * usable * 0.6))),
                    NOW.plusSeconds(3600)));
        }
        int n = r.nextInt(1, maxServices + 1);
        // Per-instance demand scaled to the connector, so every kind of verdict comes up on every machine type.
        double scale = usable / 4;
        List<ServiceSpec> services = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> deps = new ArrayList<>();
            if (i > 0 && r.nextInt(4) == 0) {
                deps.add("s" + r.nextInt(i));
            }
            services.add(new ServiceSpec("s" + i, r.nextInt(1, maxInstances + 1),
                    Math.max(1, Math.floor(scale * (0.1 + 1.4 * r.nextDouble()))), r.nextInt(1, 13), deps));
        }
        long deadline = r.nextInt(5, 121);
        return new Case(new DeploymentRequest("req", "req", CONNECTOR, deadline, services), connector, load, held);
    }
}
