package dev.connectorgate.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a Cloud Build status message from the {@code cloud-builds} topic: which build, in which status, and whether
 * that status is terminal, which is what releases the build's reservation.
 */
public final class BuildStatus {

    /** Statuses after which a build runs no more: its reservation is released (contract: GateDecision). */
    public static final Set<String> TERMINAL =
            Set.of("SUCCESS", "FAILURE", "INTERNAL_ERROR", "TIMEOUT", "CANCELLED", "EXPIRED");

    /** Statuses of a build still on its way; Cloud Build sends one message for each. */
    public static final Set<String> NOT_TERMINAL = Set.of("STATUS_UNKNOWN", "PENDING", "QUEUED", "WORKING");

    private BuildStatus() {
    }

    /** What {@link #decode} made of a message. */
    public sealed interface BuildResult permits BuildResult.Status, BuildResult.Ignored {

        /**
         * A build's status.
         *
         * @param status     upper-case, one of {@link #TERMINAL} or {@link #NOT_TERMINAL}
         * @param finishTime the Build's {@code finishTime}, null when it has none (yet) or it is unreadable
         */
        record Status(String buildId, String status, boolean terminal, Instant finishTime) implements BuildResult {
        }

        /** Nothing to act on; the caller logs the reason and acknowledges the message. */
        record Ignored(String reason) implements BuildResult {
        }
    }

    /**
     * Decodes one message. The build id and status come from the Build JSON ({@code id}, {@code status}) and, failing
     * that, from the attributes {@code buildId} and {@code status}, which Cloud Build sets on every message, so a
     * payload that cannot be read still releases its build. Never throws: an exception would be a 500 and, with
     * retries on, a day of redeliveries.
     *
     * @param attributes the message attributes; null reads as none
     */
    public static BuildResult decode(byte[] data, Map<String, String> attributes) {
        try {
            return decodeOrThrow(data, attributes == null ? Map.of() : attributes);
        } catch (RuntimeException e) {
            // Only a bug in this class gets here; it still must not turn one bad message into a retry storm.
            return new BuildResult.Ignored("Cloud Build message could not be decoded: " + e);
        }
    }

    private static BuildResult decodeOrThrow(byte[] data, Map<String, String> attributes) {
        EventJson.Parsed parsed = EventJson.parseObject(data);
        JsonObject build = parsed.object() == null ? new JsonObject() : parsed.object();

        Optional<String> buildId = EventJson.text(build, "id").or(() -> attribute(attributes, "buildId"));
        if (buildId.isEmpty()) {
            String why = parsed.problem() == null ? "" : " (data: " + parsed.problem() + ")";
            return new BuildResult.Ignored("Cloud Build message without a buildId" + why);
        }
        String id = buildId.get();
        Optional<String> status = EventJson.text(build, "status").or(() -> attribute(attributes, "status"))
                .map(s -> s.toUpperCase(Locale.ROOT));
        if (status.isEmpty()) {
            return new BuildResult.Ignored(
                    "Cloud Build message for build " + EventJson.quote(id) + " without a status");
        }
        String s = status.get();
        boolean terminal = TERMINAL.contains(s);
        if (!terminal && !NOT_TERMINAL.contains(s)) {
            return new BuildResult.Ignored(
                    "Cloud Build message for build " + EventJson.quote(id) + " has unknown status " + EventJson.quote(s));
        }
        return new BuildResult.Status(id, s, terminal, finishTime(build.get("finishTime")));
    }

    private static Optional<String> attribute(Map<String, String> attributes, String name) {
        String v = attributes.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** Informational only (the status is what releases a build), so an unreadable time is dropped, not fatal. */
    private static Instant finishTime(JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            return null;
        }
        try {
            return Instant.parse(e.getAsString().trim());
        } catch (DateTimeException unreadable) {
            return null;
        }
    }
}
