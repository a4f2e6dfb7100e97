package dev.connectorgate.cli.chart;

import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Chart inputs the tests share: the seed case, the same connector with another rollout reserved, an empty plan. */
final class ChartFixtures {
    static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    static final Connector CONNECTOR = new Connector("projects/p/locations/us-central1/connectors/staging-connector",
            MachineType.E2_MICRO, 2, 3, 2, ConnectorState.READY);

    private ChartFixtures() {
    }

    static Capacity capacity(List<Reservation> reservations) {
        return Capacity.at(NOW, CONNECTOR, Policy.DEFAULT, new Load(20, NOW, "test"), reservations);
    }

    /** Headroom 140 = 2 × e2-micro × 100 × 0.8 − 20; 12 one-instance services × 40 Mbps × 6 s in 4 waves of 3. */
    static ChartInput seed(String title) {
        List<ServiceSpec> services = new ArrayList<>();
        List<Start> starts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ServiceSpec s = ServiceSpec.of(String.format("svc-%02d", i + 1), 1, 40, 6);
            services.add(s);
            starts.add(new Start(s.name(), (i / 3) * 6_000L, 1));
        }
        return new ChartInput(title, capacity(List.of()), services, Plan.of(services, starts), 24_000);
    }

    /** Another rollout decided 5 s ago still holds 30 Mbps until 5 s from now and 20 Mbps until 20 s. */
    static Reservation otherRollout() {
        return new Reservation("other-1", "other-1", CONNECTOR.name(), NOW.minusSeconds(5),
                List.of(new StepFunction.Rectangle(0, 10_000, 30), new StepFunction.Rectangle(5_000, 25_000, 20)),
                NOW.plusSeconds(3600));
    }

    static final List<ServiceSpec> RAMP_SERVICES = List.of(
            ServiceSpec.of("api", 4, 25, 8), ServiceSpec.of("worker", 3, 30, 5, "api"),
            ServiceSpec.of("frontend", 2, 20, 10), ServiceSpec.of("billing", 1, 35, 6));

    /** A plan around {@link #otherRollout()} with api and frontend ramped over two waves each. */
    static ChartInput rampWithReservation() {
        List<Start> starts = List.of(new Start("api", 0, 2), new Start("billing", 0, 1),
                new Start("frontend", 6_000, 1),
                new Start("api", 8_000, 2), new Start("worker", 16_000, 3), new Start("frontend", 16_000, 1));
        return new ChartInput("ramp", capacity(List.of(otherRollout())), RAMP_SERVICES,
                Plan.of(RAMP_SERVICES, starts), 21_000);
    }

    static ChartInput emptyPlan() {
        return new ChartInput("blocked", capacity(List.of(otherRollout())), RAMP_SERVICES,
                Plan.of(RAMP_SERVICES, List.of()), 0);
    }
}
