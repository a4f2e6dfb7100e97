package dev.connectorgate.simulate;

import java.util.Arrays;
import java.util.List;

/**
 * The outcome of one simulated rollout: every batch's startup, and the figures the seed's success bars are stated in
 * (success rate, p50/p95 startup time, makespan).
 *
 * <p>Every figure counts instances, not batches: a batch of 4 instances weighs 4. Percentiles are nearest-rank: the
 * p-th percentile of n startup times is the ⌈p/100 · n⌉-th smallest, so it is always a time some instance really took
 * (p95 of 12 startups is the slowest one).
 *
 * <p>The bars: a rollout meets them when at least {@link #SUCCESS_BAR} of its instances succeed, an instance
 * succeeding when its startup takes at most its nominal startupSeconds plus the grace. For the seed's 6 s profiles and
 * the default 2 s grace that is its "≥ 90 % success, startups &lt; 8 s" (at exactly 8 s a startup still counts as a
 * success, as the "longer than nominal plus grace fails" says). The startup target is per instance, so it is
 * already inside the success rate; a separate "p95 within target" bar would, for a request of one profile, ask for
 * 95 % success and make the 90 % bar redundant, so p95 is reported but not a bar of its own.
 *
 * @param outcomes     one per batch, in order of actual start (then of the plan)
 * @param graceSeconds the grace the successes were judged with
 */
public record SimulationResult(List<StartupOutcome> outcomes, double graceSeconds) {
    /** The share of instances that must succeed for a rollout to meet the seed's bars. */
    public static final double SUCCESS_BAR = 0.90;

    public SimulationResult {
        outcomes = List.copyOf(outcomes);
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("a simulation has at least one startup");
        }
    }

    public int instances() {
        return outcomes.stream().mapToInt(StartupOutcome::instances).sum();
    }

    public int successes() {
        return outcomes.stream().filter(StartupOutcome::succeeded).mapToInt(StartupOutcome::instances).sum();
    }

    /** Succeeded instances over all instances, 0..1. */
    public double successRate() {
        return (double) successes() / instances();
    }

    public double p50StartupSeconds() {
        return percentileStartupSeconds(50);
    }

    public double p95StartupSeconds() {
        return percentileStartupSeconds(95);
    }

    /** The nearest-rank p-th percentile (0 &lt; p ≤ 100) of the instances' startup times. */
    public double percentileStartupSeconds(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], got " + p);
        }
        double[] times = new double[instances()];
        int i = 0;
        for (StartupOutcome o : outcomes) {
            Arrays.fill(times, i, i + o.instances(), o.startupSeconds());
            i += o.instances();
        }
        Arrays.sort(times);
        // p · n first: for whole p that product is exact, so the rank is not pushed up by a rounding of p / 100.
        int rank = (int) Math.ceil(p * times.length / 100.0);
        return times[Math.max(rank, 1) - 1];
    }

    /** When the last instance finished starting, seconds from the decision. */
    public double makespanSeconds() {
        return outcomes.stream().mapToDouble(StartupOutcome::finishSeconds).max().orElseThrow();
    }

    /** At least {@link #SUCCESS_BAR} of the instances succeeded. */
    public boolean meetsBars() {
        return successRate() >= SUCCESS_BAR;
    }
}
