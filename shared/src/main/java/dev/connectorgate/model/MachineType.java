package dev.connectorgate.model;

import java.util.Arrays;
import java.util.Optional;

/** A connector machine type and the per-instance throughput the contract fixes for it. */
public enum MachineType {
    F1_MICRO("f1-micro", 50.0),
    E2_MICRO("e2-micro", 100.0),
    E2_STANDARD_4("e2-standard-4", 1600.0);

    private final String wireName;
    private final double perInstanceMbps;

    MachineType(String wireName, double perInstanceMbps) {
        this.wireName = wireName;
        this.perInstanceMbps = perInstanceMbps;
    }

    public String wireName() {
        return wireName;
    }

    public double perInstanceMbps() {
        return perInstanceMbps;
    }

    /** Reads the API's spelling; an empty machine type is the API default, e2-micro. */
    public static Optional<MachineType> fromWire(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(E2_MICRO);
        }
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name.trim())).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
