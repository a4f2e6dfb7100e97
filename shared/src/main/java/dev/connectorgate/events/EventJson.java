package dev.connectorgate.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.connectorgate.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The JSON reading the event decoders share: strict parsing of untrusted bytes and field access that never throws.
 */
final class EventJson {

    /** Reasons quote pieces of untrusted input; this keeps a log line readable when the input is megabytes. */
    static final int QUOTE_LIMIT = 80;

    private EventJson() {
    }

    /** The outcome of parsing: an object, or why the bytes are not one. */
    record Parsed(JsonObject object, String problem) {
    }

    /**
     * Parses bytes as one JSON object. Strict rather than Gson's default lenient mode, which would read the bare word
     * {@code hello} as a string and {@code {a:1}} as an object: input that sloppy is not what Google publishes.
     */
    static Parsed parseObject(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new Parsed(null, "empty data");
        }
        StrictJson.Parsed parsed = StrictJson.parse(new String(bytes, StandardCharsets.UTF_8));
        if (!parsed.ok()) {
            return new Parsed(null, "not JSON: " + parsed.problem());
        }
        JsonElement root = parsed.value();
        if (!root.isJsonObject()) {
            return new Parsed(null, "not a JSON object but " + kind(root));
        }
        return new Parsed(root.getAsJsonObject(), null);
    }

    /** The field as an object, if it is one. */
    static Optional<JsonObject> object(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
    }

    /**
     * The field's text when it is a string or a number (IDs and values arrive as either, depending on the producer);
     * empty when absent, null, blank or of another type.
     */
    static Optional<String> text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive()) {
            return Optional.empty();
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return Optional.empty();
        }
        String s = p.getAsString().trim();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** True when the field is absent or JSON null. */
    static boolean missing(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull();
    }

    /** What kind of JSON value this is, for a reason that says what was found instead. */
    static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isBoolean() ? "a boolean" : p.isNumber() ? "a number" : "a string";
    }

    /** Quotes untrusted text for a reason: one line, at most {@link #QUOTE_LIMIT} characters. */
    static String quote(String s) {
        return clip(s, QUOTE_LIMIT).replaceAll("\\s+", " ");
    }

    /** At most {@code max} characters, with an ellipsis when cut; never between the halves of a surrogate pair. */
    static String clip(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…";
    }
}
