package dev.connectorgate.gcp;

import static dev.connectorgate.gcp.MonitoringLoadSourceTest.byMetric;
import static dev.connectorgate.gcp.MonitoringLoadSourceTest.point;
import static dev.connectorgate.gcp.MonitoringLoadSourceTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.connectorgate.functions.DeploymentRequestFunction;
import dev.connectorgate.functions.GateConfig;
import dev.connectorgate.functions.GateRuntime;
import dev.connectorgate.local.EventFile;
import dev.connectorgate.ports.EventLog;
import dev.connectorgate.time.SettableClock;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production composition, whole: the request function built by {@link GateRuntime#cloud} on the real Google
 * clients — VPC Access and Monitoring against in-process servers, the ledger on the Firestore emulator, decisions on
 * the Pub/Sub emulator — deciding the seed request, and what the failure policy makes of Monitoring going away.
 */
class CloudCompositionTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    static final Path SEED = repoRoot().resolve("test-events/staging-surge/01-staging-rollout.json");
    private static PubSubEmulator pubsub;

    private final EventLog quiet = (severity, message, fields) -> { };
    private FakeGoogleApis google;
    private VpcAccessServiceClient vpcAccess;
    private MetricServiceClient monitoring;
    private TopicName decisions;
    private SubscriptionName pipeline;

    @BeforeAll
    static void emulators() {
        pubsub = PubSubEmulator.get();
    }

    @BeforeEach
    void apis() throws Exception {
        google = new FakeGoogleApis();
        vpcAccess = google.vpcAccessClient(Duration.ofSeconds(2));
        monitoring = google.monitoringClient(Duration.ofSeconds(2));
        google.getConnector.answer(VpcAccessInventoryTest.connectorBuilder("connector-ready-e2-micro.json").build());
        decisions = pubsub.createTopic(PubSubEmulator.freshName("gate-decisions"));
        pipeline = pubsub.createSubscription(PubSubEmulator.freshName("pipeline"), decisions);
    }

    @AfterEach
    void close() throws Exception {
        vpcAccess.close();
        monitoring.close();
        google.close();
    }

    private JsonObject decide(Map<String, String> env) throws Exception {
        GateConfig config = GateConfig.from(env);
        try (PubSubDecisionPublisher publisher = PubSubDecisionPublisher.create(decisions.getProject(),
                decisions.getTopic(), Optional.of(pubsub.hostPort()), Duration.ofSeconds(10))) {
            GateRuntime runtime = GateRuntime.cloud(config, new SettableClock(NOW), quiet,
                    new FirestoreLedger(FirestoreEmulator.get().firestore(), FirestoreEmulator.freshPrefix("cloud")),
                    publisher, vpcAccess, monitoring);
            new DeploymentRequestFunction(runtime).accept(EventFile.read(SEED).event());
        }
        List<ReceivedMessage> received = pubsub.pull(pipeline, 1, Duration.ofSeconds(20));
        assertThat(received).hasSize(1);
        PubsubMessage m = received.get(0).getMessage();
        assertThat(m.getAttributesMap()).containsEntry("requestId", "staging-7f3c")
                .containsEntry("connector", "projects/netra-staging/locations/us-central1/connectors/staging-connector");
        JsonObject d = JsonParser.parseString(m.getData().toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(m.getAttributesMap()).containsEntry("verdict", d.get("verdict").getAsString());
        return d;
    }

    @Test
    void shouldStaggerTheSeedOnLiveLoadFromMonitoring() throws Exception {
        // 1.25e6 bytes/s each way = 20 Mbps: the seed's baseline, read through ALIGN_RATE.
        google.listTimeSeries.answer(byMetric(Map.of(
                MonitoringLoadSource.SENT_BYTES, series(point(NOW.minusSeconds(180), 1.25e6)),
                MonitoringLoadSource.RECEIVED_BYTES, series(point(NOW.minusSeconds(180), 1.25e6)),
                MonitoringLoadSource.INSTANCES, series(point(NOW.minusSeconds(180), 2.0)))));

        JsonObject d = decide(Map.of(GateConfig.PROJECT, "netra-staging"));

        assertThat(d.get("verdict").getAsString()).isEqualTo("STAGGER");
        assertThat(d.getAsJsonObject("capacity").get("headroomMbps").getAsDouble()).isEqualTo(140.0);
        assertThat(d.getAsJsonArray("waves")).hasSize(3);
        assertThat(d.getAsJsonArray("degraded")).isEmpty();
        assertThat(google.getConnector.requests()).extracting(r -> r.getName())
                .contains("projects/netra-staging/locations/us-central1/connectors/staging-connector");
    }

    @Test
    void shouldWaitWhenMonitoringIsDownUnderTheDefaultFailClosedPolicy() throws Exception {
        google.listTimeSeries.fail(Status.UNAVAILABLE);

        JsonObject d = decide(Map.of(GateConfig.PROJECT, "netra-staging"));

        assertThat(d.get("verdict").getAsString()).isEqualTo("WAIT");
        assertThat(d.getAsJsonArray("reasons").get(0).getAsString()).contains("fail-closed");
        assertThat(d.getAsJsonArray("degraded").get(0).getAsString()).contains("no reading");
    }

    @Test
    void shouldPlanOnAnAssumedBaselineWhenMonitoringIsDownAndTheGateFailsOpen() throws Exception {
        google.listTimeSeries.fail(Status.UNAVAILABLE);

        JsonObject d = decide(Map.of(GateConfig.PROJECT, "netra-staging", GateConfig.FAIL_MODE, "open"));

        // Half of the 200 Mbps connector assumed busy: headroom 160 − 100 = 60 Mbps, still a plan.
        assertThat(d.get("verdict").getAsString()).isEqualTo("STAGGER");
        assertThat(d.getAsJsonObject("capacity").get("baselineMbps").getAsDouble()).isEqualTo(100.0);
        assertThat(d.getAsJsonArray("degraded").get(0).getAsString()).contains("fail-open");
    }

    @Test
    void shouldBlockAConnectorVpcAccessDoesNotKnow() throws Exception {
        google.getConnector.fail(Status.NOT_FOUND);
        google.listTimeSeries.answer(byMetric(Map.of()));

        JsonObject d = decide(Map.of(GateConfig.PROJECT, "netra-staging"));

        assertThat(d.get("verdict").getAsString()).isEqualTo("BLOCK");
        assertThat(d.getAsJsonArray("reasons").get(0).getAsString()).contains("does not exist");
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("test-events"))) {
            p = p.getParent();
        }
        return p;
    }
}
