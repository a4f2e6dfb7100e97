package dev.connectorgate.capacity;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The capacity arithmetic of the contract's "What fits means", for one connector at one instant.
 *
 * <p>{@code headroom(t) = connectorMbps × targetUtilization − baselineMbps − reserved(t)}, with t in ms from now.
 */
public final class Capacity {
    private final Connector connector;
    private final Policy policy;
    private final double baselineMbps;
    private final StepFunction reserved;

    private Capacity(Connector connector, Policy policy, double baselineMbps, StepFunction reserved) {
        this.connector = connector;
        this.policy = policy;
        this.baselineMbps = baselineMbps;
        this.reserved = reserved;
    }

    /** Capacity at {@code now}, counting the given reservations (inactive ones are ignored). */
    public static Capacity at(Instant now, Connector connector, Policy policy, Load load, List<Reservation> reservations) {
        List<StepFunction.Rectangle> rects = new ArrayList<>();
        for (Reservation r : reservations) {
            if (r.activeAt(now)) {
                rects.addAll(r.rectanglesFrom(now));
            }
        }
        return new Capacity(connector, policy, load.baselineMbps(), StepFunction.sumOf(rects));
    }

    /** The same policy, load and reservations on another connector shape: how remedies are tried. */
    public Capacity withConnector(Connector other) {
        return new Capacity(other, policy, baselineMbps, reserved);
    }

    /** The same connector and load seen {@code millis} later: reservations that end by then no longer count. */
    public Capacity after(long millis) {
        return new Capacity(connector, policy, baselineMbps, reserved.shiftedLeft(millis));
    }

    public Connector connector() {
        return connector;
    }

    public Policy policy() {
        return policy;
    }

    public double connectorMbps() {
        return connector.connectorMbps();
    }

    public double usableMbps() {
        return connectorMbps() * policy.targetUtilization();
    }

    public double baselineMbps() {
        return baselineMbps;
    }

    public StepFunction reserved() {
        return reserved;
    }

    public double reservedNowMbps() {
        return reserved.valueAt(0);
    }

    /** headroom(t): what a new plan may use at each offset. Can be negative when load already exceeds the target. */
    public StepFunction headroom() {
        return reserved.times(-1).plus(usableMbps() - baselineMbps);
    }

    public double headroomNowMbps() {
        return usableMbps() - baselineMbps - reservedNowMbps();
    }

    /** The arithmetic behind headroom now, for a person: {@code 2 × e2-micro × 100 Mbps × 0.8 − 20 baseline}. */
    public String explainHeadroom() {
        return explainHeadroomAt(0);
    }

    /** The arithmetic behind headroom at offset {@code t} ms, reservations at that instant included. */
    public String explainHeadroomAt(long t) {
        double reservedThen = reserved.valueAt(t);
        StringBuilder sb = new StringBuilder();
        sb.append(connector.runningInstances()).append(" × ").append(connector.machineType().wireName())
                .append(" × ").append(Numbers.fmt(connector.machineType().perInstanceMbps())).append(" Mbps × ")
                .append(Numbers.fmt(policy.targetUtilization())).append(" − ")
                .append(Numbers.fmt(baselineMbps)).append(" baseline");
        if (reservedThen > 0) {
            sb.append(" − ").append(Numbers.fmt(reservedThen)).append(" reserved by other rollouts");
        }
        return sb.toString();
    }
}
