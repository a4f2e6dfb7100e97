package dev.connectorgate.ports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The last good reading stands in for a failed one, keeping its own age so the policy can judge it. */
class LastKnownLoadTest {
    static final Connector C = new Connector("projects/p/locations/r/connectors/c", MachineType.E2_MICRO, 2, 3, 2,
            ConnectorState.READY);
    static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void shouldOfferTheLastGoodReadingWhenTheSourceFails() {
        Deque<Optional<Load>> answers = new ArrayDeque<>(List.of(Optional.of(new Load(35, T, "monitoring")),
                Optional.empty()));
        LastKnownLoad load = new LastKnownLoad(c -> answers.pop());

        assertThat(load.load(C)).get().extracting(Load::baselineMbps).isEqualTo(35.0);
        Load stale = load.load(C).orElseThrow();
        assertThat(stale.baselineMbps()).isEqualTo(35.0);
        assertThat(stale.observedAt()).isEqualTo(T);
        assertThat(stale.source()).contains("last known");
    }

    @Test
    void shouldOfferNothingWhenThereNeverWasAReading() {
        assertThat(new LastKnownLoad(c -> Optional.empty()).load(C)).isEmpty();
    }
}
