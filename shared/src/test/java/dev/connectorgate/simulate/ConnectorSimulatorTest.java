package dev.connectorgate.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator on cases whose answers are worked out by hand in each test's comment. */
class ConnectorSimulatorTest {
    private static final double GRACE = ConnectorSimulator.DEFAULT_GRACE_SECONDS;

    private static SimulationResult run(double link, double baseline, List<ServiceSpec> services, Start... starts) {
        return new ConnectorSimulator(link, baseline, GRACE).simulate(services, Plan.of(services, List.of(starts)));
    }

    private static StartupOutcome outcomeOf(SimulationResult r, String service) {
        return r.outcomes().stream().filter(o -> o.service().equals(service)).findFirst().orElseThrow();
    }

    @Test
    void oneInstanceAloneTakesExactlyItsNominalTime() {
        // 60 Mbps on a 100 Mbps link: it gets its demand, 360 Mb in 6 s.
        List<ServiceSpec> services = List.of(ServiceSpec.of("api", 1, 60, 6));

        SimulationResult r = run(100, 0, services, new Start("api", 0, 1));

        assertThat(r.outcomes()).hasSize(1);
        assertThat(r.outcomes().get(0).startupSeconds()).isEqualTo(6.0);
        assertThat(r.makespanSeconds()).isEqualTo(6.0);
        assertThat(r.successRate()).isEqualTo(1.0);
    }

    @Test
    void twoInstancesThatFitTheLinkExactlyBothTakeNominal() {
        // 2 × 50 Mbps = 100 Mbps: the link is full but not over, each gets 50.
        List<ServiceSpec> services = List.of(ServiceSpec.of("a", 1, 50, 6), ServiceSpec.of("b", 1, 50, 6));

        SimulationResult r = run(100, 0, services, new Start("a", 0, 1), new Start("b", 0, 1));

        assertThat(r.outcomes()).allSatisfy(o -> assertThat(o.startupSeconds()).isEqualTo(6.0));
        assertThat(r.makespanSeconds()).isEqualTo(6.0);
    }

    @Test
    void anOverloadedLinkSharedFairlyDoublesDurations() {
        // 4 × 50 Mbps on 100 Mbps: 25 each, so 300 Mb takes 12 s instead of 6; 12 > 6 + 2, every startup fails.
        List<ServiceSpec> services = List.of(ServiceSpec.of("api", 4, 50, 6));

        SimulationResult r = run(100, 0, services, new Start("api", 0, 4));

        assertThat(r.instances()).isEqualTo(4);
        assertThat(r.p50StartupSeconds()).isEqualTo(12.0);
        assertThat(r.p95StartupSeconds()).isEqualTo(12.0);
        assertThat(r.makespanSeconds()).isEqualTo(12.0);
        assertThat(r.successRate()).isZero();
        assertThat(r.meetsBars()).isFalse();
    }

    @Test
    void theBaselineTakesItsFairShare() {
        // Baseline 60 and one 60 Mbps instance on 100 Mbps: 50 each, so 360 Mb takes 7.2 s.
        List<ServiceSpec> services = List.of(ServiceSpec.of("api", 1, 60, 6));

        SimulationResult r = run(100, 60, services, new Start("api", 0, 1));

        assertThat(r.outcomes().get(0).startupSeconds()).isCloseTo(7.2, within(1e-9));
        assertThat(r.successRate()).isEqualTo(1.0);
    }

