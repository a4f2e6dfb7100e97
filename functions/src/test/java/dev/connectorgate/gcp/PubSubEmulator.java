package dev.connectorgate.gcp;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.connectorgate.local.GcloudEmulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Pub/Sub emulator for tests: one per test JVM on a free loopback port, started on first use (about ten
 * seconds) and stopped with its whole process group by a shutdown hook.
 *
 * <p>Tests isolate themselves with {@link #freshName} topics and subscriptions rather than a new emulator. Its output
 * goes to {@code target/pubsub-emulator-PORT.log}.
 */
public final class PubSubEmulator {
    public static final String PROJECT_ID = "connector-gate-test";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static PubSubEmulator instance;

    private final GcloudEmulator emulator;
    private final PubSubEmulatorChannel channel;
    private final TopicAdminClient topics;
    private final SubscriptionAdminClient subscriptions;

    private PubSubEmulator(GcloudEmulator emulator) throws IOException {
        this.emulator = emulator;
        this.channel = PubSubEmulatorChannel.open(emulator.hostPort());
        this.topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(channel.channels()).setCredentialsProvider(channel.credentials()).build());
        this.subscriptions = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(channel.channels()).setCredentialsProvider(channel.credentials()).build());
    }

    /** The running emulator, started on the first call. Fails the calling test, saying why, when it cannot start. */
    public static synchronized PubSubEmulator get() {
        if (instance == null) {
            GcloudEmulator.missingTools().ifPresent(m -> fail("the Pub/Sub emulator tests need the emulator: " + m));
            String hostPort = GcloudEmulator.freeLoopbackHostPort();
            Path log = Path.of("target", "pubsub-emulator-" + hostPort.substring(hostPort.indexOf(':') + 1) + ".log")
                    .toAbsolutePath();
            GcloudEmulator started;
            try {
                started = GcloudEmulator.start(GcloudEmulator.Kind.PUBSUB, hostPort, log, STARTUP);
            } catch (GcloudEmulator.StartFailed e) {
                return fail(e.getMessage());
            }
            try {
                instance = new PubSubEmulator(started);
            } catch (IOException | RuntimeException e) {
                started.stop();
                return fail("no admin clients for the Pub/Sub emulator on " + hostPort + ": " + e, e);
            }
            PubSubEmulator running = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(running::stop, "pubsub-emulator-stop"));
        }
        return instance;
    }

    /** host:port of the emulator, as {@code PUBSUB_EMULATOR_HOST} wants it. */
    public String hostPort() {
        return emulator.hostPort();
    }

    /** A topic or subscription name no other test of this JVM uses. */
    public static String freshName(String name) {
        return name + "-" + NAMES.incrementAndGet();
    }

    public TopicName createTopic(String topic) {
        TopicName name = TopicName.of(PROJECT_ID, topic);
        topics.createTopic(name);
        return name;
    }

    /** A pull subscription on {@code topic}; as on Google, it receives only what is published after this. */
    public SubscriptionName createSubscription(String subscription, TopicName topic) {
        SubscriptionName name = SubscriptionName.of(PROJECT_ID, subscription);
        subscriptions.createSubscription(Subscription.newBuilder().setName(name.toString())
                .setTopic(topic.toString()).setAckDeadlineSeconds(30).build());
        return name;
    }

    /**
     * Pulls and acknowledges until {@code count} messages have arrived or {@code within} has passed: one pull may
     * return fewer than are there, or none.
     */
    public List<ReceivedMessage> pull(SubscriptionName subscription, int count, Duration within) {
        List<ReceivedMessage> received = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < count && System.nanoTime() < deadline) {
            PullResponse response = subscriptions.pull(subscription, true, count - received.size());
            if (response.getReceivedMessagesCount() == 0) {
                pause();
                continue;
            }
            List<String> ackIds = new ArrayList<>();
            for (ReceivedMessage m : response.getReceivedMessagesList()) {
                received.add(m);
                ackIds.add(m.getAckId());
            }
            subscriptions.acknowledge(subscription, ackIds);
        }
        return received;
    }

    private void stop() {
        topics.close();
        subscriptions.close();
        channel.close();
        emulator.stop();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while pulling from the Pub/Sub emulator", e);
        }
    }
}
