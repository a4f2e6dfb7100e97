package dev.connectorgate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples of the gate's planner, its lower bound and the two baselines. */
class WavePlannerTest {
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private final WavePlanner planner = new WavePlanner();

    // The seed: 2 e2-micro × 100 Mbps × 0.8 − 20 Mbps baseline = 140 Mbps; three 40 Mbps startups fit, four do not.
    private static PlanningProblem seed() {
        List<ServiceSpec> services = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            services.add(ServiceSpec.of("svc-" + i, 1, 40, 6));
        }
        return new PlanningProblem(StepFunction.constant(2 * 100 * 0.8 - 20), services, NO_DEADLINE);
    }

    private Plan planOf(PlanningProblem problem) {
        Plan plan = planner.plan(problem).orElseThrow();
        assertThat(PlanCheck.violations(problem, plan)).isEmpty();
        return plan;
    }

    @Test
    void seedStartsFourWavesOfThree() {
        Plan plan = planOf(seed());

        assertThat(plan.waves()).extracting(Wave::startOffsetMillis).containsExactly(0L, 6000L, 12000L, 18000L);
        assertThat(plan.waves()).allSatisfy(w -> assertThat(w.instances()).isEqualTo(3));
        assertThat(plan.makespanMillis()).isEqualTo(24000);
    }

    @Test
    void seedLowerBoundCountsThatOnlyThreeFitAtOnce() {
        LowerBound.Bound bound = LowerBound.explain(seed());

        // Area alone gives 2880 Mbps·s / 140 Mbps = 20.6 s; only 120 of the 140 Mbps can ever be used.
        assertThat(bound.millis()).isEqualTo(24000);
        assertThat(bound.reason()).contains("demand 2880 Mbps·s over headroom 140 Mbps");
    }

    @Test
    void rampsOneServiceAcrossWaves() {
        PlanningProblem problem = new PlanningProblem(StepFunction.constant(140),
                List.of(ServiceSpec.of("api", 10, 40, 6)), NO_DEADLINE);

        Plan plan = planOf(problem);

        assertThat(plan.starts()).containsExactly(new Start("api", 0, 3), new Start("api", 6000, 3),
                new Start("api", 12000, 3), new Start("api", 18000, 1));
        assertThat(LowerBound.explain(problem).reason()).contains("api: 10 instances", "at most 3 at a time",
                "4 rounds");
    }

    @Test
    void dependentStartsWhenItsDependencyHasFinished() {
        PlanningProblem problem = new PlanningProblem(StepFunction.constant(200),
                List.of(ServiceSpec.of("api", 2, 50, 4), ServiceSpec.of("worker", 1, 30, 10, "api")), NO_DEADLINE);

        Plan plan = planOf(problem);

        assertThat(plan.starts()).containsExactly(new Start("api", 0, 2), new Start("worker", 4000, 1));
        assertThat(plan.makespanMillis()).isEqualTo(14000);
        assertThat(LowerBound.explain(problem)).isEqualTo(
                new LowerBound.Bound(14000, "dependency chain api → worker takes 14 s"));
    }

    @Test
    void waitsUntilAReservationLeavesRoom() {
        // Another plan holds 120 of 140 Mbps for the first 8 s.
        StepFunction headroom = StepFunction.constantMinus(140, List.of(new StepFunction.Rectangle(0, 8000, 120)));
        PlanningProblem problem = new PlanningProblem(headroom,
                List.of(ServiceSpec.of("api", 3, 40, 6), ServiceSpec.of("cron", 1, 15, 2)), NO_DEADLINE);

        Plan plan = planOf(problem);

        assertThat(plan.starts()).containsExactly(new Start("cron", 0, 1), new Start("api", 8000, 3));
        assertThat(plan.makespanMillis()).isEqualTo(14000);
        assertThat(LowerBound.millis(problem)).isEqualTo(14000);
    }

    @Test
    void startsNothingWhileHeadroomIsNegative() {
        StepFunction headroom = StepFunction.of(new long[] {0, 5000}, new double[] {-50, 100});
        PlanningProblem problem = new PlanningProblem(headroom, List.of(ServiceSpec.of("api", 2, 50, 2)), NO_DEADLINE);

        Plan plan = planOf(problem);

        assertThat(plan.starts()).containsExactly(new Start("api", 5000, 2));
        assertThat(LowerBound.millis(problem)).isEqualTo(7000);
    }

    @Test
    void anInstanceLargerThanAnyHeadroomHasNoPlan() {
        PlanningProblem problem = new PlanningProblem(StepFunction.constant(140),
                List.of(ServiceSpec.of("api", 1, 40, 6), ServiceSpec.of("etl", 2, 150, 30)), NO_DEADLINE);

        assertThat(planner.plan(problem)).isEmpty();
        assertThat(new OneWavePerServicePlanner().plan(problem)).isEmpty();
        assertThat(new FixedBatchPlanner().plan(problem)).isEmpty();
        LowerBound.Bound bound = LowerBound.explain(problem);
        assertThat(bound.millis()).isEqualTo(Long.MAX_VALUE);
        assertThat(bound.reason()).isEqualTo("etl needs 150 Mbps per instance for 30 s; headroom never has room for one");
    }

    @Test
    void aStartupThatOnlyFitsBeforeHeadroomShrinksGoesFirst() {
        // 100 Mbps for the first 10 s, then 50 for good: the 80 Mbps startup must take that window, although the
        // longer small service would come first by its chain length.
        StepFunction headroom = StepFunction.of(new long[] {0, 10000}, new double[] {100, 50});
        PlanningProblem problem = new PlanningProblem(headroom,
                List.of(ServiceSpec.of("small", 2, 30, 8), ServiceSpec.of("big", 1, 80, 4)), NO_DEADLINE);

        Plan plan = planOf(problem);

        assertThat(plan.starts()).contains(new Start("big", 0, 1));
    }

    @Test
    void samePlanEveryTime() {
        assertThat(planner.plan(seed())).isEqualTo(planner.plan(seed()));
    }

    @Test
    void baselinesFitButTakeLongerOnTheSeed() {
        Plan oneByOne = new OneWavePerServicePlanner().plan(seed()).orElseThrow();
        Plan quarters = new FixedBatchPlanner().plan(seed()).orElseThrow();

        assertThat(PlanCheck.violations(seed(), oneByOne)).isEmpty();
        assertThat(PlanCheck.violations(seed(), quarters)).isEmpty();
        assertThat(oneByOne.makespanMillis()).isEqualTo(72000);
        // Batches of three 40 Mbps services fit the 140 Mbps exactly, so quarters happen to be optimal here.
        assertThat(quarters.makespanMillis()).isEqualTo(24000);
    }

    @Test
    void fixedBatchMemberWaitsForADependencyInItsBatch() {
        // Five services make batches of two: db and api share the first one.
        PlanningProblem problem = new PlanningProblem(StepFunction.constant(500),
                List.of(ServiceSpec.of("db", 1, 10, 3), ServiceSpec.of("api", 1, 10, 2, "db"),
                        ServiceSpec.of("c", 1, 10, 1), ServiceSpec.of("d", 1, 10, 1), ServiceSpec.of("e", 1, 10, 1)),
                NO_DEADLINE);

        Plan plan = new FixedBatchPlanner().plan(problem).orElseThrow();

        assertThat(plan.starts()).containsExactly(new Start("db", 0, 1), new Start("api", 3000, 1),
                new Start("c", 5000, 1), new Start("d", 5000, 1), new Start("e", 6000, 1));
    }
}
