package dev.connectorgate.decision;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Incident;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.Policy;
import dev.connectorgate.plan.EarliestPlan;
import dev.connectorgate.plan.LowerBound;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.PlanCheck;
import dev.connectorgate.plan.Planner;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.ports.ConnectorLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision core: one request, the connector, its load, earlier reservations and open incidents in; one verdict
 * (and, for ALLOW/STAGGER, the reservation to record) out. Pure: no I/O, no clock but the one in its input.
 */
public final class Gate {
    private final Planner planner;
    private final Policy policy;
    private final RemedyAdvisor remedies;

    public Gate(Planner planner, Policy policy) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.remedies = new RemedyAdvisor(planner);
    }

    public Policy policy() {
        return policy;
    }

    /** Everything a decision depends on, gathered by the caller from the ports. */
    /**
     * @param deadlineMillis time left for the rollout to finish starting, from now: the request's deadlineSeconds
     *                       when it is first decided, what remains of it when a waiting request is decided later
     */
    public record Input(DeploymentRequest request, Instant now, long deadlineMillis, ConnectorLookup connector,
            Optional<Load> load, List<Reservation> reservations, List<Incident> openIncidents,
            List<String> degraded) {
        public Input {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(now, "now");
            Objects.requireNonNull(connector, "connector");
            Objects.requireNonNull(load, "load");
            reservations = List.copyOf(reservations);
            openIncidents = List.copyOf(openIncidents);
            degraded = List.copyOf(degraded);
        }
    }

    /** A decision and, when it admits a plan, the reservation that holds the plan's capacity. */
    public record Outcome(GateDecision decision, Optional<Reservation> reservation) {
    }

    public Outcome decide(Input in) {
        DeploymentRequest req = in.request();
        if (in.connector() instanceof ConnectorLookup.NotFound) {
            return refuse(in, Verdict.BLOCK, null, List.of("connector " + req.connector()
                    + " does not exist (VPC Access has no such connector): check the request's connector name"));
        }
        if (in.connector() instanceof ConnectorLookup.Unavailable u) {
            return refuse(in, Verdict.WAIT, null, List.of("the connector's configuration cannot be read now ("
                    + u.why() + "); the gate decides when it can"));
        }
        Connector connector = ((ConnectorLookup.Found) in.connector()).connector();
        Optional<Outcome> byState = decideByState(in, connector);
        if (byState.isPresent()) {
            return byState.get();
        }
        if (!in.openIncidents().isEmpty()) {
            List<String> reasons = new ArrayList<>();
            for (Incident i : in.openIncidents()) {
                reasons.add("incident " + i.incidentId() + " is open on connector " + connector.shortName() + ": "
                        + i.summary() + "; the gate decides when it closes");
            }
            return refuse(in, Verdict.WAIT, null, reasons);
        }
        if (in.load().isEmpty()) {
            String why = in.degraded().isEmpty() ? "" : " (" + String.join("; ", in.degraded()) + ")";
            return refuse(in, Verdict.WAIT, null, List.of("the connector's live load cannot be used" + why
                    + " and the policy is fail-closed; the gate decides when fresh load data is back"));
        }
        Capacity capacity = Capacity.at(in.now(), connector, policy, in.load().get(), in.reservations());
        return decideOnCapacity(in, capacity);
    }

    private Optional<Outcome> decideByState(Input in, Connector connector) {
        String name = connector.shortName();
        switch (connector.state()) {
            case READY:
                if (connector.runningInstances() < 1) {
                    return Optional.of(refuse(in, Verdict.WAIT, null, List.of("connector " + name
                            + " reports no running instances; the gate decides when it does")));
                }
                return Optional.empty();
            case ERROR:
                return Optional.of(refuse(in, Verdict.BLOCK, null, List.of("connector " + name
                        + " is in ERROR: nothing can egress through it; Google recommends deleting and recreating it")));
            case DELETING:
                return Optional.of(refuse(in, Verdict.BLOCK, null, List.of("connector " + name
                        + " is being deleted: nothing will egress through it")));
            default:
                return Optional.of(refuse(in, Verdict.WAIT, null, List.of("connector " + name + " is "
                        + connector.state() + ", not READY; the gate decides when it is READY")));
        }
    }

    private Outcome decideOnCapacity(Input in, Capacity capacity) {
        DeploymentRequest req = in.request();
        long deadline = in.deadlineMillis();
        PlanningProblem problem = new PlanningProblem(capacity.headroom(), req.services(), deadline);
        Plan earliest = EarliestPlan.of(problem);
        LowerBound.Bound bound = LowerBound.explain(problem);
        CapacitySnapshot snapshot = CapacitySnapshot.of(capacity);

        if (deadline <= 0) {
            return blocked(in, snapshot, bound, List.of("no time is left before the request's deadline"), List.of(),
                    null);
        }
        if (earliest.makespanMillis() > deadline) {
            List<String> reasons = List.of(Reasons.dependencyChainTooLong(req, earliest.makespanMillis(), deadline));
            return blocked(in, snapshot, bound, reasons, List.of(), null);
        }
        if (PlanCheck.fits(problem, earliest)) {
            List<String> reasons = List.of(Reasons.fits(problem, earliest, capacity));
            return admitted(in, Verdict.ALLOW, snapshot, earliest, bound, reasons, List.of());
        }
        List<String> tooLarge = Reasons.instancesThatNeverFit(problem, capacity);
        Optional<Plan> staggered = tooLarge.isEmpty() ? planner.plan(problem) : Optional.empty();
        String overload = Reasons.overload(problem, earliest, capacity);
        if (staggered.isPresent() && staggered.get().makespanMillis() <= deadline) {
            Plan plan = staggered.get();
            List<String> reasons = List.of(overload, Reasons.staggered(plan, bound.millis(), deadline));
            return admitted(in, Verdict.STAGGER, snapshot, plan, bound, reasons,
                    remedies.forStagger(problem, capacity, req));
        }
        List<String> reasons = new ArrayList<>();
        reasons.add(overload);
        if (!tooLarge.isEmpty()) {
            reasons.addAll(tooLarge);
        } else {
            reasons.add(Reasons.tooSlow(staggered, bound, deadline));
        }
        RemedyAdvisor.ForBlock advice = remedies.forBlock(problem, capacity, req, in.reservations(), in.now());
        return blocked(in, snapshot, bound, reasons, advice.remedies(), advice.retryAfterSeconds());
    }

    private Outcome admitted(Input in, Verdict verdict, CapacitySnapshot snapshot, Plan plan,
            LowerBound.Bound bound, List<String> reasons, List<Remedy> remedyList) {
        DeploymentRequest req = in.request();
        GateDecision d = new GateDecision(req.requestId(), req.buildId(), req.connector(), verdict, reasons, in.now(),
                snapshot, plan, bound.millis(), remedyList, null, in.degraded());
        Instant lease = in.now().plusSeconds(policy.leaseSeconds());
        Reservation r = new Reservation(req.requestId(), req.buildId(), req.connector(), in.now(),
                PlanCheck.rectangles(req.services(), plan), lease);
        return new Outcome(d, Optional.of(r));
    }

    private Outcome blocked(Input in, CapacitySnapshot snapshot, LowerBound.Bound bound, List<String> reasons,
            List<Remedy> remedyList, Long retryAfter) {
        DeploymentRequest req = in.request();
        Long lb = bound.millis() == Long.MAX_VALUE ? null : bound.millis();
        GateDecision d = new GateDecision(req.requestId(), req.buildId(), req.connector(), Verdict.BLOCK, reasons,
                in.now(), snapshot, null, lb, remedyList, retryAfter, in.degraded());
        return new Outcome(d, Optional.empty());
    }

    private Outcome refuse(Input in, Verdict verdict, CapacitySnapshot snapshot, List<String> reasons) {
        DeploymentRequest req = in.request();
        Long retry = verdict == Verdict.WAIT ? policy.waitRecheckSeconds() : null;
        GateDecision d = new GateDecision(req.requestId(), req.buildId(), req.connector(), verdict, reasons, in.now(),
                snapshot, null, null, List.of(), retry, in.degraded());
        return new Outcome(d, Optional.empty());
    }

    /** A REJECT for a request that could not be validated; echoes whatever of it could be read. */
    public static GateDecision reject(String requestId, String buildId, String connector, List<String> problems,
            Instant now) {
        return new GateDecision(requestId, buildId, connector, Verdict.REJECT, problems, now, null, null, null,
                List.of(), null, List.of());
    }

    /** The BLOCK a waiting request becomes when its deadline passes before its reason cleared. */
    public GateDecision deadlinePassed(DeploymentRequest req, Instant queuedAt, Instant now, GateDecision lastWait) {
        String why = "the deadline of " + req.deadlineSeconds() + " s passed while waiting (queued at " + queuedAt
                + ")" + (lastWait == null || lastWait.reasons().isEmpty() ? "" : ": " + lastWait.reasons().get(0));
        return new GateDecision(req.requestId(), req.buildId(), req.connector(), Verdict.BLOCK, List.of(why), now,
                lastWait == null ? null : lastWait.capacity(), null, null, List.of(), null,
                lastWait == null ? List.of() : lastWait.degraded());
    }

    static String seconds(long millis) {
        return Numbers.fmt(Numbers.seconds(millis)) + " s";
    }

}
