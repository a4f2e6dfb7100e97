package dev.connectorgate.plan;

import java.util.Optional;

/** Turns a planning problem into a plan that fits, or says none can be found (an instance larger than any headroom). */
public interface Planner {
    /** A plan that fits the headroom and keeps dependencies; empty when some instance can never fit. */
    Optional<Plan> plan(PlanningProblem problem);

    /** A short name for benchmarks and logs. */
    String name();
}
