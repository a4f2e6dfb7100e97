package dev.connectorgate.decision;

import dev.connectorgate.plan.Plan;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The gate's answer to one request, as published on {@code gate-decisions} (contract: GateDecision).
 *
 * @param requestId         echoed; null when the request's own id could not be read
 * @param capacity          capacity at decidedAt; null when the connector could not be read
 * @param plan              for ALLOW/STAGGER the admitted plan (its waves go on the wire); otherwise null
 * @param lowerBoundMillis  a proven lower bound on any fitting plan's makespan; null when none was computed
 * @param retryAfterSeconds for WAIT, and for a BLOCK that time will cure; otherwise null
 * @param degraded          inputs that were slow, stale or gone, and what the gate did instead (empty when none)
 */
public record GateDecision(
        String requestId, String buildId, String connector, Verdict verdict, List<String> reasons, Instant decidedAt,
        CapacitySnapshot capacity, Plan plan, Long lowerBoundMillis, List<Remedy> remedies, Long retryAfterSeconds,
        List<String> degraded) {

    public GateDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(decidedAt, "decidedAt");
        reasons = List.copyOf(reasons);
        remedies = List.copyOf(remedies);
        degraded = List.copyOf(degraded);
        if (verdict.admits() != (plan != null)) {
            throw new IllegalArgumentException("a plan goes with ALLOW and STAGGER only, verdict " + verdict);
        }
        if (verdict != Verdict.ALLOW && reasons.isEmpty()) {
            throw new IllegalArgumentException("reasons are never empty unless the verdict is ALLOW");
        }
    }

    /** The makespan of the admitted plan, null for verdicts that admit none. */
    public Long makespanMillis() {
        return plan == null ? null : plan.makespanMillis();
    }
}
