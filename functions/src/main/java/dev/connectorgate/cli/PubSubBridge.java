package dev.connectorgate.cli;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import dev.connectorgate.gcp.PubSubEmulatorChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What Eventarc does for the deployed functions, done by {@code gate up} for the local ones: pulls each input
 * topic's subscription and POSTs every message to its function as a binary-mode CloudEvent of type
 * {@code google.cloud.pubsub.topic.v1.messagePublished} (contract: Topics).
 *
 * <p>A 2xx acknowledges the message; anything else leaves it to be delivered again, so a function that throws (a
 * publish that failed) gets its event redelivered, as under the production retry policy. One message at a time per
 * topic, like a function instance's default concurrency of one.
 */
final class PubSubBridge implements AutoCloseable {
    static final String EVENT_TYPE = "google.cloud.pubsub.topic.v1.messagePublished";
    /** The subscriptions' ack deadline: longer than a function may take (60 s by default), so none is redelivered
     * while its function still works on it. */
    static final int ACK_DEADLINE_SECONDS = 120;
    // A nack that asked for redelivery at once would spin on a function that keeps failing; Pub/Sub backs off too.
    private static final int RETRY_DELAY_SECONDS = 5;
    private static final Duration POST_TIMEOUT = Duration.ofSeconds(70);
    // How long one pull waits on the emulator for messages; it returns early as soon as some arrive.
    private static final Duration PULL_WAIT = Duration.ofSeconds(20);
    private static final Duration IDLE_PAUSE = Duration.ofMillis(200);
    private static final Gson GSON = new Gson();

    /** One input topic and the function its messages go to. */
    record Route(String topic, SubscriptionName subscription, String function, URI target) {}

    private final String project;
    // Its own channel: closing it cancels the long pulls in flight, which closing the client alone would not.
    private final PubSubEmulatorChannel channel;
    private final SubscriptionAdminClient subscriptions;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Thread> loops = new ArrayList<>();
    private volatile boolean running = true;

    /** A bridge on the emulator at {@code emulatorHostPort}; {@code out} gets one line per delivery. */
    PubSubBridge(String emulatorHostPort, String project, PrintStream out) throws IOException {
        this.project = project;
        this.out = out;
        this.channel = PubSubEmulatorChannel.open(emulatorHostPort);
        SubscriptionAdminSettings.Builder settings = SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(channel.channels()).setCredentialsProvider(channel.credentials());
        settings.pullSettings().setRetrySettings(RetrySettings.newBuilder()
                .setTotalTimeoutDuration(PULL_WAIT).setInitialRpcTimeoutDuration(PULL_WAIT)
                .setMaxRpcTimeoutDuration(PULL_WAIT).setRpcTimeoutMultiplier(1.0).setMaxAttempts(1).build());
        try {
            this.subscriptions = SubscriptionAdminClient.create(settings.build());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Starts delivering the route's messages, on a thread of its own. */
    synchronized void start(Route route) {
        Thread loop = new Thread(() -> deliverUntilClosed(route), "bridge-" + route.topic());
        loop.setDaemon(true);
        loops.add(loop);
        loop.start();
    }

    /** Stops pulling and delivering; a delivery in flight is abandoned unacknowledged. */
    @Override
    public synchronized void close() {
        running = false;
        loops.forEach(Thread::interrupt);
        subscriptions.shutdownNow();
        channel.close();
        try {
            for (Thread loop : loops) {
                loop.join(TimeUnit.SECONDS.toMillis(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliverUntilClosed(Route route) {
        boolean failing = false;
        while (running) {
            PullResponse response;
            try {
                response = subscriptions.pull(PullRequest.newBuilder()
                        .setSubscription(route.subscription().toString()).setMaxMessages(10).build());
                failing = false;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                boolean idle = e instanceof ApiException api
                        && api.getStatusCode().getCode() == StatusCode.Code.DEADLINE_EXCEEDED;
                if (!idle && !failing) {
                    // Said once per outage, not once per retry.
                    out.println("bridge: pulling " + route.subscription() + " failed, retrying: " + e.getMessage());
                    failing = true;
                }
                pause(failing ? Duration.ofSeconds(1) : IDLE_PAUSE);
                continue;
            }
            if (response.getReceivedMessagesCount() == 0) {
                pause(IDLE_PAUSE);
            }
            for (ReceivedMessage received : response.getReceivedMessagesList()) {
                if (!running) {
                    return;
                }
                deliver(route, received);
            }
        }
    }

    private void deliver(Route route, ReceivedMessage received) {
        PubsubMessage m = received.getMessage();
        String outcome;
        boolean delivered;
        try {
            int status = http.send(cloudEvent(route, m), HttpResponse.BodyHandlers.discarding()).statusCode();
            delivered = status / 100 == 2;
            outcome = "HTTP " + status;
        } catch (IOException e) {
            delivered = false;
            outcome = e.toString();
        } catch (InterruptedException e) {
            // Closing: the message is left unacknowledged and comes back after its deadline.
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (delivered) {
                subscriptions.acknowledge(route.subscription(), List.of(received.getAckId()));
            } else {
                subscriptions.modifyAckDeadline(route.subscription(), List.of(received.getAckId()),
                        RETRY_DELAY_SECONDS);
            }
        } catch (ApiException e) {
            if (!running) {
                return;
            }
            outcome += " (and the emulator did not take the " + (delivered ? "ack" : "nack") + ": " + e.getMessage()
                    + ")";
        }
        out.println("bridge: " + route.topic() + " message " + m.getMessageId() + " -> " + route.function() + ": "
                + outcome + (delivered ? ", acked" : ", nacked: delivered again in " + RETRY_DELAY_SECONDS + " s"));
    }

    /** The message as Eventarc delivers it: CloudEvent attributes in {@code ce-} headers, the envelope as body. */
    HttpRequest cloudEvent(Route route, PubsubMessage m) {
        String publishTime = instant(m.getPublishTime()).toString();
        JsonObject message = new JsonObject();
        message.addProperty("data", Base64.getEncoder().encodeToString(m.getData().toByteArray()));
        JsonObject attributes = new JsonObject();
        m.getAttributesMap().forEach(attributes::addProperty);
        message.add("attributes", attributes);
        message.addProperty("messageId", m.getMessageId());
        message.addProperty("publishTime", publishTime);
        if (!m.getOrderingKey().isEmpty()) {
            message.addProperty("orderingKey", m.getOrderingKey());
        }
        JsonObject envelope = new JsonObject();
        envelope.add("message", message);
        envelope.addProperty("subscription", route.subscription().toString());
        return HttpRequest.newBuilder(route.target())
                .timeout(POST_TIMEOUT)
                .header("ce-specversion", "1.0")
                .header("ce-id", m.getMessageId())
                .header("ce-source", "//pubsub.googleapis.com/projects/" + project + "/topics/" + route.topic())
                .header("ce-type", EVENT_TYPE)
                .header("ce-time", publishTime)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(envelope), StandardCharsets.UTF_8))
                .build();
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            // Only close() interrupts, and it has cleared running already.
            Thread.currentThread().interrupt();
        }
    }
}
