package dev.connectorgate.model;

import java.util.Objects;

/**
 * What the gate knows of one connector: its machine type, instance bounds, the instances running now and its state.
 *
 * @param runningInstances instances running now; capacity counts only these, never a scale-out that may not come
 */
public record Connector(
        String name, MachineType machineType, int minInstances, int maxInstances, int runningInstances,
        ConnectorState state) {

    /** The hard ceiling of a connector's instance count (VPC Access allows 2..10). */
    public static final int MAX_INSTANCES_LIMIT = 10;

    public Connector {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(machineType, "machineType");
        Objects.requireNonNull(state, "state");
        if (runningInstances < 0) {
            throw new IllegalArgumentException("runningInstances must be >= 0, got " + runningInstances);
        }
    }

    public double connectorMbps() {
        return runningInstances * machineType.perInstanceMbps();
    }

    /** The connector's short id, the last path segment of its full name. */
    public String shortName() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? name : name.substring(slash + 1);
    }
}
