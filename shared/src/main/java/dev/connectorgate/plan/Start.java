package dev.connectorgate.plan;

/** A batch of one service's instances started together at one offset (ms from the decision). */
public record Start(String service, long offsetMillis, int instances) {
    public Start {
        if (instances < 1) {
            throw new IllegalArgumentException("a start has at least one instance, got " + instances);
        }
        if (offsetMillis < 0) {
            throw new IllegalArgumentException("offsets are >= 0, got " + offsetMillis);
        }
    }
}