    @Test
    void aSmallBaselineKeepsItsDemandAndLeavesTheRestToTheInstances() {
        // Baseline 10 on 100 Mbps with two 60 Mbps instances: equal split 33.3 > 10, so the baseline keeps 10 and
        // the instances get 45 each: 360 Mb in 8 s, exactly nominal + grace.
        List<ServiceSpec> services = List.of(ServiceSpec.of("api", 2, 60, 6));

        SimulationResult r = run(100, 10, services, new Start("api", 0, 2));

        assertThat(r.outcomes().get(0).startupSeconds()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void aFlowBelowItsFairShareKeepsItsDemandAndTheRestIsRedistributed() {
        // 100 Mbps among a 10 Mbps and two 80 Mbps instances: split 33.3, "small" keeps 10, the others get 45 each.
        // "small" moves 60 Mb in 6 s; by then each big one has moved 270 of its 480 Mb. Then they get 50 each: the
        // last 210 Mb take 4.2 s, finishing at 10.2 s.
        List<ServiceSpec> services = List.of(ServiceSpec.of("small", 1, 10, 6), ServiceSpec.of("big", 2, 80, 6));

        SimulationResult r = run(100, 0, services, new Start("small", 0, 1), new Start("big", 0, 2));

        assertThat(outcomeOf(r, "small").startupSeconds()).isCloseTo(6.0, within(1e-9));
        assertThat(outcomeOf(r, "big").startupSeconds()).isCloseTo(10.2, within(1e-9));
        assertThat(outcomeOf(r, "big").succeeded()).isFalse();
        // 1 of 3 instances succeeded; nearest rank: p50 is the 2nd smallest of {6, 10.2, 10.2}.
        assertThat(r.successRate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.p50StartupSeconds()).isCloseTo(10.2, within(1e-9));
    }

    @Test
    void theSeedAllAtOnceSlowsTenOfTwelveStartupsPastTheTarget() {
        // 12 startups (420 Mbps) and a 20 Mbps baseline on 200 Mbps. Until 6 s: the 10 and 15 Mbps ones keep their
        // demand, the other 11 flows (baseline included) get 175 / 11 = 15.9 and those two finish at 6 s. Then 11
        // flows get 200 / 11 = 18.2: the 25 Mbps one has 150 − 95.5 = 54.5 Mb left, done at 9 s. From there each
        // finish hands its share on: the 30s at 10.5 s, the 35s at 11.67, the 40s at 12.5, the 50s at 13.7 and the
        // 60 (at 60 Mbps once alone with the baseline) at 14.5 s.
        double[] mbps = {60, 50, 50, 40, 40, 30, 30, 25, 35, 35, 15, 10};
        List<ServiceSpec> services = new ArrayList<>();
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < mbps.length; i++) {
            services.add(ServiceSpec.of("s" + i, 1, mbps[i], 6));
            starts.add(new Start("s" + i, 0, 1));
        }

        SimulationResult r = new ConnectorSimulator(200, 20, GRACE).simulate(services, Plan.of(services, starts));

        assertThat(r.outcomes()).extracting(StartupOutcome::startupSeconds).map(t -> Math.round(t * 1000) / 1000.0)
                .containsExactlyInAnyOrder(6.0, 6.0, 9.0, 10.5, 10.5, 11.667, 11.667, 12.5, 12.5, 13.7, 13.7, 14.5);
        assertThat(r.successes()).isEqualTo(2);
        assertThat(r.p50StartupSeconds()).isCloseTo(35.0 / 3, within(1e-9));
        assertThat(r.p95StartupSeconds()).isCloseTo(14.5, within(1e-9));
        assertThat(r.meetsBars()).isFalse();
    }

    @Test
    void exactlyNominalPlusGraceSucceedsAndPastItFails() {
        // 60 Mbps × 6 s = 360 Mb. Alone on 45 Mbps: 8 s = 6 + 2, a success. On 44 Mbps: 8.18 s, a failure.
        List<ServiceSpec> services = List.of(ServiceSpec.of("api", 1, 60, 6));

        SimulationResult boundary = run(45, 0, services, new Start("api", 0, 1));
        SimulationResult past = run(44, 0, services, new Start("api", 0, 1));

        assertThat(boundary.outcomes().get(0).startupSeconds()).isEqualTo(8.0);
        assertThat(boundary.outcomes().get(0).succeeded()).isTrue();
        assertThat(past.outcomes().get(0).startupSeconds()).isCloseTo(360.0 / 44, within(1e-9));
        assertThat(past.outcomes().get(0).succeeded()).isFalse();
    }

    @Test
    void theGraceIsTheSimulatorsSetting() {
        // The same 8 s startup fails with no grace at all.
        List<ServiceSpec> services = List.of(ServiceSpec.of("api", 1, 60, 6));
        Plan plan = Plan.of(services, List.of(new Start("api", 0, 1)));

        SimulationResult r = new ConnectorSimulator(45, 0, 0).simulate(services, plan);

        assertThat(r.outcomes().get(0).succeeded()).isFalse();
        assertThat(r.graceSeconds()).isZero();
    }

    @Test
    void aLateDependencyMakesItsDependentStartLate() {
        // "db" has 2 × 100 Mbps on a 100 Mbps link: 50 each, 600 Mb in 12 s instead of the planned 6. "api" depends
        // on it, is planned at 6 s (db's nominal finish), starts at 12 s instead and then runs alone: 6 s.
        List<ServiceSpec> services = List.of(ServiceSpec.of("db", 2, 100, 6), ServiceSpec.of("api", 1, 50, 6, "db"));

        SimulationResult r = run(100, 0, services, new Start("db", 0, 2), new Start("api", 6000, 1));

        StartupOutcome api = outcomeOf(r, "api");
        assertThat(outcomeOf(r, "db").startupSeconds()).isEqualTo(12.0);
        assertThat(api.plannedSeconds()).isEqualTo(6.0);
        assertThat(api.startSeconds()).isEqualTo(12.0);
        assertThat(api.lateStartSeconds()).isEqualTo(6.0);
        assertThat(api.startupSeconds()).isEqualTo(6.0);
        assertThat(api.succeeded()).isTrue();
        assertThat(r.makespanSeconds()).isEqualTo(18.0);
    }

    @Test
    void aDependentPlannedAfterItsDependencyFinishedStartsOnPlan() {
        List<ServiceSpec> services = List.of(ServiceSpec.of("db", 1, 50, 6), ServiceSpec.of("api", 1, 50, 6, "db"));

        SimulationResult r = run(100, 0, services, new Start("db", 0, 1), new Start("api", 10_000, 1));

        assertThat(outcomeOf(r, "api").startSeconds()).isEqualTo(10.0);
        assertThat(r.makespanSeconds()).isEqualTo(16.0);
    }

    @Test
    void aRampedDependencyHoldsItsDependentUntilItsLastBatchFinishes() {
        // db starts in two waves, 0 s and 6 s; api, planned at 6 s, must wait for the second wave: 12 s.
        List<ServiceSpec> services = List.of(ServiceSpec.of("db", 2, 50, 6), ServiceSpec.of("api", 1, 50, 6, "db"));

        SimulationResult r = run(100, 0, services, new Start("db", 0, 1), new Start("db", 6000, 1),
                new Start("api", 6000, 1));

        assertThat(outcomeOf(r, "api").startSeconds()).isEqualTo(12.0);
        assertThat(r.makespanSeconds()).isEqualTo(18.0);
    }

    @Test
    void percentilesAreNearestRankOverInstances() {
        // 20 instances 10 s apart, so none overlap: 19 take 6 s, the last one's nominal (and actual) time is 9 s.
        // Nearest rank: p95 is the ⌈0.95 · 20⌉ = 19th smallest, 6 s; p100 is the slowest.
        List<ServiceSpec> services = new ArrayList<>();
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            services.add(ServiceSpec.of("s" + i, 1, 10, 6));
            starts.add(new Start("s" + i, i * 10_000L, 1));
        }
        services.add(ServiceSpec.of("slow", 1, 10, 9));
        starts.add(new Start("slow", 200_000, 1));

        SimulationResult r = new ConnectorSimulator(100, 0, GRACE).simulate(services, Plan.of(services, starts));

        assertThat(r.p95StartupSeconds()).isEqualTo(6.0);
        assertThat(r.percentileStartupSeconds(100)).isEqualTo(9.0);
        assertThat(r.p50StartupSeconds()).isEqualTo(6.0);
        assertThat(r.makespanSeconds()).isEqualTo(209.0);
    }

