package dev.connectorgate.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.monitoring.v3.Aggregation;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.Point;
import com.google.monitoring.v3.TimeInterval;
import com.google.monitoring.v3.TimeSeries;
import com.google.monitoring.v3.TypedValue;
import com.google.protobuf.Timestamp;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.Load;
import dev.connectorgate.ports.LoadSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The production load source: a connector's live throughput and running instances, read from Cloud Monitoring.
 *
 * <p>Load is the rate of {@code connector/sent_bytes_count} plus that of {@code connector/received_bytes_count}:
 * one {@code listTimeSeries} each on {@code projects/{project}}, over {@code [now - window, now]}, aligned with
 * {@code ALIGN_RATE} over 60 s (bytes per second) and summed over all series of the connector with
 * {@code REDUCE_SUM}, so the instances of one connector add up. The newest point of each counts; bytes/s × 8 / 1e6
 * is Mbps. Points reach Monitoring minutes late, hence a window of several minutes (default 10); the reading
 * carries the end time of the points it used, and the caller judges whether that is fresh enough.
 *
 * <p>Running instances are the newest point of {@code connector/instances}, aligned with {@code ALIGN_MEAN} and
 * rounded down: a connector that scaled out during the last minute counts the instances it surely had.
 *
 * <p>Value types are read from each point (INT64 or DOUBLE), not assumed. Series are matched on the resource label
 * {@code connector_name} only: a {@code location} label is not confirmed for {@code vpc_access_connector}, so two
 * connectors of one name in two regions of one project would be read together.
 *
 * <p>Nothing here throws for a failed or empty read: the answer is empty, and {@link #lastFailure()} says why.
 * Thread-safe as the client is.
 */
public final class MonitoringLoadSource implements LoadSource {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final String SENT_BYTES = "vpcaccess.googleapis.com/connector/sent_bytes_count";
    public static final String RECEIVED_BYTES = "vpcaccess.googleapis.com/connector/received_bytes_count";
    public static final String INSTANCES = "vpcaccess.googleapis.com/connector/instances";
    static final String RESOURCE_TYPE = "vpc_access_connector";
    static final Duration ALIGNMENT_PERIOD = Duration.ofSeconds(60);

    // Segments that can stand inside the filter's double quotes unescaped; a domain-scoped project has a colon.
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_-]*");
    // A mean of equal readings may come back a hair under the integer; do not lose an instance to rounding.
    private static final double ROUNDING_SLACK = 1e-9;

    /** Why the latest read that gave nothing gave nothing, for the logs. */
    public record Failure(Instant at, String connector, String reason) {}

    private final MetricServiceClient client;
    private final Clock clock;
    private final Duration window;
    private final AtomicReference<Failure> lastFailure = new AtomicReference<>();

    /** @param window how far back to look for points; at least one alignment period (60 s) */
    public MonitoringLoadSource(MetricServiceClient client, Clock clock, Duration window) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(window, "window");
        if (window.compareTo(ALIGNMENT_PERIOD) < 0) {
            throw new IllegalArgumentException("window must be at least " + ALIGNMENT_PERIOD + ", got " + window);
        }
        this.window = window;
    }

    /**
     * Sent + received Mbps at the newest points. When only one direction has points the other counts as 0 (a
     * connector with traffic one way only); its {@code observedAt} is the older of the two newest points, since
     * the sum is only as fresh as its staler half. Empty when neither has a point, or on any failure.
     */
    @Override
    public Optional<Load> load(Connector connector) {
        return read(connector, query -> {
            Optional<Newest> sent = query.newest(client, SENT_BYTES, Aggregation.Aligner.ALIGN_RATE);
            Optional<Newest> received = query.newest(client, RECEIVED_BYTES, Aggregation.Aligner.ALIGN_RATE);
            if (sent.isEmpty() && received.isEmpty()) {
                throw new Unreadable("no " + SENT_BYTES + " or " + RECEIVED_BYTES + " points in " + query.span());
            }
            double bytesPerSecond = sent.map(Newest::value).orElse(0.0) + received.map(Newest::value).orElse(0.0);
            return new Load(bytesPerSecond * 8 / 1e6, older(sent, received), "monitoring");
        });
    }

    /** Instances running at the newest point of {@code connector/instances}, or empty when there is none. */
    public OptionalInt runningInstances(Connector connector) {
        Optional<Integer> running = read(connector, query -> {
            Optional<Newest> instances = query.newest(client, INSTANCES, Aggregation.Aligner.ALIGN_MEAN);
            if (instances.isEmpty()) {
                throw new Unreadable("no " + INSTANCES + " points in " + query.span());
            }
            double count = Math.floor(instances.get().value() + ROUNDING_SLACK);
            if (count > Integer.MAX_VALUE) {
                throw new Unreadable(INSTANCES + " reads " + instances.get().value() + ", not an instance count");
            }
            return (int) count;
        });
        return running.map(OptionalInt::of).orElseGet(OptionalInt::empty);
    }

    /** The most recent read that gave nothing, and why; earlier ones are overwritten, successes leave it be. */
    public Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** Runs one read over {@code [now - window, now]}; whatever goes wrong is recorded and becomes empty. */
    private <T> Optional<T> read(Connector connector, Read<T> read) {
        Instant now = clock.instant();
        String reason;
        try {
            return Optional.of(read.from(Query.of(connector.name(), now.minus(window), now)));
        } catch (Unreadable e) {
            reason = e.getMessage();
        } catch (ApiException e) {
            reason = "listTimeSeries failed: " + ApiErrors.describe(e);
        } catch (RuntimeException e) {
            // A closed client or a malformed response surfaces outside ApiException; still no reading, not a throw.
            reason = "listTimeSeries failed: " + e;
        }
        lastFailure.set(new Failure(now, connector.name(), reason));
        return Optional.empty();
    }

    private static Instant older(Optional<Newest> a, Optional<Newest> b) {
        if (a.isEmpty()) {
            return b.orElseThrow().end();
        }
        if (b.isEmpty()) {
            return a.get().end();
        }
        return a.get().end().isBefore(b.get().end()) ? a.get().end() : b.get().end();
    }

    @FunctionalInterface
    private interface Read<T> {
        T from(Query query) throws Unreadable;
    }

    /** The value at a metric's newest point, summed over any series that share that end time. */
    private record Newest(double value, Instant end) {}

    /** One connector's series over one interval: the parts every listTimeSeries of a read shares. */
    private record Query(String project, String connectorId, TimeInterval interval, Instant start, Instant end) {
        static Query of(String connectorName, Instant start, Instant end) throws Unreadable {
            String[] parts = connectorName.split("/", -1);
            if (parts.length != 6 || !parts[0].equals("projects") || !parts[2].equals("locations")
                    || !parts[4].equals("connectors") || !SEGMENT.matcher(parts[1]).matches()
                    || !SEGMENT.matcher(parts[5]).matches()) {
                throw new Unreadable("connector name '" + connectorName
                        + "' is not projects/PROJECT/locations/REGION/connectors/NAME");
            }
            TimeInterval interval = TimeInterval.newBuilder()
                    .setStartTime(timestamp(start))
                    .setEndTime(timestamp(end))
                    .build();
            return new Query(parts[1], parts[5], interval, start, end);
        }

        String span() {
            return "[" + start + ", " + end + "]";
        }

        Optional<Newest> newest(MetricServiceClient client, String metricType, Aggregation.Aligner aligner)
                throws Unreadable {
            ListTimeSeriesRequest request = ListTimeSeriesRequest.newBuilder()
                    .setName("projects/" + project)
                    .setFilter("metric.type=\"" + metricType + "\" AND resource.type=\"" + RESOURCE_TYPE
                            + "\" AND resource.labels.connector_name=\"" + connectorId + "\"")
                    .setInterval(interval)
                    .setAggregation(Aggregation.newBuilder()
                            .setAlignmentPeriod(com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(ALIGNMENT_PERIOD.getSeconds()))
                            .setPerSeriesAligner(aligner)
                            // Grouped by nothing: every series of the connector (one per instance, or per
                            // whatever labels Monitoring keeps) adds into one.
                            .setCrossSeriesReducer(Aggregation.Reducer.REDUCE_SUM))
                    .setView(ListTimeSeriesRequest.TimeSeriesView.FULL)
                    .build();
            Instant newestEnd = null;
            double sum = 0;
            // Points come newest first per the API, but the order is not relied on: the greatest end time wins.
            for (TimeSeries series : client.listTimeSeries(request).iterateAll()) {
                for (Point point : series.getPointsList()) {
                    Instant pointEnd = instant(point.getInterval().getEndTime());
                    double value = value(metricType, point.getValue());
                    if (newestEnd == null || pointEnd.isAfter(newestEnd)) {
                        newestEnd = pointEnd;
                        sum = value;
                    } else if (pointEnd.equals(newestEnd)) {
                        sum += value;
                    }
                }
            }
            return newestEnd == null ? Optional.empty() : Optional.of(new Newest(sum, newestEnd));
        }

        private static double value(String metricType, TypedValue value) throws Unreadable {
            double v;
            switch (value.getValueCase()) {
                case INT64_VALUE -> v = value.getInt64Value();
                case DOUBLE_VALUE -> v = value.getDoubleValue();
                default -> throw new Unreadable(metricType + " has a " + value.getValueCase()
                        + " point; expected INT64_VALUE or DOUBLE_VALUE");
            }
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new Unreadable(metricType + " has a point of " + v + "; expected a finite value >= 0");
            }
            return v;
        }

        private static Timestamp timestamp(Instant instant) {
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
        }

        private static Instant instant(Timestamp t) {
            return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
        }
    }

    /** A read that yields nothing usable, with the reason {@link #lastFailure()} reports. */
    private static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }
}
