package dev.connectorgate.admission;

import static dev.connectorgate.capacity.Numbers.fmt;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.Load;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the gate does when its live-load input is slow, stale or gone: the failure policy for Monitoring data.
 *
 * <p>Fail-closed (the default) answers WAIT until fresh data is back: a pipeline waits rather than a staging
 * environment falls over. Fail-open plans with a safe assumed baseline instead, and says so in the decision.
 * Inventory failures are not configurable: without the connector's shape there is nothing to plan with, so the
 * answer is WAIT either way (after the inventory's own cache of the last known shape runs out).
 *
 * @param loadMaxAge           the oldest load reading the gate still plans with (Monitoring points lag minutes)
 * @param safeBaselineFraction fail-open only: the share of the connector's raw throughput assumed busy when load
 *                             is unknown
 */
public record InputPolicy(FailMode failMode, Duration loadMaxAge, double safeBaselineFraction) {

    /** Fail-closed waits for good data; fail-open plans with a safe assumption. */
    public enum FailMode { CLOSED, OPEN }

    public static final InputPolicy DEFAULT = new InputPolicy(FailMode.CLOSED, Duration.ofMinutes(15), 0.5);

    public InputPolicy {
        Objects.requireNonNull(failMode, "failMode");
        Objects.requireNonNull(loadMaxAge, "loadMaxAge");
        if (loadMaxAge.isNegative() || loadMaxAge.isZero()) {
            throw new IllegalArgumentException("loadMaxAge must be positive, got " + loadMaxAge);
        }
        if (!(safeBaselineFraction >= 0 && safeBaselineFraction <= 1)) {
            throw new IllegalArgumentException("safeBaselineFraction must be in [0, 1], got " + safeBaselineFraction);
        }
    }

    /** The load a decision uses, and notes for the decision on how the input was degraded. */
    public record Judged(Optional<Load> load, List<String> degraded) {
    }

    /** Judges a reading: fresh is used as is; stale or missing follows the fail mode. */
    public Judged judge(Optional<Load> reading, Connector connector, Instant now) {
        if (reading.isPresent()) {
            Duration age = Duration.between(reading.get().observedAt(), now);
            if (age.compareTo(loadMaxAge) <= 0) {
                return new Judged(reading, List.of());
            }
            String why = "load: the newest reading (" + reading.get().source() + ") is " + age.toSeconds()
                    + " s old, older than the " + loadMaxAge.toSeconds() + " s the policy accepts";
            return fallback(why, connector, reading.get().baselineMbps(), now);
        }
        return fallback("load: no reading could be had", connector, 0, now);
    }

    private Judged fallback(String why, Connector connector, double lastKnown, Instant now) {
        if (failMode == FailMode.CLOSED) {
            return new Judged(Optional.empty(), List.of(why + "; fail-closed: waiting for fresh data"));
        }
        double assumed = Math.max(lastKnown, connector.connectorMbps() * safeBaselineFraction);
        return new Judged(Optional.of(new Load(assumed, now, "assumed")), List.of(why + "; fail-open: planned with"
                + " an assumed baseline of " + fmt(assumed) + " Mbps (" + fmt(safeBaselineFraction * 100)
                + " % of the connector, or the last reading if higher)"));
    }
}