    @Test
    void ninetyPercentSuccessMeetsTheBarAndLessDoesNot() {
        // Instances count, not batches: 9 of 10 succeeded is exactly the bar, 8 of 9 is below it.
        SimulationResult ninety = new SimulationResult(List.of(new StartupOutcome("ok", 9, 0, 0, 6, 6, true),
                new StartupOutcome("slow", 1, 0, 0, 12, 6, false)), GRACE);
        SimulationResult less = new SimulationResult(List.of(new StartupOutcome("ok", 8, 0, 0, 6, 6, true),
                new StartupOutcome("slow", 1, 0, 0, 12, 6, false)), GRACE);

        assertThat(ninety.successRate()).isEqualTo(0.9);
        assertThat(ninety.meetsBars()).isTrue();
        assertThat(less.meetsBars()).isFalse();
    }

    @Test
    void theSameInputGivesTheSameResult() {
        List<ServiceSpec> services = List.of(ServiceSpec.of("small", 3, 10, 6), ServiceSpec.of("big", 5, 80, 7),
                ServiceSpec.of("dep", 2, 35, 5, "small", "big"));
        Plan plan = Plan.of(services, List.of(new Start("small", 0, 3), new Start("big", 0, 2),
                new Start("big", 3000, 3), new Start("dep", 10_000, 2)));
        ConnectorSimulator simulator = new ConnectorSimulator(200, 20, GRACE);

        assertThat(simulator.simulate(services, plan)).isEqualTo(simulator.simulate(services, plan));
    }

    @Test
    void refusesALinkWithNoThroughput() {
        assertThatThrownBy(() -> new ConnectorSimulator(0, 0, GRACE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("> 0 Mbps");
    }
}
