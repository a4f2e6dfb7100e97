package dev.connectorgate.plan;

import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import java.util.List;
import java.util.Objects;

/**
 * What a planner is asked: start these services under this headroom curve, keeping their dependencies.
 *
 * @param headroom       Mbps available to this plan at each offset (ms from the decision); may be negative
 * @param services       validated services, in request order (names unique, dependsOn acyclic and known)
 * @param deadlineMillis the makespan a plan must not exceed to be admitted (planners may use it as a hint)
 */
public record PlanningProblem(StepFunction headroom, List<ServiceSpec> services, long deadlineMillis) {
    public PlanningProblem {
        Objects.requireNonNull(headroom, "headroom");
        services = List.copyOf(services);
    }
}
