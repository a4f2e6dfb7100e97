package dev.connectorgate.bench;

import dev.connectorgate.plan.FixedBatchPlanner;
import dev.connectorgate.plan.LowerBound;
import dev.connectorgate.plan.OneWavePerServicePlanner;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.PlanCheck;
import dev.connectorgate.plan.Planner;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.model.ServiceSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How good the gate's plans are: makespan over the proven lower bound, and planning time, for the gate's planner and
 * the two baselines over a fixed seeded set of requests; then the 500 services × 1000 instances case.
 *
 * <p>Run: {@code mvn -q -B -pl bench -am package -DskipTests && java -cp bench/target/benchmarks.jar
 * dev.connectorgate.bench.PlannerQualityBenchmark}. A ratio of 1.00 is provably optimal; above it, part of the gap may
 * be the bound's and not the plan's. Times are wall clock and this thread's CPU time: on a shared machine the CPU time
 * is what planning costs, the wall clock what a caller waited.
 */
public final class PlannerQualityBenchmark {
    private static final long SEED = 20_240_601L;
    private static final int REQUESTS = 300;
    private static final int WARMUP_PASSES = 2;
    private static final int LARGE_RUNS = 15;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PlannerQualityBenchmark() {
    }

    public static void main(String[] args) {
        List<Planner> planners = List.of(new WavePlanner(), new OneWavePerServicePlanner(), new FixedBatchPlanner());
        SplittableRandom random = new SplittableRandom(SEED);
        List<PlanningProblem> problems = new ArrayList<>(REQUESTS);
        long[] bounds = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            problems.add(RandomRequests.mixed(random));
            bounds[i] = LowerBound.millis(problems.get(i));
            if (bounds[i] == Long.MAX_VALUE) {
                throw new IllegalStateException("request " + i + " cannot fit: the generator is broken");
            }
        }
        System.out.printf(Locale.ROOT, "%d requests (seed %d), services median %d max %d, instances median %d max %d%n",
                REQUESTS, SEED, median(problems, p -> p.services().size()), max(problems, p -> p.services().size()),
                median(problems, PlannerQualityBenchmark::instances), max(problems, PlannerQualityBenchmark::instances));
        for (int pass = 0; pass < WARMUP_PASSES; pass++) {
            for (Planner planner : planners) {
                problems.forEach(planner::plan);
            }
        }
        System.out.printf(Locale.ROOT, "%-22s %7s %7s %7s %7s %7s | %9s %9s | %9s %9s%n", "planner", "median", "p90",
                "p99", "max", "optimal", "ms median", "ms p99", "cpu med", "cpu p99");
        for (Planner planner : planners) {
            double[] ratio = new double[REQUESTS];
            double[] millis = new double[REQUESTS];
            double[] cpu = new double[REQUESTS];
            int optimal = 0;
            for (int i = 0; i < REQUESTS; i++) {
                PlanningProblem problem = problems.get(i);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                Plan plan = planner.plan(problem).orElseThrow();
                millis[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
                if (!PlanCheck.fits(problem, plan)) {
                    throw new IllegalStateException(planner.name() + " broke request " + i + ": "
                            + PlanCheck.violations(problem, plan));
                }
                ratio[i] = bounds[i] == 0 ? 1 : (double) plan.makespanMillis() / bounds[i];
                optimal += plan.makespanMillis() == bounds[i] ? 1 : 0;
            }
            Arrays.sort(ratio);
            Arrays.sort(millis);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "%-22s %7.3f %7.3f %7.3f %7.3f %6d%% | %9.2f %9.2f | %9.2f %9.2f%n",
                    planner.name(), pct(ratio, 50), pct(ratio, 90), pct(ratio, 99), ratio[REQUESTS - 1],
                    optimal * 100 / REQUESTS, pct(millis, 50), pct(millis, 99), pct(cpu, 50), pct(cpu, 99));
        }
        large(planners);
    }

    private static void large(List<Planner> planners) {
        PlanningProblem problem = RandomRequests.sized(new SplittableRandom(SEED), 500, 1000);
        long bound = LowerBound.millis(problem);
        System.out.printf(Locale.ROOT, "%n500 services × 1000 instances, headroom %.0f Mbps, lower bound %.1f s%n",
                problem.headroom().finalValue(), bound / 1000.0);
        for (Planner planner : planners) {
            double[] millis = new double[LARGE_RUNS];
            double[] cpu = new double[LARGE_RUNS];
            Plan plan = null;
            for (int run = 0; run < LARGE_RUNS; run++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                plan = planner.plan(problem).orElseThrow();
                millis[run] = (System.nanoTime() - t0) / 1e6;
                cpu[run] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            if (!PlanCheck.fits(problem, plan)) {
                throw new IllegalStateException(planner.name() + " broke the large request");
            }
            Arrays.sort(millis);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT,
                    "%-22s ratio %.4f, %d starts, wall median %.1f ms (best %.1f), cpu median %.1f ms (best %.1f)%n",
                    planner.name(), (double) plan.makespanMillis() / bound, plan.starts().size(), pct(millis, 50),
                    millis[0], pct(cpu, 50), cpu[0]);
        }
        long t0 = System.nanoTime();
        LowerBound.millis(problem);
        System.out.printf(Locale.ROOT, "lower bound alone %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    }

    private static int instances(PlanningProblem p) {
        return p.services().stream().mapToInt(ServiceSpec::instances).sum();
    }

    private static int median(List<PlanningProblem> ps, java.util.function.ToIntFunction<PlanningProblem> f) {
        return ps.stream().mapToInt(f).sorted().toArray()[ps.size() / 2];
    }

    private static int max(List<PlanningProblem> ps, java.util.function.ToIntFunction<PlanningProblem> f) {
        return ps.stream().mapToInt(f).max().orElse(0);
    }

    // Nearest-rank percentile of sorted values.
    private static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
