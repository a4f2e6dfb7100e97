package dev.connectorgate.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.Distribution;
import com.google.api.MetricDescriptor;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.monitoring.v3.Aggregation;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.ListTimeSeriesResponse;
import com.google.monitoring.v3.Point;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import com.google.monitoring.v3.TypedValue;
import com.google.protobuf.Timestamp;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MonitoringLoadSource through the real Monitoring client against an in-process server: requests, math, failures. */
class MonitoringLoadSourceTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final Connector CONNECTOR = new Connector(VpcAccessInventoryTest.NAME, MachineType.E2_MICRO, 2, 3, 2,
            ConnectorState.READY);
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private FakeGoogleApis google;
    private MetricServiceClient client;
    private MonitoringLoadSource monitoring;

    @BeforeEach
    void start() throws Exception {
        google = new FakeGoogleApis();
        client = google.monitoringClient(TIMEOUT);
        monitoring = new MonitoringLoadSource(client, Clock.fixed(NOW, ZoneOffset.UTC),
                MonitoringLoadSource.DEFAULT_WINDOW);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        google.close();
    }

    @Test
    void loadIsTheNewestSentPlusReceivedRateInMbps() {
        // Points deliberately out of order: the newest end time wins, not the first point listed.
        google.listTimeSeries.answer(byMetric(Map.of(
                MonitoringLoadSource.SENT_BYTES, series(
                        point(NOW.minusSeconds(240), 9e6), point(NOW.minusSeconds(180), 2.5e6),
                        point(NOW.minusSeconds(300), 7e6)),
                MonitoringLoadSource.RECEIVED_BYTES, series(
                        point(NOW.minusSeconds(180), 0.5e6), point(NOW.minusSeconds(240), 4e6)))));

        Optional<Load> load = monitoring.load(CONNECTOR);

        // (2.5e6 + 0.5e6) bytes/s × 8 / 1e6 = 24 Mbps, as of the points' end time, not the clock.
        assertThat(load).contains(new Load(24.0, NOW.minusSeconds(180), "monitoring"));
    }

    @Test
    void theRequestsAskForTheConnectorsRatesOverTheWindowSummedOverItsSeries() {
        google.listTimeSeries.answer(ListTimeSeriesResponse.getDefaultInstance());

        monitoring.load(CONNECTOR);

        List<ListTimeSeriesRequest> requests = google.listTimeSeries.requests();
        assertThat(requests).extracting(ListTimeSeriesRequest::getFilter).containsExactly(
                "metric.type=\"vpcaccess.googleapis.com/connector/sent_bytes_count\""
                        + " AND resource.type=\"vpc_access_connector\""
                        + " AND resource.labels.connector_name=\"staging-connector\"",
                "metric.type=\"vpcaccess.googleapis.com/connector/received_bytes_count\""
                        + " AND resource.type=\"vpc_access_connector\""
                        + " AND resource.labels.connector_name=\"staging-connector\"");
        for (ListTimeSeriesRequest request : requests) {
            assertThat(request.getName()).isEqualTo("projects/netra-staging");
            assertThat(request.getInterval()).isEqualTo(TimeInterval.newBuilder()
                    .setStartTime(timestamp(NOW.minus(Duration.ofMinutes(10))))
                    .setEndTime(timestamp(NOW))
                    .build());
            Aggregation aggregation = request.getAggregation();
            assertThat(aggregation.getPerSeriesAligner()).isEqualTo(Aggregation.Aligner.ALIGN_RATE);
            assertThat(aggregation.getAlignmentPeriod())
                    .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(60).build());
            assertThat(aggregation.getCrossSeriesReducer()).isEqualTo(Aggregation.Reducer.REDUCE_SUM);
            assertThat(aggregation.getGroupByFieldsList()).isEmpty();
            assertThat(request.getView()).isEqualTo(ListTimeSeriesRequest.TimeSeriesView.FULL);
        }
    }

    @Test
    void int64PointsAreReadAsWellAsDoubles() {
        google.listTimeSeries.answer(byMetric(Map.of(
                MonitoringLoadSource.SENT_BYTES, series(intPoint(NOW.minusSeconds(120), 2_500_000)),
                MonitoringLoadSource.RECEIVED_BYTES, series(point(NOW.minusSeconds(120), 500_000.0)))));

        assertThat(monitoring.load(CONNECTOR)).contains(new Load(24.0, NOW.minusSeconds(120), "monitoring"));
    }

    @Test
    void seriesThatShareTheNewestEndTimeAddUp() {
        google.listTimeSeries.answer(byMetric(Map.of(
                MonitoringLoadSource.SENT_BYTES, List.of(
                        TimeSeries.newBuilder().addPoints(point(NOW.minusSeconds(120), 1e6)).build(),
                        TimeSeries.newBuilder().addPoints(point(NOW.minusSeconds(120), 1.5e6)).build()),
                MonitoringLoadSource.RECEIVED_BYTES, series(point(NOW.minusSeconds(120), 0.5e6)))));

        assertThat(monitoring.load(CONNECTOR)).map(Load::baselineMbps).contains(24.0);
    }

    @Test
    void withOneDirectionSilentTheOtherCountsAlone() {
        google.listTimeSeries.answer(byMetric(Map.of(
                MonitoringLoadSource.SENT_BYTES, series(point(NOW.minusSeconds(120), 1.25e6)))));

        assertThat(monitoring.load(CONNECTOR)).contains(new Load(10.0, NOW.minusSeconds(120), "monitoring"));
    }

    @Test
    void theReadingIsAsOldAsTheStalerOfItsTwoHalves() {
        google.listTimeSeries.answer(byMetric(Map.of(
                MonitoringLoadSource.SENT_BYTES, series(point(NOW.minusSeconds(120), 1e6)),
                MonitoringLoadSource.RECEIVED_BYTES, series(point(NOW.minusSeconds(420), 1e6)))));

        assertThat(monitoring.load(CONNECTOR)).map(Load::observedAt).contains(NOW.minusSeconds(420));
    }

    @Test
    void noPointsAtAllIsNoLoadAndSaysSo() {
        google.listTimeSeries.answer(ListTimeSeriesResponse.getDefaultInstance());

        assertThat(monitoring.load(CONNECTOR)).isEmpty();
        assertThat(monitoring.lastFailure()).hasValueSatisfying(f -> {
            assertThat(f.connector()).isEqualTo(CONNECTOR.name());
            assertThat(f.at()).isEqualTo(NOW);
            assertThat(f.reason()).contains("no ", "sent_bytes_count", "points");
        });
    }

    @Test
    void anApiFailureIsNoLoadWithTheStatusForTheLogs() {
        google.listTimeSeries.fail(Status.PERMISSION_DENIED.withDescription("monitoring.timeSeries.list denied"));

        assertThat(monitoring.load(CONNECTOR)).isEmpty();
        assertThat(monitoring.lastFailure()).hasValueSatisfying(
                f -> assertThat(f.reason())
                        .isEqualTo("listTimeSeries failed: PERMISSION_DENIED: monitoring.timeSeries.list denied"));
        assertThat(google.listTimeSeries.requests()).as("the received half is not asked once the sent half failed")
                .hasSize(1);
    }

    @Test
    void aServerTooSlowForTheTimeoutIsNoLoad() {
        google.listTimeSeries.answerAfter(Duration.ofSeconds(30), ListTimeSeriesResponse.getDefaultInstance());

        assertThat(monitoring.load(CONNECTOR)).isEmpty();
        assertThat(monitoring.lastFailure()).hasValueSatisfying(
                f -> assertThat(f.reason()).contains("DEADLINE_EXCEEDED"));
        assertThat(google.listTimeSeries.requests()).isNotEmpty();
    }

    @Test
    void aPointThatIsNotANumberIsNoLoad() {
        Point distribution = Point.newBuilder()
                .setInterval(TimeInterval.newBuilder().setEndTime(timestamp(NOW.minusSeconds(120))))
                .setValue(TypedValue.newBuilder().setDistributionValue(Distribution.newBuilder().setCount(3)))
                .build();
        google.listTimeSeries.answer(byMetric(Map.of(MonitoringLoadSource.SENT_BYTES, series(distribution))));

        assertThat(monitoring.load(CONNECTOR)).isEmpty();
        assertThat(monitoring.lastFailure()).hasValueSatisfying(
                f -> assertThat(f.reason()).contains("DISTRIBUTION_VALUE"));
    }

    @Test
    void aConnectorNameThatIsNotAFullNameIsNoLoadWithoutACall() {
        Connector bare = new Connector("staging-connector", MachineType.E2_MICRO, 2, 3, 2, ConnectorState.READY);

        assertThat(monitoring.load(bare)).isEmpty();
        assertThat(monitoring.lastFailure()).hasValueSatisfying(
                f -> assertThat(f.reason()).contains("projects/PROJECT/locations/REGION/connectors/NAME"));
        assertThat(google.listTimeSeries.requests()).isEmpty();
    }

    @Test
    void runningInstancesAreTheNewestMeanOfTheInstancesMetric() {
        google.listTimeSeries.answer(byMetric(Map.of(MonitoringLoadSource.INSTANCES,
                series(point(NOW.minusSeconds(180), 2.0), point(NOW.minusSeconds(120), 3.0)))));

        assertThat(monitoring.runningInstances(CONNECTOR)).hasValue(3);
        ListTimeSeriesRequest request = google.listTimeSeries.requests().get(0);
        assertThat(request.getFilter()).isEqualTo("metric.type=\"vpcaccess.googleapis.com/connector/instances\""
                + " AND resource.type=\"vpc_access_connector\""
                + " AND resource.labels.connector_name=\"staging-connector\"");
        assertThat(request.getName()).isEqualTo("projects/netra-staging");
        assertThat(request.getAggregation().getPerSeriesAligner()).isEqualTo(Aggregation.Aligner.ALIGN_MEAN);
        assertThat(request.getAggregation().getCrossSeriesReducer()).isEqualTo(Aggregation.Reducer.REDUCE_SUM);
    }

    @Test
    void aMeanBetweenCountsIsRoundedDownToTheInstancesSurelyRunning() {
        google.listTimeSeries.answer(byMetric(Map.of(MonitoringLoadSource.INSTANCES,
                series(point(NOW.minusSeconds(120), 2.5)))));

        assertThat(monitoring.runningInstances(CONNECTOR)).hasValue(2);
    }

    @Test
    void anInt64InstanceCountIsReadToo() {
        google.listTimeSeries.answer(byMetric(Map.of(MonitoringLoadSource.INSTANCES,
                series(intPoint(NOW.minusSeconds(120), 4)))));

        assertThat(monitoring.runningInstances(CONNECTOR)).hasValue(4);
    }

    @Test
    void noInstancePointsOrAFailureIsNoCount() {
        google.listTimeSeries.answer(ListTimeSeriesResponse.getDefaultInstance());
        assertThat(monitoring.runningInstances(CONNECTOR)).isEqualTo(OptionalInt.empty());
        assertThat(monitoring.lastFailure()).hasValueSatisfying(f -> assertThat(f.reason()).contains("instances"));

        google.listTimeSeries.fail(Status.UNAVAILABLE);
        assertThat(monitoring.runningInstances(CONNECTOR)).isEqualTo(OptionalInt.empty());
        assertThat(monitoring.lastFailure()).hasValueSatisfying(f -> assertThat(f.reason()).contains("UNAVAILABLE"));
    }

    @Test
    void everyListTimeSeriesIsBoundedByTheGivenTimeout() {
        var retry = client.getSettings().listTimeSeriesSettings().getRetrySettings();

        assertThat(retry.getTotalTimeoutDuration()).isEqualTo(TIMEOUT);
        assertThat(retry.getMaxRpcTimeoutDuration()).isEqualTo(TIMEOUT);
    }

    /** Answers each listTimeSeries with the series of the metric its filter names; none for the others. */
    static Function<ListTimeSeriesRequest, ListTimeSeriesResponse> byMetric(
            Map<String, List<TimeSeries>> seriesByMetric) {
        Map<String, List<TimeSeries>> copy = new HashMap<>(seriesByMetric);
        return request -> {
            String filter = request.getFilter();
            String metric = filter.substring(filter.indexOf('"') + 1, filter.indexOf('"', filter.indexOf('"') + 1));
            return ListTimeSeriesResponse.newBuilder().addAllTimeSeries(copy.getOrDefault(metric, List.of())).build();
        };
    }

    /** One aligned series, as REDUCE_SUM with no grouping returns it: resource labels dropped, points as given. */
    static List<TimeSeries> series(Point... points) {
        return List.of(TimeSeries.newBuilder()
                .setMetricKind(MetricDescriptor.MetricKind.GAUGE)
                .addAllPoints(Arrays.asList(points))
                .build());
    }

    static Point point(Instant end, double value) {
        return aligned(end).setValue(TypedValue.newBuilder().setDoubleValue(value)).build();
    }

    static Point intPoint(Instant end, long value) {
        return aligned(end).setValue(TypedValue.newBuilder().setInt64Value(value)).build();
    }

    private static Point.Builder aligned(Instant end) {
        return Point.newBuilder().setInterval(TimeInterval.newBuilder()
                .setStartTime(timestamp(end.minusSeconds(60)))
                .setEndTime(timestamp(end)));
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
