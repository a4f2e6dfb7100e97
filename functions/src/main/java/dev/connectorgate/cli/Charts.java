package dev.connectorgate.cli;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.cli.chart.ChartInput;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.local.Environment;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Load;
import java.util.List;
import java.util.Optional;

/** Builds the chart of an admitted decision: its plan over the headroom it was planned against. */
final class Charts {
    private Charts() {
    }

    /**
     * @param others reservations other rollouts held when the decision was made
     */
    static Optional<ChartInput> of(GateDecision d, DeploymentRequest request, Environment env,
            List<Reservation> others) {
        if (d.plan() == null) {
            return Optional.empty();
        }
        return env.connector(d.connector()).map(entry -> {
            Load load = new Load(entry.baselineMbps(), d.decidedAt(), "environment");
            Capacity capacity = Capacity.at(d.decidedAt(), entry.connector(), env.policy(), load, others);
            String title = d.verdict() + " " + d.requestId() + " on " + entry.connector().shortName();
            return new ChartInput(title, capacity, request.services(), d.plan(),
                    d.lowerBoundMillis() == null ? 0 : d.lowerBoundMillis());
        });
    }
}
