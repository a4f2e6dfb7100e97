package dev.connectorgate.local;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.ports.DecisionPublisher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Publishes decisions as JSON lines appended to a file: how a function run locally under the invoker shows what it
 * would have put on {@code gate-decisions}, without any cloud.
 */
public final class FileDecisionPublisher implements DecisionPublisher {
    private final Path file;

    public FileDecisionPublisher(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void publish(GateDecision decision) {
        try {
            Files.writeString(file, DecisionJson.write(decision) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // A failed publish must fail the event so that it is redelivered.
            throw new UncheckedIOException("cannot publish to " + file, e);
        }
    }
}
