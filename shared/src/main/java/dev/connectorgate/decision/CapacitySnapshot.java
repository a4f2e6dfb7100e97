package dev.connectorgate.decision;

import dev.connectorgate.capacity.Capacity;

/** The capacity figures a decision reports, at its decidedAt (contract: GateDecision.capacity). */
public record CapacitySnapshot(
        double connectorMbps, double usableMbps, double baselineMbps, double reservedMbps, double headroomMbps) {

    public static CapacitySnapshot of(Capacity c) {
        return new CapacitySnapshot(c.connectorMbps(), c.usableMbps(), c.baselineMbps(), c.reservedNowMbps(),
                c.headroomNowMbps());
    }
}
