package dev.connectorgate.decision;

import static dev.connectorgate.capacity.Numbers.fmt;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.LowerBound;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.PlanCheck;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.plan.ServiceGraph;
import dev.connectorgate.plan.Start;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes the reasons of a decision: numbers a person can check and act on, not just a verdict. */
final class Reasons {
    private static final int LISTED_SERVICES = 4;

    private Reasons() {
    }

    static String fits(PlanningProblem problem, Plan earliest, Capacity capacity) {
        StepFunction used = PlanCheck.usage(problem.services(), earliest);
        double peak = used.maxFrom(0);
        int n = instances(problem.services());
        return (n == 1 ? "the instance starts" : "the " + n + " instances start")
                + " as soon as their dependencies allow: peak "
                + fmt(peak) + " Mbps within headroom of " + fmt(capacity.headroomNowMbps()) + " Mbps ("
                + capacity.explainHeadroom() + ")";
    }

    /** Where the dependency-only earliest plan first breaks the headroom, and by how much. */
    static String overload(PlanningProblem problem, Plan earliest, Capacity capacity) {
        StepFunction used = PlanCheck.usage(problem.services(), earliest);
        StepFunction headroom = problem.headroom();
        for (int i = 0; i < used.size(); i++) {
            long from = used.startAt(i);
            long to = i + 1 < used.size() ? used.startAt(i + 1) : Long.MAX_VALUE;
            double room = headroom.minOver(from, to);
            if (used.valueAtIndex(i) > room + PlanCheck.EPSILON_MBPS) {
                long at = firstBreach(headroom, from, to, used.valueAtIndex(i));
                String when = at == 0 ? "at once" : "at " + Gate.seconds(at);
                return demandAt(problem, earliest, at) + " " + when + "; headroom is " + fmt(headroom.valueAt(at))
                        + " Mbps (" + capacity.explainHeadroomAt(at) + ")";
            }
        }
        return "the earliest plan fits";
    }

    private static long firstBreach(StepFunction headroom, long from, long to, double use) {
        if (headroom.valueAt(from) < use - PlanCheck.EPSILON_MBPS) {
            return from;
        }
        for (int j = 0; j < headroom.size(); j++) {
            long t = headroom.startAt(j);
            if (t > from && t < to && headroom.valueAtIndex(j) < use - PlanCheck.EPSILON_MBPS) {
                return t;
            }
        }
        return from;
    }

    /** "12 instances × 40 Mbps = 480 Mbps", or a per-service breakdown when the services differ. */
    private static String demandAt(PlanningProblem problem, Plan plan, long t) {
        Map<String, ServiceSpec> byName = new LinkedHashMap<>();
        problem.services().forEach(s -> byName.put(s.name(), s));
        Map<String, Integer> running = new LinkedHashMap<>();
        for (Start s : plan.starts()) {
            ServiceSpec spec = byName.get(s.service());
            if (s.offsetMillis() <= t && t < s.offsetMillis() + spec.startupMillis()) {
                running.merge(s.service(), s.instances(), Integer::sum);
            }
        }
        int count = running.values().stream().mapToInt(Integer::intValue).sum();
        double total = running.entrySet().stream()
                .mapToDouble(e -> e.getValue() * byName.get(e.getKey()).startupMbps()).sum();
        long distinctRates = running.keySet().stream().mapToDouble(n -> byName.get(n).startupMbps()).distinct()
                .count();
        if (distinctRates == 1) {
            double rate = byName.get(running.keySet().iterator().next()).startupMbps();
            return count + " instances × " + fmt(rate) + " Mbps = " + fmt(total) + " Mbps";
        }
        List<String> parts = new ArrayList<>();
        running.forEach((name, n) -> parts.add(name + " " + n + " × " + fmt(byName.get(name).startupMbps())));
        return count + " instances need " + fmt(total) + " Mbps (" + list(parts) + ")";
    }

    static String staggered(Plan plan, long lowerBound, long deadline) {
        int waves = plan.waves().size();
        return "staggered into " + waves + (waves == 1 ? " wave" : " waves") + ": the last instance has started by "
                + Gate.seconds(plan.makespanMillis()) + " (lower bound " + Gate.seconds(lowerBound) + ", deadline "
                + Gate.seconds(deadline) + ")";
    }

    /** One reason per service whose single instance needs more than the headroom will ever be. */
    static List<String> instancesThatNeverFit(PlanningProblem problem, Capacity capacity) {
        double best = problem.headroom().maxFrom(0);
        List<String> out = new ArrayList<>();
        for (ServiceSpec s : problem.services()) {
            if (s.startupMbps() > best + PlanCheck.EPSILON_MBPS) {
                out.add("services." + s.name() + ": one instance needs " + fmt(s.startupMbps())
                        + " Mbps while it starts; headroom is never more than " + fmt(best) + " Mbps ("
                        + capacity.connector().runningInstances() + " × " + capacity.connector().machineType()
                        + " × " + fmt(capacity.connector().machineType().perInstanceMbps()) + " Mbps × "
                        + fmt(capacity.policy().targetUtilization()) + " − " + fmt(capacity.baselineMbps())
                        + " baseline)");
            }
        }
        return out;
    }

    static String tooSlow(Optional<Plan> best, LowerBound.Bound bound, long deadline) {
        String floor = bound.millis() == Long.MAX_VALUE ? ""
                : "; no plan can take less than " + Gate.seconds(bound.millis()) + " (" + bound.reason() + ")";
        String found = best.map(p -> "the best plan found takes " + Gate.seconds(p.makespanMillis()))
                .orElse("no plan was found");
        return found + ", past the deadline of " + Gate.seconds(deadline) + floor;
    }

    static String dependencyChainTooLong(DeploymentRequest req, long makespan, long deadline) {
        return "the dependency chain " + String.join(" → ", criticalChain(req.services())) + " alone takes "
                + Gate.seconds(makespan) + ", past the deadline of " + Gate.seconds(deadline)
                + ": raise deadlineSeconds or shorten the chain";
    }

    /** The longest chain of startups through dependsOn, first to last. */
    private static List<String> criticalChain(List<ServiceSpec> services) {
        ServiceGraph g = new ServiceGraph(services);
        long[] finish = new long[g.size()];
        int[] via = new int[g.size()];
        int last = 0;
        for (int i : g.topologicalOrder()) {
            via[i] = -1;
            long start = 0;
            for (int p : g.predecessors(i)) {
                if (finish[p] > start) {
                    start = finish[p];
                    via[i] = p;
                }
            }
            finish[i] = start + g.service(i).startupMillis();
            if (finish[i] > finish[last]) {
                last = i;
            }
        }
        List<String> chain = new ArrayList<>();
        for (int i = last; i >= 0; i = via[i]) {
            chain.add(0, g.service(i).name());
        }
        return chain;
    }

    private static int instances(List<ServiceSpec> services) {
        return services.stream().mapToInt(ServiceSpec::instances).sum();
    }

    static String list(List<String> parts) {
        if (parts.size() <= LISTED_SERVICES) {
            return String.join(", ", parts);
        }
        return String.join(", ", parts.subList(0, LISTED_SERVICES)) + ", +" + (parts.size() - LISTED_SERVICES)
                + " more";
    }
}
