package dev.connectorgate.plan;

import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The optimum by brute force, independent of the planners: every dependency-respecting order of single instances,
 * each placed at its earliest fitting start, checked directly on the headroom and the placed rectangles. The
 * earliest-start orders reach every active schedule, and some optimal plan is active.
 */
public final class BruteForce {
    private final PlanningProblem problem;
    private final List<ServiceSpec> services;
    private final int[] left;
    private final long[] finish;
    private final List<StepFunction.Rectangle> placed = new ArrayList<>();
    private long best = Long.MAX_VALUE;
    private int remaining;

    private BruteForce(PlanningProblem problem) {
        this.problem = problem;
        services = problem.services();
        left = services.stream().mapToInt(ServiceSpec::instances).toArray();
        finish = new long[services.size()];
        remaining = services.stream().mapToInt(ServiceSpec::instances).sum();
    }

    public static Optional<Long> optimum(PlanningProblem problem) {
        BruteForce b = new BruteForce(problem);
        b.search(0);
        return b.best == Long.MAX_VALUE ? Optional.empty() : Optional.of(b.best);
    }

    private void search(long makespan) {
        if (remaining == 0) {
            best = Math.min(best, makespan);
            return;
        }
        for (int i = 0; i < services.size(); i++) {
            ServiceSpec s = services.get(i);
            if (left[i] == 0 || !depsDone(s)) {
                continue;
            }
            long ready = 0;
            for (String d : s.dependsOn()) {
                ready = Math.max(ready, finish[indexOf(d)]);
            }
            long at = earliest(ready, s);
            if (at < 0) {
                continue;
            }
            long end = at + s.startupMillis();
            long saved = finish[i];
            finish[i] = Math.max(saved, end);
            left[i]--;
            remaining--;
            placed.add(new StepFunction.Rectangle(at, end, s.startupMbps()));
            search(Math.max(makespan, end));
            placed.remove(placed.size() - 1);
            remaining++;
            left[i]++;
            finish[i] = saved;
        }
    }

    private boolean depsDone(ServiceSpec s) {
        return s.dependsOn().stream().allMatch(d -> left[indexOf(d)] == 0);
    }

    private int indexOf(String name) {
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    // Candidates are the ready time and every breakpoint after it; past the last one nothing changes.
    private long earliest(long ready, ServiceSpec s) {
        StepFunction used = StepFunction.sumOf(placed);
        TreeSet<Long> points = new TreeSet<>();
        points.add(ready);
        for (int k = 0; k < problem.headroom().size(); k++) {
            points.add(problem.headroom().startAt(k));
        }
        for (int k = 0; k < used.size(); k++) {
            points.add(used.startAt(k));
        }
        for (long t : points.tailSet(ready)) {
            if (fits(t, t + s.startupMillis(), s.startupMbps(), used, points)) {
                return t;
            }
        }
        return -1;
    }

    private boolean fits(long from, long to, double mbps, StepFunction used, TreeSet<Long> points) {
        List<Long> checks = new ArrayList<>(points.subSet(from, true, to, false));
        checks.add(from);
        for (long t : checks) {
            if (problem.headroom().valueAt(t) - used.valueAt(t) + 1e-7 < mbps) {
                return false;
            }
        }
        return true;
    }
}
