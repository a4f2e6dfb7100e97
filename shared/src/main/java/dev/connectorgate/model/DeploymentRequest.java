package dev.connectorgate.model;

import java.util.List;
import java.util.Objects;

/**
 * A validated deployment request: the services a pipeline wants to start together through one connector.
 *
 * @param buildId         the build whose terminal status releases the reservation (defaults to requestId)
 * @param deadlineSeconds the rollout must have finished starting this long after the decision
 */
public record DeploymentRequest(
        String requestId, String buildId, String connector, long deadlineSeconds, List<ServiceSpec> services) {

    public static final long DEFAULT_DEADLINE_SECONDS = 1800;

    public DeploymentRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(connector, "connector");
        services = List.copyOf(services);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("a request has at least one service");
        }
    }

    public int totalInstances() {
        return services.stream().mapToInt(ServiceSpec::instances).sum();
    }
}
