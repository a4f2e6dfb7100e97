package dev.connectorgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Routing by CloudEvent source: only a Pub/Sub topic source names a topic. */
class CloudEventSourceTest {

    @Test
    void topicAndProject() {
        assertThat(CloudEventSource.parse("//pubsub.googleapis.com/projects/netra-staging/topics/gate-requests"))
                .contains(new CloudEventSource.Topic("netra-staging", "gate-requests"));
        assertThat(CloudEventSource.topicOf("//pubsub.googleapis.com/projects/p/topics/cloud-builds"))
                .contains("cloud-builds");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "gate-requests", "//pubsub.googleapis.com/projects/p/topics/",
            "//pubsub.googleapis.com/projects//topics/t", "//pubsub.googleapis.com/projects/p/topics/t/extra",
            "//pubsub.googleapis.com/projects/p/subscriptions/s", "//storage.googleapis.com/projects/p/buckets/b",
            "https://pubsub.googleapis.com/projects/p/topics/t", "pubsub.googleapis.com/projects/p/topics/t"})
    void anythingElseIsEmpty(String source) {
        assertThat(CloudEventSource.topicOf(source)).isEmpty();
        assertThat(CloudEventSource.parse(source)).isEmpty();
    }
}
