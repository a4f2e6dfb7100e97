package dev.connectorgate.bench;

import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.plan.WavePlanner;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: the gate's planning time by request size, services × instances per service, on a large connector.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PlannerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlannerBenchmark {
    @Param({"10", "100", "500"})
    public int services;

    @Param({"1", "100", "1000"})
    public int instances;

    private final WavePlanner planner = new WavePlanner();
    private PlanningProblem problem;

    @Setup
    public void setUp() {
        problem = RandomRequests.sized(new SplittableRandom(services * 31L + instances), services, instances);
    }

    @Benchmark
    public Plan plan() {
        return planner.plan(problem).orElseThrow();
    }
}
