package dev.connectorgate.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Unwraps the Pub/Sub message from the data of a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent, or
 * from a raw push delivery, which has the same shape with snake_case twins of some fields.
 */
public final class PubSubEnvelope {

    private PubSubEnvelope() {
    }

    /** What {@link #decode} found: a message, or why there is none. */
    public sealed interface Decoded permits Decoded.Message, Decoded.Malformed {

        /** The envelope held a well-formed message. */
        record Message(PubSubMessage message) implements Decoded {
        }

        /**
         * The envelope could not be read.
         *
         * @param reason    what was wrong, naming the field (e.g. {@code message.data: not base64: ...})
         * @param messageId the message's id when that much was readable, for the log line; else null
         */
        record Malformed(String reason, String messageId) implements Decoded {
        }
    }

    /**
     * Decodes CloudEvent data (or a push request body). Never throws: a function that threw would answer 500 and,
     * with retries on, have the same bad bytes redelivered for a day.
     */
    public static Decoded decode(byte[] cloudEventData) {
        try {
            return decodeOrThrow(cloudEventData);
        } catch (RuntimeException e) {
            // Only a bug in this class gets here; it still must not turn one bad message into a retry storm.
            return new Decoded.Malformed("envelope could not be decoded: " + e, null);
        }
    }

    private static Decoded decodeOrThrow(byte[] bytes) {
        EventJson.Parsed parsed = EventJson.parseObject(bytes);
        if (parsed.problem() != null) {
            return new Decoded.Malformed("event data: " + parsed.problem(), null);
        }
        JsonElement m = parsed.object().get("message");
        if (m == null || !m.isJsonObject()) {
            return new Decoded.Malformed(
                    "event data: \"message\" must be an object, got " + EventJson.kind(m)
                            + " (not a Pub/Sub messagePublished event?)",
                    null);
        }
        JsonObject message = m.getAsJsonObject();
        String messageId = twin(message, "messageId", "message_id").orElse(null);

        JsonElement dataField = message.get("data");
        byte[] data;
        if (dataField == null || dataField.isJsonNull()) {
            data = new byte[0];
        } else if (dataField.isJsonPrimitive() && dataField.getAsJsonPrimitive().isString()) {
            Base64Result b = base64(dataField.getAsString());
            if (b.problem != null) {
                return new Decoded.Malformed("message.data: not base64: " + b.problem, messageId);
            }
            data = b.bytes;
        } else {
            return new Decoded.Malformed(
                    "message.data: expected a base64 string, got " + EventJson.kind(dataField), messageId);
        }

        Map<String, String> attributes = new LinkedHashMap<>();
        JsonElement attrs = message.get("attributes");
        if (attrs != null && !attrs.isJsonNull()) {
            if (!attrs.isJsonObject()) {
                return new Decoded.Malformed(
                        "message.attributes: expected an object, got " + EventJson.kind(attrs), messageId);
            }
            for (Map.Entry<String, JsonElement> e : attrs.getAsJsonObject().entrySet()) {
                JsonElement v = e.getValue();
                if (v.isJsonNull()) {
                    continue;
                }
                if (!v.isJsonPrimitive()) {
                    return new Decoded.Malformed("message.attributes." + EventJson.quote(e.getKey())
                            + ": expected a string, got " + EventJson.kind(v), messageId);
                }
                // Pub/Sub attributes are strings; a hand-written replay file may say 3 for "3", which reads the same.
                attributes.put(e.getKey(), v.getAsString());
            }
        }

        Instant publishTime = null;
        JsonElement pt = EventJson.missing(message, "publishTime")
                ? message.get("publish_time") : message.get("publishTime");
        if (pt != null && !pt.isJsonNull()) {
            if (!pt.isJsonPrimitive() || !pt.getAsJsonPrimitive().isString()) {
                return new Decoded.Malformed(
                        "message.publishTime: expected an RFC 3339 string, got " + EventJson.kind(pt), messageId);
            }
            try {
                publishTime = Instant.parse(pt.getAsString().trim());
            } catch (DateTimeException e) {
                return new Decoded.Malformed("message.publishTime: not an RFC 3339 instant: "
                        + EventJson.quote(pt.getAsString()), messageId);
            }
        }

        String orderingKey = twin(message, "orderingKey", "ordering_key").orElse(null);
        return new Decoded.Message(new PubSubMessage(data, attributes, messageId, publishTime, orderingKey));
    }

    /** The camelCase field, else its snake_case twin (push deliveries carry both; a hand-written file either). */
    private static Optional<String> twin(JsonObject o, String camel, String snake) {
        return EventJson.text(o, camel).or(() -> EventJson.text(o, snake));
    }

    private record Base64Result(byte[] bytes, String problem) {
    }

    /**
     * Decodes standard or URL-safe base64, padded or not. Whitespace is dropped first, so line-wrapped output of the
     * {@code base64} tool pasted into a replay file still reads. The alphabet is chosen by the characters present
     * and checked here rather than left to {@link Base64}, whose messages ("Illegal base64 character 21") do not
     * tell a person where to look.
     */
    private static Base64Result base64(String raw) {
        String s = raw.replaceAll("[ \\t\\r\\n]", "");
        boolean urlSafe = false;
        boolean standard = false;
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        if (s.length() - end > 2) {
            return new Base64Result(null, "more than two '=' of padding");
        }
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '-' || c == '_') {
                urlSafe = true;
            } else if (c == '+' || c == '/') {
                standard = true;
            } else if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return new Base64Result(null, "illegal character " + describe(c) + " at index " + i);
            }
        }
        if (urlSafe && standard) {
            return new Base64Result(null, "mixes the standard (+/) and URL-safe (-_) alphabets");
        }
        if (end % 4 == 1) {
            return new Base64Result(null, end + " characters cannot be base64 (a dangling final character)");
        }
        if (end < s.length() && s.length() % 4 != 0) {
            return new Base64Result(null, "padding does not complete a 4-character group");
        }
        String unpadded = s.substring(0, end);
        try {
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(unpadded);
            return new Base64Result(bytes, null);
        } catch (IllegalArgumentException e) {
            return new Base64Result(null, String.valueOf(e.getMessage()));
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
