package dev.connectorgate.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.vpcaccess.v1.GetConnectorRequest;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.ports.ConnectorLookup;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VpcAccessInventory through the real VPC Access client against an in-process server: mapping and every failure. */
class VpcAccessInventoryTest {
    static final String NAME = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private FakeGoogleApis google;
    private VpcAccessServiceClient client;
    private VpcAccessInventory inventory;

    @BeforeEach
    void start() throws Exception {
        google = new FakeGoogleApis();
        client = google.vpcAccessClient(TIMEOUT);
        inventory = new VpcAccessInventory(client);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        google.close();
    }

    @Test
    void aReadyE2MicroConnectorRunsItsMinimumFromVpcAccessAlone() {
        google.getConnector.answer(connector("connector-ready-e2-micro.json"));

        assertThat(inventory.lookup(NAME)).isEqualTo(found(MachineType.E2_MICRO, 2, 3, ConnectorState.READY));
        assertThat(google.getConnector.requests())
                .containsExactly(GetConnectorRequest.newBuilder().setName(NAME).build());
    }

    @Test
    void anEmptyMachineTypeIsTheApiDefaultE2Micro() {
        google.getConnector.answer(connector("connector-empty-machine-type.json"));

        assertThat(inventory.lookup(NAME)).isEqualTo(found(MachineType.E2_MICRO, 2, 4, ConnectorState.READY));
    }

    @Test
    void aConnectorConfiguredByThroughputAloneGetsItsInstancesFromThroughputInE2MicroTerms() {
        // minThroughput 200 / 100 Mbps = 2 instances, maxThroughput 1000 / 100 = 10.
        google.getConnector.answer(connector("connector-legacy-throughput.json"));

        assertThat(inventory.lookup(NAME)).isEqualTo(found(MachineType.E2_MICRO, 2, 10, ConnectorState.READY));
    }

    @Test
    void throughputIsRoundedDownKeptToTwoOrMoreAndDefaultsWhenAbsent() {
        google.getConnector.answer(connectorBuilder("connector-legacy-throughput.json")
                .setMachineType("f1-micro").setMinThroughput(150).setMaxThroughput(0).build());

        // 150 Mbps is 1 instance rounded down, raised to the API's 2; no max at all is the API default, 300 Mbps.
        assertThat(inventory.lookup(NAME)).isEqualTo(found(MachineType.F1_MICRO, 2, 3, ConnectorState.READY));
    }

    @Test
    void instanceCountsWinOverThroughputWhenBothAreSet() {
        google.getConnector.answer(connectorBuilder("connector-ready-e2-micro.json")
                .setMinThroughput(500).setMaxThroughput(900).build());

        assertThat(inventory.lookup(NAME)).isEqualTo(found(MachineType.E2_MICRO, 2, 3, ConnectorState.READY));
    }

    @Test
    void aConnectorInErrorIsFoundWithItsState() {
        google.getConnector.answer(connector("connector-error.json"));

        assertThat(inventory.lookup(NAME)).isEqualTo(found(MachineType.E2_STANDARD_4, 3, 5, ConnectorState.ERROR));
    }

    @Test
    void aStateTheClientDoesNotKnowIsUnspecified() {
        google.getConnector.answer(connectorBuilder("connector-ready-e2-micro.json").setStateValue(42).build());

        assertThat(inventory.lookup(NAME)).isEqualTo(
                found(MachineType.E2_MICRO, 2, 3, ConnectorState.STATE_UNSPECIFIED));
    }

    @Test
    void aMachineTypeWithoutAThroughputFigureIsUnavailableAndNamed() {
        google.getConnector.answer(connector("connector-unknown-machine-type.json"));

        assertThat(inventory.lookup(NAME)).isInstanceOfSatisfying(ConnectorLookup.Unavailable.class,
                u -> assertThat(u.why()).contains("n2-standard-2", NAME));
    }

    @Test
    void notFoundIsNotFound() {
        google.getConnector.fail(Status.NOT_FOUND.withDescription("Resource not found"));

        assertThat(inventory.lookup(NAME)).isEqualTo(new ConnectorLookup.NotFound(NAME));
        assertThat(google.getConnector.requests()).hasSize(1);
    }

    @Test
    void unavailableIsRetriedWithinTheTimeoutThenAnsweredUnavailable() {
        google.getConnector.fail(Status.UNAVAILABLE.withDescription("backend down"));

        assertThat(inventory.lookup(NAME)).isInstanceOfSatisfying(ConnectorLookup.Unavailable.class,
                u -> assertThat(u.why()).contains("UNAVAILABLE", NAME));
        assertThat(google.getConnector.requests()).hasSizeGreaterThan(1);
    }

    @Test
    void deadlineExceededFromTheServerIsUnavailableAndNotRetried() {
        google.getConnector.fail(Status.DEADLINE_EXCEEDED);

        assertThat(inventory.lookup(NAME)).isInstanceOfSatisfying(ConnectorLookup.Unavailable.class,
                u -> assertThat(u.why()).contains("DEADLINE_EXCEEDED"));
        assertThat(google.getConnector.requests()).hasSize(1);
    }

    @Test
    void permissionDeniedIsUnavailableAndNotRetried() {
        google.getConnector.fail(Status.PERMISSION_DENIED.withDescription("vpcaccess.connectors.get denied"));

        assertThat(inventory.lookup(NAME)).isInstanceOfSatisfying(ConnectorLookup.Unavailable.class,
                u -> assertThat(u.why())
                        .endsWith(NAME + " failed: PERMISSION_DENIED: vpcaccess.connectors.get denied"));
        assertThat(google.getConnector.requests()).hasSize(1);
    }

    @Test
    void aServerTooSlowForTheTimeoutIsUnavailableWithoutWaitingForIt() {
        Duration serverDelay = Duration.ofSeconds(30);
        google.getConnector.answerAfter(serverDelay, connector("connector-ready-e2-micro.json"));

        Instant before = Instant.now();
        ConnectorLookup answer = inventory.lookup(NAME);

        assertThat(answer).isInstanceOfSatisfying(ConnectorLookup.Unavailable.class,
                u -> assertThat(u.why()).contains("DEADLINE_EXCEEDED"));
        assertThat(google.getConnector.requests()).isNotEmpty();
        assertThat(Duration.between(before, Instant.now())).as("the client's deadline, not the server, ended it")
                .isLessThan(serverDelay.dividedBy(2));
    }

    @Test
    void aClosedClientIsUnavailableNotAnException() {
        client.close();

        assertThat(inventory.lookup(NAME)).isInstanceOf(ConnectorLookup.Unavailable.class);
    }

    @Test
    void everyGetConnectorIsBoundedByTheGivenTimeout() {
        var retry = client.getSettings().getConnectorSettings().getRetrySettings();

        assertThat(retry.getTotalTimeoutDuration()).isEqualTo(TIMEOUT);
        assertThat(retry.getMaxRpcTimeoutDuration()).isEqualTo(TIMEOUT);
    }

    static com.google.cloud.vpcaccess.v1.Connector.Builder connectorBuilder(String fixture) {
        return FakeGoogleApis.fixture(fixture, com.google.cloud.vpcaccess.v1.Connector.newBuilder());
    }

    private static com.google.cloud.vpcaccess.v1.Connector connector(String fixture) {
        return connectorBuilder(fixture).build();
    }

    private static ConnectorLookup found(MachineType type, int min, int max, ConnectorState state) {
        return new ConnectorLookup.Found(new Connector(NAME, type, min, max, min, state));
    }
}
