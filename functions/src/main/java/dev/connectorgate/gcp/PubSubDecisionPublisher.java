package dev.connectorgate.gcp;

import com.google.api.core.ApiFuture;
import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.ports.DecisionPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes decisions to the {@code gate-decisions} topic (contract: Topics), one message per decision, with the
 * attributes pipelines filter on and the connector as ordering key.
 *
 * <p>One {@link Publisher} serves every invocation of a function instance: it holds channels and threads, so it is
 * built once, in the function's constructor path. {@link #publish} returns only once Pub/Sub has the message and
 * throws otherwise, within a bounded time: the function then fails and Pub/Sub redelivers the event that led to the
 * decision, which the ledger answers with the same decision.
 */
public final class PubSubDecisionPublisher implements DecisionPublisher, AutoCloseable {
    /** Well inside the functions' 60 s timeout, long enough for Pub/Sub's own retries of a transient error. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    // The client's retries end at the timeout; waiting a little longer lets their error, not ours, be the cause.
    private static final Duration WAIT_GRACE = Duration.ofSeconds(2);
    // The Publisher refuses retry settings with a total timeout under 10 s; a shorter wait still bounds publish().
    private static final Duration CLIENT_MIN_TOTAL_TIMEOUT = Duration.ofSeconds(10);

    private final Publisher publisher;
    private final Optional<PubSubEmulatorChannel> emulator;
    private final Duration timeout;

    /** Publishing failed or did not finish in time; the triggering event must be redelivered. */
    public static final class PublishFailed extends RuntimeException {
        PublishFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PubSubDecisionPublisher(Publisher publisher, Optional<PubSubEmulatorChannel> emulator, Duration timeout) {
        this.publisher = publisher;
        this.emulator = emulator;
        this.timeout = timeout;
    }

    /** A publisher to {@code projects/project/topics/topic}, with {@link #DEFAULT_TIMEOUT}. */
    public static PubSubDecisionPublisher create(String project, String topic, Optional<String> emulatorHost)
            throws IOException {
        return create(project, topic, emulatorHost, DEFAULT_TIMEOUT);
    }

    /**
     * A publisher to {@code projects/project/topics/topic}: on Google with application default credentials, or, when
     * {@code emulatorHost} (PUBSUB_EMULATOR_HOST) is given, on the emulator over plaintext without credentials.
     */
    public static PubSubDecisionPublisher create(String project, String topic, Optional<String> emulatorHost,
            Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        Publisher.Builder builder = Publisher.newBuilder(TopicName.of(project, topic))
                // Decisions for one connector reach subscribers in the order the gate made them.
                .setEnableMessageOrdering(true)
                .setRetrySettings(retrySettings(timeout));
        Optional<PubSubEmulatorChannel> emulator = emulatorHost.map(PubSubEmulatorChannel::open);
        emulator.ifPresent(e -> builder.setChannelProvider(e.channels()).setCredentialsProvider(e.credentials()));
        try {
            return new PubSubDecisionPublisher(builder.build(), emulator, timeout);
        } catch (IOException | RuntimeException e) {
            emulator.ifPresent(PubSubEmulatorChannel::close);
            throw e;
        }
    }

    @Override
    public void publish(GateDecision decision) {
        PubsubMessage message = message(decision);
        if (!message.getOrderingKey().isEmpty()) {
            // A failed publish pauses its ordering key, failing every later one at once until it is resumed. That
            // failure was already reported by its own throw; the redelivered event's decision must get through.
            // (Resuming right after the failure would race: the client pauses the key after failing the future.)
            publisher.resumePublish(message.getOrderingKey());
        }
        ApiFuture<String> sent = publisher.publish(message);
        try {
            sent.get(timeout.plus(WAIT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failed(decision, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw failed(decision, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(decision, e);
        }
    }

    /** The message for a decision: the contract's JSON, its attributes (nulls left out) and its ordering key. */
    static PubsubMessage message(GateDecision d) {
        PubsubMessage.Builder m = PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(DecisionJson.write(d), StandardCharsets.UTF_8))
                .putAttributes("verdict", d.verdict().name());
        if (d.requestId() != null) {
            m.putAttributes("requestId", d.requestId());
        }
        if (d.buildId() != null) {
            m.putAttributes("buildId", d.buildId());
        }
        if (d.connector() != null) {
            m.putAttributes("connector", d.connector());
            m.setOrderingKey(d.connector());
        }
        return m.build();
    }

    /** Sends what is still batched, then releases the publisher's threads and channel. */
    @Override
    public void close() {
        try {
            publisher.shutdown();
            publisher.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            emulator.ifPresent(PubSubEmulatorChannel::close);
        }
    }

    private PublishFailed failed(GateDecision d, Throwable cause) {
        return new PublishFailed("publishing the " + d.verdict() + " decision for requestId " + d.requestId() + " to "
                + publisher.getTopicNameString() + " failed: " + cause, cause);
    }

    private static RetrySettings retrySettings(Duration timeout) {
        Duration total = timeout.compareTo(CLIENT_MIN_TOTAL_TIMEOUT) < 0 ? CLIENT_MIN_TOTAL_TIMEOUT : timeout;
        return RetrySettings.newBuilder()
                .setTotalTimeoutDuration(total)
                .setInitialRpcTimeoutDuration(timeout)
                .setMaxRpcTimeoutDuration(timeout)
                .setRpcTimeoutMultiplier(1.0)
                .setInitialRetryDelayDuration(Duration.ofMillis(100))
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                .build();
    }
}
