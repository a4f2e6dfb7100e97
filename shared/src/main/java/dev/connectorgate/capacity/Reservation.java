package dev.connectorgate.capacity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An admitted plan's hold on a connector: the bandwidth it uses over time, from its decision until it ends.
 *
 * @param decidedAt the instant offsets are counted from
 * @param usage     rectangles of bandwidth, offsets in ms from decidedAt
 * @param expiresAt the lease: after this the reservation counts for nothing, whatever its plan says
 */
public record Reservation(
        String requestId, String buildId, String connector, Instant decidedAt, List<StepFunction.Rectangle> usage,
        Instant expiresAt) {

    public Reservation {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        usage = List.copyOf(usage);
    }

    /** The instant the last rectangle ends (or the lease, if earlier). */
    public Instant endsAt() {
        long last = usage.stream().mapToLong(StepFunction.Rectangle::toMillis).max().orElse(0);
        Instant planEnd = decidedAt.plusMillis(last);
        return planEnd.isBefore(expiresAt) ? planEnd : expiresAt;
    }

    public boolean activeAt(Instant now) {
        return endsAt().isAfter(now);
    }

    /** This reservation's rectangles as offsets from {@code now}, cut at the lease; parts in the past dropped. */
    public List<StepFunction.Rectangle> rectanglesFrom(Instant now) {
        long shift = Duration.between(decidedAt, now).toMillis();
        long leaseEnd = Duration.between(now, expiresAt).toMillis();
        List<StepFunction.Rectangle> out = new ArrayList<>(usage.size());
        for (StepFunction.Rectangle r : usage) {
            long from = Math.max(0, r.fromMillis() - shift);
            long to = Math.min(leaseEnd, r.toMillis() - shift);
            if (to > from) {
                out.add(new StepFunction.Rectangle(from, to, r.height()));
            }
        }
        return out;
    }
}
