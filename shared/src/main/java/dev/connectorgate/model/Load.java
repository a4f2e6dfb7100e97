package dev.connectorgate.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The connector's live load that no reservation accounts for (other traffic), and how fresh that reading is.
 *
 * @param baselineMbps sent + received throughput, Mbps
 * @param observedAt   the instant the reading describes (the newest point), not when it was fetched
 * @param source       where it came from, for the decision's account of its inputs (e.g. "monitoring", "environment")
 */
public record Load(double baselineMbps, Instant observedAt, String source) {
    public Load {
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(source, "source");
        if (!(baselineMbps >= 0) || Double.isInfinite(baselineMbps)) {
            throw new IllegalArgumentException("baselineMbps must be a finite number >= 0, got " + baselineMbps);
        }
    }
}
