package dev.connectorgate.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.connectorgate.decision.Gate;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Verdict;
import dev.connectorgate.json.DecisionJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decisions publisher against the Pub/Sub emulator: what a subscriber of {@code gate-decisions} receives (the
 * contract's JSON, the attributes it filters on, the connector as ordering key), and a publish that cannot succeed
 * failing within its bound instead of hanging.
 */
class PubSubDecisionPublisherTest {
    private static final String CONNECTOR = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration RECEIVE_WITHIN = Duration.ofSeconds(20);

    private static PubSubEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = PubSubEmulator.get();
    }

    @Test
    void subscriberReceivesTheDecisionJsonItsAttributesAndTheConnectorAsOrderingKey() throws Exception {
        TopicName topic = emulator.createTopic(PubSubEmulator.freshName("decisions"));
        SubscriptionName subscription = emulator.createSubscription(PubSubEmulator.freshName("pipeline"), topic);
        GateDecision wait = new GateDecision("staging-7f3c", "7f3c2a10", CONNECTOR, Verdict.WAIT,
                List.of("incident 0.abc is open on the connector"), NOW, null, null, null, List.of(), 60L, List.of());

        try (PubSubDecisionPublisher publisher = publisher(topic)) {
            publisher.publish(wait);
        }

        List<ReceivedMessage> received = emulator.pull(subscription, 1, RECEIVE_WITHIN);
        assertThat(received).hasSize(1);
        PubsubMessage message = received.get(0).getMessage();
        assertThat(message.getData().toString(StandardCharsets.UTF_8)).isEqualTo(DecisionJson.write(wait));
        assertThat(message.getAttributesMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "requestId", "staging-7f3c", "buildId", "7f3c2a10", "connector", CONNECTOR, "verdict", "WAIT"));
        assertThat(message.getOrderingKey()).isEqualTo(CONNECTOR);
    }

    @Test
    void unreadableRequestIsPublishedWithOnlyItsVerdictAndNoOrderingKey() throws Exception {
        TopicName topic = emulator.createTopic(PubSubEmulator.freshName("decisions"));
        SubscriptionName subscription = emulator.createSubscription(PubSubEmulator.freshName("pipeline"), topic);
        GateDecision reject = Gate.reject(null, null, null, List.of("data: not valid base64"), NOW);

        try (PubSubDecisionPublisher publisher = publisher(topic)) {
            publisher.publish(reject);
        }

        List<ReceivedMessage> received = emulator.pull(subscription, 1, RECEIVE_WITHIN);
        assertThat(received).hasSize(1);
        PubsubMessage message = received.get(0).getMessage();
        assertThat(message.getAttributesMap()).containsExactly(Map.entry("verdict", "REJECT"));
        assertThat(message.getOrderingKey()).isEmpty();
        assertThat(message.getData().toString(StandardCharsets.UTF_8)).isEqualTo(DecisionJson.write(reject));
    }

    @Test
    void decisionsForOneConnectorArriveInPublishOrder() throws Exception {
        TopicName topic = emulator.createTopic(PubSubEmulator.freshName("decisions"));
        SubscriptionName subscription = emulator.createSubscription(PubSubEmulator.freshName("pipeline"), topic);

        try (PubSubDecisionPublisher publisher = publisher(topic)) {
            for (int i = 0; i < 5; i++) {
                publisher.publish(Gate.reject("req-" + i, null, CONNECTOR, List.of("services: missing"), NOW));
            }
        }

        assertThat(emulator.pull(subscription, 5, RECEIVE_WITHIN))
                .extracting(m -> m.getMessage().getAttributesOrThrow("requestId"))
                .containsExactly("req-0", "req-1", "req-2", "req-3", "req-4");
    }

    @Test
    void publishToATopicThatDoesNotExistFailsRatherThanHangs() {
        String missing = PubSubEmulator.freshName("no-such-topic");

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (PubSubDecisionPublisher publisher = publisher(TopicName.of(PubSubEmulator.PROJECT_ID, missing))) {
                assertThatThrownBy(() -> publisher.publish(
                        Gate.reject("req-1", null, CONNECTOR, List.of("services: missing"), NOW)))
                        .isInstanceOf(PubSubDecisionPublisher.PublishFailed.class)
                        .hasMessageContaining("req-1")
                        .hasMessageContaining(missing);
            }
        });
    }

    @Test
    void connectorWhosePublishFailedIsPublishedAgainOnRedelivery() throws Exception {
        // A failed message pauses its ordering key: the redelivered event's decision must still get through.
        String later = PubSubEmulator.freshName("created-later");
        GateDecision decision = Gate.reject("req-redelivered", null, CONNECTOR, List.of("services: missing"), NOW);

        try (PubSubDecisionPublisher publisher = publisher(TopicName.of(PubSubEmulator.PROJECT_ID, later))) {
            assertThatThrownBy(() -> publisher.publish(decision))
                    .isInstanceOf(PubSubDecisionPublisher.PublishFailed.class);
            TopicName topic = emulator.createTopic(later);
            SubscriptionName subscription = emulator.createSubscription(PubSubEmulator.freshName("pipeline"), topic);

            publisher.publish(decision);

            assertThat(emulator.pull(subscription, 1, RECEIVE_WITHIN))
                    .extracting(m -> m.getMessage().getAttributesOrThrow("requestId"))
                    .containsExactly("req-redelivered");
        }
    }

    private static PubSubDecisionPublisher publisher(TopicName topic) throws Exception {
        return PubSubDecisionPublisher.create(topic.getProject(), topic.getTopic(),
                Optional.of(emulator.hostPort()), Duration.ofSeconds(10));
    }
}
