package dev.connectorgate.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A structured-mode CloudEvent from a scenario folder, read the way the integration tests need it: its attributes
 * for binary-mode headers, its {@code data} for the body, and the Pub/Sub message payload inside.
 */
record EventFile(Path path, String id, String source, String type, String time, JsonObject data) {

    /** The repository root the build passes in, where {@code test-events/} and {@code ./gate} live. */
    static Path repo() {
        String repo = System.getProperty("gate.repo");
        if (repo == null || repo.isBlank()) {
            throw new IllegalStateException("system property gate.repo is not set: run the ITs through mvn verify");
        }
        return Path.of(repo);
    }

    /** A file under {@code test-events/}, e.g. {@code scenario("bad-input", "01-data-not-json.json")}. */
    static Path scenario(String folder, String file) {
        return repo().resolve("test-events").resolve(folder).resolve(file);
    }

    static EventFile read(Path path) {
        JsonObject event = readJson(path).getAsJsonObject();
        return new EventFile(path, event.get("id").getAsString(), event.get("source").getAsString(),
                event.get("type").getAsString(), event.get("time").getAsString(), event.getAsJsonObject("data"));
    }

    static JsonObject readJson(Path path) {
        try {
            return JsonParser.parseString(Files.readString(path)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Pub/Sub message's own bytes: what the publisher put on the topic, e.g. a DeploymentRequest. */
    byte[] messageData() {
        return Base64.getDecoder().decode(data.getAsJsonObject("message").get("data").getAsString());
    }
}
