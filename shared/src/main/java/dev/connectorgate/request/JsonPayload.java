package dev.connectorgate.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns payload bytes into one JSON object, strictly (RFC 8259), or says in one problem why it cannot. */
final class JsonPayload {
    private static final String PATH = "payload";
    private static final Pattern POSITION = Pattern.compile("at line \\d+ column \\d+");

    private JsonPayload() {}

    static Optional<JsonObject> parse(byte[] payload, Problems problems) {
        return decode(payload, problems).flatMap(text -> tree(text, problems)).flatMap(tree -> {
            if (tree.isJsonObject()) {
                return Optional.of(tree.getAsJsonObject());
            }
            problems.wrong(PATH, "must be a JSON object", tree);
            return Optional.empty();
        });
    }

    // A reporting decoder rather than new String(...): that would turn bad bytes into U+FFFD and let them pass.
    private static Optional<String> decode(byte[] payload, Problems problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(payload);
        CharBuffer out = CharBuffer.allocate(payload.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            problems.add(PATH, "must be UTF-8, got an invalid byte sequence at byte " + in.position());
            return Optional.empty();
        }
        decoder.flush(out);
        String text = out.flip().toString();
        // RFC 8259 lets a parser ignore a byte order mark; editors on some systems still write one.
        return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    private static Optional<JsonElement> tree(String text, Problems problems) {
        if (text.isBlank()) {
            problems.add(PATH, "must be a JSON object, got nothing");
            return Optional.empty();
        }
        // Strict: gson's default leniency would take NaN, comments, single quotes and trailing garbage.
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement tree = JsonParser.parseReader(reader);
            // parseReader stops after one value; peeking on makes the strict reader refuse anything after it.
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                return Optional.of(tree);
            }
            return malformed(reader.toString(), problems);
        } catch (JsonParseException | IOException e) {
            return malformed(String.valueOf(e.getMessage()), problems);
        }
    }

    private static Optional<JsonElement> malformed(String message, Problems problems) {
        // gson guards its stack with a nesting limit; say so, a request never needs more than a few levels.
        String what = message.contains("Nesting limit") ? "nesting deeper than gson's limit of 255" : "malformed JSON";
        problems.add(PATH, "must be JSON, got " + what + " " + position(message));
        return Optional.empty();
    }

    private static String position(String message) {
        Matcher matcher = POSITION.matcher(message);
        return matcher.find() ? matcher.group() : "";
    }
}
