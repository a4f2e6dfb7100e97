package dev.connectorgate.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.connectorgate.json.StrictJson;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Turns payload bytes into one JSON object, strictly (RFC 8259), or says in one problem why it cannot. */
final class JsonPayload {
    private static final String PATH = "payload";

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
        StrictJson.Parsed parsed = StrictJson.parse(text);
        if (!parsed.ok()) {
            problems.add(PATH, "must be JSON, got " + parsed.problem());
            return Optional.empty();
        }
        return Optional.of(parsed.value());
    }
}
