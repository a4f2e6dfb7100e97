package dev.connectorgate.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One Pub/Sub message as a function receives it, already unwrapped from its CloudEvent or push envelope.
 *
 * @param data        the message payload, decoded from base64; empty, never null, when the message had none
 * @param attributes  the message attributes; empty, never null, when it had none
 * @param messageId   Pub/Sub's id for the message; null only when the envelope had none (hand-written replay files)
 * @param publishTime when Pub/Sub accepted the message; null when the envelope did not say
 * @param orderingKey the ordering key; null when absent
 */
public record PubSubMessage(byte[] data, Map<String, String> attributes, String messageId, Instant publishTime,
        String orderingKey) {

    public PubSubMessage {
        // Copies both ways keep the record immutable: a byte array is otherwise shared with whoever holds it.
        data = data == null ? new byte[0] : data.clone();
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The payload read as UTF-8, how every topic of the contract carries its JSON. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The attribute's value, or null when the message does not carry it. */
    public String attribute(String name) {
        return attributes.get(name);
    }

    // A record compares arrays by reference; two deliveries of the same message must compare equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof PubSubMessage m && Arrays.equals(data, m.data) && attributes.equals(m.attributes)
                && Objects.equals(messageId, m.messageId) && Objects.equals(publishTime, m.publishTime)
                && Objects.equals(orderingKey, m.orderingKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(data), attributes, messageId, publishTime, orderingKey);
    }

    /** Names the payload by its size: it may be megabytes, and logs are no place for it. */
    @Override
    public String toString() {
        return "PubSubMessage[messageId=" + messageId + ", publishTime=" + publishTime + ", orderingKey="
                + orderingKey + ", attributes=" + attributes + ", data=" + data.length + " bytes]";
    }
}
