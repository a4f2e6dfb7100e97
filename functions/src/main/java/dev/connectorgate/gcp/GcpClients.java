package dev.connectorgate.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.monitoring.v3.MetricServiceSettings;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds the VPC Access and Monitoring clients the gate reads through, with the gate's own deadline on every call.
 *
 * <p>A decision waits on these calls, so each RPC the gate makes ({@code getConnector}, {@code listTimeSeries}) is
 * bounded by {@code timeout} in total, retries included: an UNAVAILABLE is retried with backoff while time remains;
 * nothing else is, because a denied or malformed call will not get better by asking again. The libraries' own
 * defaults (60 s for {@code getConnector}, 90 s for {@code listTimeSeries}, as of the pinned versions) are far
 * longer than a function should stall a decision.
 *
 * <p>Clients hold channels and threads: create each once per function instance and keep it.
 */
public final class GcpClients {
    // Backoff between retries of an UNAVAILABLE; the total timeout cuts the sequence short.
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(1);
    private static final int MAX_ATTEMPTS = 4;

    private GcpClients() {}

    /** The VPC Access client on Google's endpoint with application default credentials. */
    public static VpcAccessServiceClient vpcAccess(Duration timeout) throws IOException {
        return VpcAccessServiceClient.create(vpcAccessSettings(VpcAccessServiceSettings.newBuilder(), timeout));
    }

    /** The VPC Access client over the given channel and credentials (tests: an in-process channel, no credentials). */
    public static VpcAccessServiceClient vpcAccess(Duration timeout, TransportChannelProvider channels,
            CredentialsProvider credentials) throws IOException {
        VpcAccessServiceSettings.Builder builder = VpcAccessServiceSettings.newBuilder()
                .setTransportChannelProvider(Objects.requireNonNull(channels, "channels"))
                .setCredentialsProvider(Objects.requireNonNull(credentials, "credentials"));
        return VpcAccessServiceClient.create(vpcAccessSettings(builder, timeout));
    }

    /** The Monitoring client on Google's endpoint with application default credentials. */
    public static MetricServiceClient monitoring(Duration timeout) throws IOException {
        return MetricServiceClient.create(monitoringSettings(MetricServiceSettings.newBuilder(), timeout));
    }

    /** The Monitoring client over the given channel and credentials (tests: an in-process channel, no credentials). */
    public static MetricServiceClient monitoring(Duration timeout, TransportChannelProvider channels,
            CredentialsProvider credentials) throws IOException {
        MetricServiceSettings.Builder builder = MetricServiceSettings.newBuilder()
                .setTransportChannelProvider(Objects.requireNonNull(channels, "channels"))
                .setCredentialsProvider(Objects.requireNonNull(credentials, "credentials"));
        return MetricServiceClient.create(monitoringSettings(builder, timeout));
    }

    private static VpcAccessServiceSettings vpcAccessSettings(VpcAccessServiceSettings.Builder builder,
            Duration timeout) throws IOException {
        builder.getConnectorSettings()
                .setRetrySettings(retrySettings(timeout))
                .setRetryableCodes(StatusCode.Code.UNAVAILABLE);
        return builder.build();
    }

    private static MetricServiceSettings monitoringSettings(MetricServiceSettings.Builder builder, Duration timeout)
            throws IOException {
        builder.listTimeSeriesSettings()
                .setRetrySettings(retrySettings(timeout))
                .setRetryableCodes(StatusCode.Code.UNAVAILABLE);
        return builder.build();
    }

    /** One attempt may use the whole budget; retries get what is left of it. */
    static RetrySettings retrySettings(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        Duration maxDelay = MAX_RETRY_DELAY.compareTo(timeout) < 0 ? MAX_RETRY_DELAY : timeout;
        Duration firstDelay = FIRST_RETRY_DELAY.compareTo(maxDelay) < 0 ? FIRST_RETRY_DELAY : maxDelay;
        return RetrySettings.newBuilder()
                .setTotalTimeoutDuration(timeout)
                .setInitialRpcTimeoutDuration(timeout)
                .setMaxRpcTimeoutDuration(timeout)
                .setRpcTimeoutMultiplier(1.0)
                .setInitialRetryDelayDuration(firstDelay)
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(maxDelay)
                .setMaxAttempts(MAX_ATTEMPTS)
                .build();
    }
}
