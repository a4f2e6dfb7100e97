package dev.connectorgate.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses untrusted text as exactly one JSON value (RFC 8259), for every reader of outside input: requests, events,
 * environment files. Strict, because gson's default leniency takes NaN, comments, bare words and trailing garbage;
 * and a problem is described in a few words a person can use, not in gson's exception text.
 */
public final class StrictJson {
    private static final Pattern POSITION = Pattern.compile("at line \\d+ column \\d+");

    private StrictJson() {
    }

    /** A parsed value, or why the text is not one JSON value ({@code problem} then names what and where). */
    public record Parsed(JsonElement value, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    public static Parsed parse(String text) {
        if (text.isBlank()) {
            return new Parsed(null, "no JSON at all");
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement value = JsonParser.parseReader(reader);
            // parseReader stops after one value; peeking on makes the strict reader refuse anything after it.
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                return new Parsed(value, null);
            }
            return new Parsed(null, "data after the top-level value " + position(reader.toString()));
        } catch (JsonParseException | IOException e) {
            return new Parsed(null, describe(e));
        }
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        // gson guards its stack with a nesting limit; say so, no input of ours needs more than a few levels.
        String what = message.contains("Nesting limit") ? "nesting deeper than gson's limit of 255" : "malformed JSON";
        return (what + " " + position(message)).trim();
    }

    private static String position(String message) {
        Matcher matcher = POSITION.matcher(message);
        return matcher.find() ? matcher.group() : "";
    }
}
