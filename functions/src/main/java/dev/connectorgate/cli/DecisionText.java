package dev.connectorgate.cli;

import static dev.connectorgate.capacity.Numbers.fmt;

import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.decision.CapacitySnapshot;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Remedy;
import dev.connectorgate.plan.Wave;
import java.util.stream.Collectors;

/** A decision as a person reads it in a terminal: verdict, capacity, reasons, waves, remedies. */
final class DecisionText {
    private DecisionText() {
    }

    static String render(GateDecision d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.verdict()).append("  request ").append(d.requestId() == null ? "(unreadable)" : d.requestId());
        if (d.connector() != null) {
            sb.append(" on ").append(d.connector());
        }
        sb.append("  (decided ").append(d.decidedAt()).append(")\n");
        CapacitySnapshot c = d.capacity();
        if (c != null) {
            sb.append("  capacity  connector ").append(fmt(c.connectorMbps())).append(" Mbps · usable ")
                    .append(fmt(c.usableMbps())).append(" · baseline ").append(fmt(c.baselineMbps()))
                    .append(" · reserved ").append(fmt(c.reservedMbps())).append(" · headroom ")
                    .append(fmt(c.headroomMbps())).append(" Mbps\n");
        }
        if (!d.reasons().isEmpty()) {
            sb.append("  why\n");
            d.reasons().forEach(r -> sb.append("    - ").append(r).append('\n'));
        }
        if (d.plan() != null) {
            sb.append("  waves\n");
            for (Wave w : d.plan().waves()) {
                String services = w.starts().stream().map(s -> s.service() + " ×" + s.instances())
                        .collect(Collectors.joining(", "));
                sb.append(String.format("    +%-8s %s%n", fmt(Numbers.seconds(w.startOffsetMillis())) + " s",
                        services));
            }
            sb.append("  makespan ").append(fmt(Numbers.seconds(d.plan().makespanMillis()))).append(" s");
            if (d.lowerBoundMillis() != null) {
                sb.append(" · lower bound ").append(fmt(Numbers.seconds(d.lowerBoundMillis()))).append(" s");
            }
            sb.append('\n');
        } else if (d.lowerBoundMillis() != null) {
            sb.append("  lower bound ").append(fmt(Numbers.seconds(d.lowerBoundMillis()))).append(" s\n");
        }
        if (d.retryAfterSeconds() != null) {
            sb.append("  retry after ").append(d.retryAfterSeconds()).append(" s\n");
        }
        if (!d.remedies().isEmpty()) {
            sb.append("  remedies\n");
            for (Remedy r : d.remedies()) {
                sb.append("    - ").append(r.kind());
                if (r instanceof Remedy.ScaleConnector s) {
                    sb.append(" ").append(s.instances()).append(" × ").append(s.machineType());
                } else if (r instanceof Remedy.RetryAfter ra) {
                    sb.append(" ").append(ra.seconds()).append(" s");
                }
                sb.append(": ").append(r.detail()).append('\n');
            }
        }
        if (!d.degraded().isEmpty()) {
            sb.append("  degraded inputs\n");
            d.degraded().forEach(x -> sb.append("    - ").append(x).append('\n'));
        }
        return sb.toString();
    }

    /** A one-line summary for a timeline. */
    static String oneLine(GateDecision d) {
        String id = d.requestId() == null ? "(no requestId)" : d.requestId();
        String tail = d.plan() != null
                ? " (" + d.plan().waves().size() + " waves, " + fmt(Numbers.seconds(d.plan().makespanMillis())) + " s)"
                : d.reasons().isEmpty() ? "" : ": " + d.reasons().get(0);
        return d.verdict() + " " + id + tail;
    }
}
