package dev.connectorgate.decision;

import static dev.connectorgate.capacity.Numbers.fmt;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.EarliestPlan;
import dev.connectorgate.plan.PlanCheck;
import dev.connectorgate.plan.Planner;
import dev.connectorgate.plan.PlanningProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Works out what would make a request fit: a bigger connector, waiting for reservations to end, or no connector. */
final class RemedyAdvisor {
    /** Direct VPC egress gives each Cloud Run instance up to about 1 Gbps of its own (gcp-facts.md). */
    static final double DIRECT_EGRESS_PER_INSTANCE_MBPS = 1000;
    /** RETRY_AFTER tries at most this many reservation end times, nearest first: enough, and bounded. */
    private static final int RETRY_CANDIDATES = 64;

    private final Planner planner;

    RemedyAdvisor(Planner planner) {
        this.planner = planner;
    }

    record ForBlock(List<Remedy> remedies, Long retryAfterSeconds) {
    }

    List<Remedy> forStagger(PlanningProblem problem, Capacity capacity, DeploymentRequest req) {
        List<Remedy> out = new ArrayList<>();
        scaleConnector(problem, capacity).ifPresent(out::add);
        directVpcEgress(req).ifPresent(out::add);
        return out;
    }

    ForBlock forBlock(PlanningProblem problem, Capacity capacity, DeploymentRequest req,
            List<Reservation> reservations, Instant now) {
        List<Remedy> out = new ArrayList<>();
        scaleConnector(problem, capacity).ifPresent(out::add);
        Optional<Remedy.RetryAfter> retry = retryAfter(problem, capacity, reservations, now);
        retry.ifPresent(out::add);
        directVpcEgress(req).ifPresent(out::add);
        return new ForBlock(out, retry.map(Remedy.RetryAfter::seconds).orElse(null));
    }

    /**
     * The smallest connector that would make this an ALLOW: more running instances of the same machine type (up to
     * 10), else e2-standard-4. Never smaller than today: a connector does not scale back in.
     */
    private Optional<Remedy> scaleConnector(PlanningProblem problem, Capacity capacity) {
        Connector now = capacity.connector();
        for (int n = now.runningInstances() + 1; n <= Connector.MAX_INSTANCES_LIMIT; n++) {
            if (allowsWith(problem, capacity, now.machineType(), n)) {
                return Optional.of(scale(now, now.machineType(), n));
            }
        }
        if (now.machineType() != MachineType.E2_STANDARD_4) {
            for (int n = 2; n <= Connector.MAX_INSTANCES_LIMIT; n++) {
                if (allowsWith(problem, capacity, MachineType.E2_STANDARD_4, n)) {
                    return Optional.of(scale(now, MachineType.E2_STANDARD_4, n));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean allowsWith(PlanningProblem problem, Capacity capacity, MachineType type, int instances) {
        Connector c = capacity.connector();
        Connector bigger = new Connector(c.name(), type, Math.max(c.minInstances(), instances),
                Math.max(c.maxInstances(), instances), instances, c.state());
        PlanningProblem p = new PlanningProblem(capacity.withConnector(bigger).headroom(), problem.services(),
                problem.deadlineMillis());
        return PlanCheck.fits(p, EarliestPlan.of(p));
    }

    private static Remedy scale(Connector now, MachineType type, int instances) {
        double mbps = instances * type.perInstanceMbps();
        // minInstances must stay below maxInstances (at most 9 and 10): the tenth instance only comes by scale-out.
        String tenth = instances == Connector.MAX_INSTANCES_LIMIT
                ? " (minInstances can be at most 9: the tenth instance comes only when the connector scales out)" : "";
        String how = type == now.machineType()
                ? "run " + instances + " × " + type + " (" + fmt(mbps) + " Mbps) instead of " + now.runningInstances()
                        + ": raise minInstances to " + Math.min(instances, Connector.MAX_INSTANCES_LIMIT - 1)
                        + " and maxInstances to at least " + Math.min(instances + 1, Connector.MAX_INSTANCES_LIMIT)
                        + tenth
                : "move to machine type " + type + " with " + instances + " instances (" + fmt(mbps) + " Mbps; now "
                        + now.runningInstances() + " × " + now.machineType() + ")";
        return new Remedy.ScaleConnector(type, instances, how
                + ". A connector does not scale back in: the added instances are paid for from then on.");
    }

    /** When other rollouts' reservations end far enough that the same request would fit, if they ever do. */
    private Optional<Remedy.RetryAfter> retryAfter(PlanningProblem problem, Capacity capacity,
            List<Reservation> reservations, Instant now) {
        TreeSet<Long> ends = new TreeSet<>();
        for (Reservation r : reservations) {
            if (r.activeAt(now)) {
                for (StepFunction.Rectangle rect : r.rectanglesFrom(now)) {
                    ends.add(rect.toMillis());
                }
                ends.add(Math.max(0, Duration.between(now, r.endsAt()).toMillis()));
            }
        }
        int tried = 0;
        for (long t : ends) {
            if (t <= 0 || tried++ >= RETRY_CANDIDATES) {
                continue;
            }
            PlanningProblem later = new PlanningProblem(capacity.after(t).headroom(), problem.services(),
                    problem.deadlineMillis());
            boolean fits = planner.plan(later).filter(p -> p.makespanMillis() <= later.deadlineMillis()).isPresent();
            if (fits) {
                long seconds = (t + 999) / 1000;
                return Optional.of(new Remedy.RetryAfter(seconds, "other rollouts' reservations on this connector"
                        + " end within " + seconds + " s; the same request fits then"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Remedy> directVpcEgress(DeploymentRequest req) {
        boolean fits = req.services().stream().allMatch(s -> s.startupMbps() <= DIRECT_EGRESS_PER_INSTANCE_MBPS);
        if (!fits) {
            return Optional.empty();
        }
        String names = Reasons.list(req.services().stream().map(ServiceSpec::name).toList());
        return Optional.of(new Remedy.DirectVpcEgress("deploy " + names + " with Direct VPC egress: no shared"
                + " connector, up to 1 Gbps per instance; connection setup at instance start can take a minute or"
                + " more, and the instance count is limited by quota"));
    }
}
