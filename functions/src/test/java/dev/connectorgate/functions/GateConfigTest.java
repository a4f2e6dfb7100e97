package dev.connectorgate.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connectorgate.admission.InputPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration from the environment: the documented defaults, and a clear word for a bad value. */
class GateConfigTest {

    @Test
    void shouldDefaultToTheContractsTopicsAndAFailClosedFirestoreGate() {
        GateConfig c = GateConfig.from(Map.of());
        assertThat(c.requestsTopic()).isEqualTo("gate-requests");
        assertThat(c.decisionsTopic()).isEqualTo("gate-decisions");
        assertThat(c.alertsTopic()).isEqualTo("connector-alerts");
        assertThat(c.buildsTopic()).isEqualTo("cloud-builds");
        assertThat(c.ticksTopic()).isEqualTo("gate-ticks");
        assertThat(c.inputs().failMode()).isEqualTo(InputPolicy.FailMode.CLOSED);
        assertThat(c.ledger()).isEqualTo(GateConfig.LedgerKind.FIRESTORE);
        assertThat(c.policy().targetUtilization()).isEqualTo(0.8);
        assertThat(c.apiTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldKeepTheLedgerInMemoryWhenRunningOnAnEnvironmentFile() {
        GateConfig c = GateConfig.from(Map.of(GateConfig.ENVIRONMENT_FILE, "/tmp/environment.json"));
        assertThat(c.ledger()).isEqualTo(GateConfig.LedgerKind.MEMORY);
        GateConfig shared = GateConfig.from(Map.of(GateConfig.ENVIRONMENT_FILE, "/tmp/environment.json",
                GateConfig.LEDGER, "firestore"));
        assertThat(shared.ledger()).isEqualTo(GateConfig.LedgerKind.FIRESTORE);
    }

    @Test
    void shouldReadEverySetting() {
        GateConfig c = GateConfig.from(Map.of(GateConfig.FAIL_MODE, "open", GateConfig.TARGET_UTILIZATION, "0.7",
                GateConfig.LOAD_MAX_AGE_SECONDS, "300", GateConfig.PROJECT, "netra-staging",
                GateConfig.DECISIONS_TOPIC, "decisions-v2"));
        assertThat(c.inputs().failMode()).isEqualTo(InputPolicy.FailMode.OPEN);
        assertThat(c.inputs().loadMaxAge()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.policy().targetUtilization()).isEqualTo(0.7);
        assertThat(c.requireProject()).isEqualTo("netra-staging");
        assertThat(c.decisionsTopic()).isEqualTo("decisions-v2");
    }

    @Test
    void shouldNameTheVariableOfABadValue() {
        assertThatThrownBy(() -> GateConfig.from(Map.of(GateConfig.FAIL_MODE, "maybe")))
                .hasMessageContaining("GATE_FAIL_MODE").hasMessageContaining("maybe");
        assertThatThrownBy(() -> GateConfig.from(Map.of(GateConfig.TARGET_UTILIZATION, "lots")))
                .hasMessageContaining("GATE_TARGET_UTILIZATION");
        assertThatThrownBy(() -> GateConfig.from(Map.of(GateConfig.TARGET_UTILIZATION, "1.5")))
                .hasMessageContaining("targetUtilization");
        assertThatThrownBy(() -> GateConfig.from(Map.of()).requireProject()).hasMessageContaining("GATE_PROJECT");
    }
}
