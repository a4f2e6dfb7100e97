package dev.connectorgate.gcp;

import static dev.connectorgate.gcp.MonitoringLoadSourceTest.NOW;
import static dev.connectorgate.gcp.MonitoringLoadSourceTest.byMetric;
import static dev.connectorgate.gcp.MonitoringLoadSourceTest.point;
import static dev.connectorgate.gcp.MonitoringLoadSourceTest.series;
import static dev.connectorgate.gcp.VpcAccessInventoryTest.NAME;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.ports.ConnectorInventory;
import dev.connectorgate.ports.ConnectorLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MonitoredInventory: the observed instance count replaces VPC Access's minimum, within the connector's bounds. */
class MonitoredInventoryTest {
    private static final Connector AT_MINIMUM =
            new Connector(NAME, MachineType.E2_MICRO, 2, 5, 2, ConnectorState.READY);
    private static final ConnectorInventory INNER = name -> new ConnectorLookup.Found(AT_MINIMUM);

    @Test
    void anObservedCountWithinTheBoundsIsTheRunningCount() {
        MonitoredInventory inventory = new MonitoredInventory(INNER, c -> OptionalInt.of(4));

        assertThat(inventory.lookup(NAME)).isEqualTo(new ConnectorLookup.Found(
                new Connector(NAME, MachineType.E2_MICRO, 2, 5, 4, ConnectorState.READY)));
    }

    @Test
    void anObservedCountOutsideTheBoundsIsKeptWithinThem() {
        assertThat(running(new MonitoredInventory(INNER, c -> OptionalInt.of(9)))).isEqualTo(5);
        assertThat(running(new MonitoredInventory(INNER, c -> OptionalInt.of(0)))).isEqualTo(2);
    }

    @Test
    void withoutAnObservationTheInnerAnswerStands() {
        MonitoredInventory inventory = new MonitoredInventory(INNER, c -> OptionalInt.empty());

        assertThat(inventory.lookup(NAME)).isEqualTo(new ConnectorLookup.Found(AT_MINIMUM));
    }

    @Test
    void notFoundAndUnavailablePassThroughWithoutAskingMonitoring() {
        AtomicInteger asked = new AtomicInteger();
        ConnectorLookup notFound = new ConnectorLookup.NotFound(NAME);
        ConnectorLookup down = new ConnectorLookup.Unavailable("VPC Access: UNAVAILABLE");

        assertThat(new MonitoredInventory(name -> notFound, c -> count(asked)).lookup(NAME)).isEqualTo(notFound);
        assertThat(new MonitoredInventory(name -> down, c -> count(asked)).lookup(NAME)).isEqualTo(down);
        assertThat(asked).hasValue(0);
    }

    @Test
    void theInstancesMetricRefinesTheRunningInstancesOfARealLookup() throws Exception {
        try (FakeGoogleApis google = new FakeGoogleApis();
                VpcAccessServiceClient vpcAccess = google.vpcAccessClient(Duration.ofSeconds(1));
                MetricServiceClient metrics = google.monitoringClient(Duration.ofSeconds(1))) {
            google.getConnector.answer(VpcAccessInventoryTest.connectorBuilder("connector-ready-e2-micro.json")
                    .build());
            MonitoringLoadSource monitoring = new MonitoringLoadSource(metrics, Clock.fixed(NOW, ZoneOffset.UTC),
                    MonitoringLoadSource.DEFAULT_WINDOW);
            MonitoredInventory inventory = new MonitoredInventory(new VpcAccessInventory(vpcAccess),
                    monitoring::runningInstances);

            google.listTimeSeries.answer(byMetric(Map.of(MonitoringLoadSource.INSTANCES,
                    series(point(NOW.minusSeconds(120), 3.0)))));
            assertThat(running(inventory)).as("scaled out to its maximum of 3").isEqualTo(3);

            google.listTimeSeries.answer(byMetric(Map.of()));
            assertThat(running(inventory)).as("no points: minInstances, as VPC Access alone says").isEqualTo(2);
            assertThat(monitoring.lastFailure()).isPresent();
        }
    }

    private static int running(ConnectorInventory inventory) {
        ConnectorLookup answer = inventory.lookup(NAME);
        assertThat(answer).isInstanceOf(ConnectorLookup.Found.class);
        return ((ConnectorLookup.Found) answer).connector().runningInstances();
    }

    private static OptionalInt count(AtomicInteger asked) {
        asked.incrementAndGet();
        return OptionalInt.of(3);
    }
}
