package dev.connectorgate.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The load failure policy: fresh readings pass, stale or missing ones follow the fail mode. */
class InputPolicyTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    static final Connector CONNECTOR = new Connector("projects/p/locations/r/connectors/c", MachineType.E2_MICRO,
            2, 3, 2, ConnectorState.READY);
    private final InputPolicy closed = new InputPolicy(InputPolicy.FailMode.CLOSED, Duration.ofMinutes(10), 0.5);
    private final InputPolicy open = new InputPolicy(InputPolicy.FailMode.OPEN, Duration.ofMinutes(10), 0.5);

    @Test
    void shouldUseAFreshReadingAsIs() {
        Load fresh = new Load(35, NOW.minusSeconds(240), "monitoring");
        InputPolicy.Judged j = closed.judge(Optional.of(fresh), CONNECTOR, NOW);
        assertThat(j.load()).contains(fresh);
        assertThat(j.degraded()).isEmpty();
    }

    @Test
    void shouldWithholdAStaleReadingWhenFailClosed() {
        InputPolicy.Judged j = closed.judge(Optional.of(new Load(35, NOW.minusSeconds(900), "monitoring")),
                CONNECTOR, NOW);
        assertThat(j.load()).isEmpty();
        assertThat(j.degraded()).singleElement().asString().contains("900 s old").contains("fail-closed");
    }

    @Test
    void shouldAssumeASafeBaselineWhenFailOpen() {
        InputPolicy.Judged missing = open.judge(Optional.empty(), CONNECTOR, NOW);
        assertThat(missing.load()).get().extracting(Load::baselineMbps).isEqualTo(100.0);
        assertThat(missing.degraded()).singleElement().asString().contains("fail-open").contains("100 Mbps");

        InputPolicy.Judged staleButBusy = open.judge(Optional.of(new Load(150, NOW.minusSeconds(3600), "monitoring")),
                CONNECTOR, NOW);
        assertThat(staleButBusy.load()).get().extracting(Load::baselineMbps).isEqualTo(150.0);
    }
}
