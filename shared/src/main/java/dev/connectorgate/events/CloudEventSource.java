package dev.connectorgate.events;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Pub/Sub topic out of a CloudEvent's {@code source}, which is how a local replay routes an event to the
 * function production would run for it.
 */
public final class CloudEventSource {

    // Segments are non-empty and slash-free; anything after the topic (a subscription, a query) is not this form.
    private static final Pattern PUBSUB_TOPIC =
            Pattern.compile("//pubsub\\.googleapis\\.com/projects/([^/?#\\s]+)/topics/([^/?#\\s]+)");

    private CloudEventSource() {
    }

    /** A topic named by project and short topic id. */
    public record Topic(String project, String topic) {
    }

    /** Project and topic of {@code //pubsub.googleapis.com/projects/P/topics/T}; empty for any other source. */
    public static Optional<Topic> parse(String source) {
        if (source == null) {
            return Optional.empty();
        }
        Matcher m = PUBSUB_TOPIC.matcher(source.trim());
        return m.matches() ? Optional.of(new Topic(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The short topic id T of {@code //pubsub.googleapis.com/projects/P/topics/T}; empty for any other source. */
    public static Optional<String> topicOf(String source) {
        return parse(source).map(Topic::topic);
    }
}
