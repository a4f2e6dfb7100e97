package dev.connectorgate.cli.chart;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a chart of one plan against a connector's headroom shows: the capacity picture and the plan's waves.
 *
 * @param title            free text shown above the chart; escaped by each renderer
 * @param capacity         the connector, policy, baseline and other rollouts' reservations the plan was made under
 * @param services         the services the plan's starts name, with their startup bandwidth and duration
 * @param plan             the plan to draw; may have no starts, and then only the capacity picture is drawn
 * @param lowerBoundMillis the proven lower bound on any fitting plan's makespan, shown beside the makespan
 */
public record ChartInput(String title, Capacity capacity, List<ServiceSpec> services, Plan plan,
        long lowerBoundMillis) {

    public ChartInput {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(plan, "plan");
        services = List.copyOf(services);
        if (lowerBoundMillis < 0) {
            throw new IllegalArgumentException("lowerBoundMillis must be >= 0, got " + lowerBoundMillis);
        }
        // A start of a service the chart cannot size would silently vanish from the picture; refuse it instead.
        Set<String> names = new HashSet<>();
        services.forEach(s -> names.add(s.name()));
        for (Start s : plan.starts()) {
            if (!names.contains(s.service())) {
                throw new IllegalArgumentException("plan starts unknown service " + s.service());
            }
        }
    }
}
