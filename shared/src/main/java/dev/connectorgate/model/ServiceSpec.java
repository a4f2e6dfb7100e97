package dev.connectorgate.model;

import java.util.List;
import java.util.Objects;

/**
 * One service of a validated request, with policy defaults already filled in.
 *
 * @param instances      instances that start (the new revision's min instances)
 * @param startupMbps    connector bandwidth one instance uses while it starts
 * @param startupSeconds how long one instance's startup lasts
 * @param dependsOn      names of services of the same request that must have finished starting first
 */
public record ServiceSpec(String name, int instances, double startupMbps, double startupSeconds, List<String> dependsOn) {
    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        dependsOn = List.copyOf(dependsOn);
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, got " + instances);
        }
        if (!(startupMbps > 0) || !(startupSeconds > 0)) {
            throw new IllegalArgumentException("startupMbps and startupSeconds must be > 0");
        }
    }

    public static ServiceSpec of(String name, int instances, double mbps, double seconds, String... dependsOn) {
        return new ServiceSpec(name, instances, mbps, seconds, List.of(dependsOn));
    }

    /** Startup duration in whole milliseconds, rounded up: the planner's time grid, never shorter than the truth. */
    public long startupMillis() {
        return (long) Math.ceil(startupSeconds * 1000.0 - 1e-9);
    }
}
