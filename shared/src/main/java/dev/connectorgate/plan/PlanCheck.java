package dev.connectorgate.plan;

import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a plan against the contract's "What fits means": every instance planned exactly once, every dependsOn kept,
 * and at every instant the instances starting use at most the headroom. Independent of any planner, so it can judge
 * them all.
 */
public final class PlanCheck {
    /** Bandwidth comparisons tolerate float noise of this many Mbps. */
    public static final double EPSILON_MBPS = 1e-6;

    private PlanCheck() {
    }

    public static boolean fits(PlanningProblem problem, Plan plan) {
        return violations(problem, plan).isEmpty();
    }

    /** Every way the plan breaks the rules, empty when it fits. */
    public static List<String> violations(PlanningProblem problem, Plan plan) {
        List<String> out = new ArrayList<>();
        Map<String, ServiceSpec> byName = new HashMap<>();
        problem.services().forEach(s -> byName.put(s.name(), s));
        Map<String, Integer> planned = new HashMap<>();
        Map<String, Long> firstStart = new HashMap<>();
        Map<String, Long> lastEnd = new HashMap<>();
        for (Start s : plan.starts()) {
            ServiceSpec spec = byName.get(s.service());
            if (spec == null) {
                out.add("plan starts unknown service " + s.service());
                return out;
            }
            planned.merge(s.service(), s.instances(), Integer::sum);
            firstStart.merge(s.service(), s.offsetMillis(), Math::min);
            long end = s.offsetMillis() + spec.startupMillis();
            lastEnd.merge(s.service(), end, Math::max);
        }
        for (ServiceSpec spec : problem.services()) {
            int n = planned.getOrDefault(spec.name(), 0);
            if (n != spec.instances()) {
                out.add(spec.name() + ": planned " + n + " instances, asked " + spec.instances());
            }
            for (String dep : spec.dependsOn()) {
                Long depEnd = lastEnd.get(dep);
                Long start = firstStart.get(spec.name());
                if (depEnd != null && start != null && start < depEnd) {
                    out.add(spec.name() + " starts at " + Numbers.fmt(Numbers.seconds(start)) + " s before " + dep
                            + " has finished at " + Numbers.fmt(Numbers.seconds(depEnd)) + " s");
                }
            }
        }
        StepFunction used = usage(problem.services(), plan);
        StepFunction headroom = problem.headroom();
        for (int i = 0; i < used.size(); i++) {
            long from = used.startAt(i);
            long to = i + 1 < used.size() ? used.startAt(i + 1) : Long.MAX_VALUE;
            double u = used.valueAtIndex(i);
            if (u <= EPSILON_MBPS) {
                continue;
            }
            double room = headroom.minOver(from, to);
            if (u > room + EPSILON_MBPS) {
                out.add("at " + Numbers.fmt(Numbers.seconds(from)) + " s the plan uses " + Numbers.fmt(u)
                        + " Mbps; headroom is " + Numbers.fmt(room) + " Mbps");
            }
        }
        return out;
    }

    /** Bandwidth the plan uses over time, Mbps. */
    public static StepFunction usage(List<ServiceSpec> services, Plan plan) {
        return StepFunction.sumOf(rectangles(services, plan));
    }

    /** The plan's usage as rectangles, ready to become a reservation. */
    public static List<StepFunction.Rectangle> rectangles(List<ServiceSpec> services, Plan plan) {
        Map<String, ServiceSpec> byName = new HashMap<>();
        services.forEach(s -> byName.put(s.name(), s));
        List<StepFunction.Rectangle> out = new ArrayList<>();
        for (Start s : plan.starts()) {
            ServiceSpec spec = byName.get(s.service());
            out.add(new StepFunction.Rectangle(s.offsetMillis(), s.offsetMillis() + spec.startupMillis(),
                    s.instances() * spec.startupMbps()));
        }
        return out;
    }
}
