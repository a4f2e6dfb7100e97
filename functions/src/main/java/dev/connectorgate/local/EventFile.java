package dev.connectorgate.local;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.connectorgate.events.CloudEventSource;
import dev.connectorgate.json.StrictJson;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * One structured-mode CloudEvent read from a scenario file (contract: "Local replay"), with the topic its source
 * names: what production would have delivered to the function subscribed to that topic.
 */
public record EventFile(Path path, String topic, CloudEvent event) {

    /** A file that is not a usable CloudEvent: the message names the file and the field. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public static EventFile read(Path path) throws Invalid {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Invalid(path + ": cannot read: " + e.getMessage());
        }
        StrictJson.Parsed parsed = StrictJson.parse(text);
        if (!parsed.ok()) {
            throw new Invalid(path + ": not JSON: " + parsed.problem());
        }
        if (!parsed.value().isJsonObject()) {
            throw new Invalid(path + ": must be a CloudEvent JSON object");
        }
        JsonObject o = parsed.value().getAsJsonObject();
        String source = text(o, "source", path);
        String topic = CloudEventSource.topicOf(source).orElseThrow(() -> new Invalid(path
                + ": source must be //pubsub.googleapis.com/projects/P/topics/T, got " + source));
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(text(o, "time", path));
        } catch (DateTimeParseException e) {
            throw new Invalid(path + ": time: not an RFC 3339 instant: " + o.get("time"));
        }
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(text(o, "id", path))
                .withSource(URI.create(source))
                .withType(text(o, "type", path))
                .withTime(time)
                .withDataContentType(o.has("datacontenttype") ? o.get("datacontenttype").getAsString()
                        : "application/json");
        if (o.has("data_base64")) {
            b.withData(Base64.getDecoder().decode(text(o, "data_base64", path)));
        } else if (o.has("data")) {
            JsonElement data = o.get("data");
            // A JSON value is the data itself; a JSON string is data that was text all along.
            String body = data.isJsonPrimitive() && data.getAsJsonPrimitive().isString() ? data.getAsString()
                    : data.toString();
            b.withData(body.getBytes(StandardCharsets.UTF_8));
        }
        return new EventFile(path, topic, b.build());
    }

    private static String text(JsonObject o, String field, Path path) throws Invalid {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new Invalid(path + ": " + field + ": a CloudEvent needs it, as a string");
        }
        return e.getAsString();
    }
}
