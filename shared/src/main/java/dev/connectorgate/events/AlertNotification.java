package dev.connectorgate.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.connectorgate.model.Incident;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Cloud Monitoring notification from the {@code connector-alerts} topic (schema 1.2, or the console's test
 * message) into an {@link Incident} on a connector, or says why the message is not about one.
 */
public final class AlertNotification {

    /** The resource type of a Serverless VPC Access connector in Cloud Monitoring. */
    public static final String CONNECTOR_RESOURCE_TYPE = "vpc_access_connector";

    /**
     * The location segment of an incident's connector when the alert did not name one. Google does not confirm a
     * location label on this resource type, so the caller resolves {@code -} by project and short name; see
     * {@link #matches}.
     */
    public static final String ANY_LOCATION = "-";

    private static final Pattern FULL_NAME =
            Pattern.compile("projects/([^/\\s]+)/locations/([^/\\s]+)/connectors/([^/\\s]+)");
    private static final Pattern SEGMENT = Pattern.compile("[^/\\s]+");

    // Beyond year 9999 a timestamp is garbage, not a time; Instant would take it and print it unreadably.
    private static final BigDecimal MAX_EPOCH_SECONDS = BigDecimal.valueOf(253_402_300_799L);

    /** Pieces quoted from the alert, and the summary line as a whole, stay short enough for a WAIT reason. */
    private static final int SUMMARY_LIMIT = 400;

    /**
     * Monitoring's ids are a dozen characters; the ledger keys incidents by them (Firestore document ids stop at 1500
     * bytes), so an id past this is not one.
     */
    private static final int INCIDENT_ID_LIMIT = 256;

    private AlertNotification() {
    }

    /** What {@link #decode} made of a notification. */
    public sealed interface AlertResult permits AlertResult.IncidentUpdate, AlertResult.Ignored {

        /**
         * The notification opens or closes an incident on a connector.
         *
         * @param incident      keyed by incident_id; its connector's location may be
         *                      {@value AlertNotification#ANY_LOCATION}
         * @param policyName    the alert policy's display name, null when the alert had none
         * @param conditionName the condition's display name, null when the alert had none
         * @param consoleTest   true for the console's "send test notification" (version "test"): it proves the
         *                      channel works, and no close will ever follow it
         */
        record IncidentUpdate(Incident incident, String policyName, String conditionName, boolean consoleTest)
                implements AlertResult {
        }

        /** Not an incident on a connector; the caller logs the reason and acknowledges the message. */
        record Ignored(String reason) implements AlertResult {
        }
    }

    /**
     * Decodes one notification. Never throws: an exception would be a 500 and, with retries on, a day of redeliveries.
     *
     * <p>Connector name: {@code projects/{project_id}/locations/{location}/connectors/{connector_name}} from the
     * resource labels, taking {@code region} when there is no {@code location}; with neither, the location is
     * {@value #ANY_LOCATION} and the caller must resolve it (match with {@link #matches}).
     *
     * @param receivedAt stands in for a start (or end) time the message lacks, so that ordering by
     *                   {@link Incident#asOf()} still works; the console's test message says {@code started_at: 0}
     */
    public static AlertResult decode(byte[] data, Instant receivedAt) {
        try {
            return decodeOrThrow(data, receivedAt);
        } catch (RuntimeException e) {
            // Only a bug in this class gets here; it still must not turn one bad message into a retry storm.
            return new AlertResult.Ignored("alert could not be decoded: " + e);
        }
    }

    private static AlertResult decodeOrThrow(byte[] data, Instant receivedAt) {
        EventJson.Parsed parsed = EventJson.parseObject(data);
        if (parsed.problem() != null) {
            return ignored("alert notification: " + parsed.problem());
        }
        JsonObject root = parsed.object();
        Optional<String> version = EventJson.text(root, "version");
        if (version.isEmpty()) {
            return ignored("alert notification without a version (expected \"1.2\" or the console's \"test\")");
        }
        if (!version.get().equals("1.2") && !version.get().equals("test")) {
            return ignored("alert notification schema version " + EventJson.quote(version.get())
                    + " is not supported (expected \"1.2\" or \"test\")");
        }
        Optional<JsonObject> maybeIncident = EventJson.object(root, "incident");
        if (maybeIncident.isEmpty()) {
            return ignored(
                    "alert notification without an incident object, got " + EventJson.kind(root.get("incident")));
        }
        JsonObject incident = maybeIncident.get();
        Optional<String> id = EventJson.text(incident, "incident_id");
        if (id.isEmpty()) {
            return ignored("alert incident without an incident_id");
        }
        String incidentId = id.get();
        if (incidentId.length() > INCIDENT_ID_LIMIT) {
            return ignored("alert incident_id is longer than " + INCIDENT_ID_LIMIT + " characters: "
                    + EventJson.quote(incidentId));
        }
        String at = "incident " + EventJson.quote(incidentId) + ": ";

        Optional<String> state = EventJson.text(incident, "state").map(s -> s.toLowerCase(Locale.ROOT));
        if (state.isEmpty()) {
            return ignored(at + "no state (expected open or closed)");
        }
        if (!state.get().equals("open") && !state.get().equals("closed")) {
            return ignored(at + "state " + EventJson.quote(state.get()) + " is neither open nor closed");
        }
        boolean open = state.get().equals("open");

        JsonObject resource = EventJson.object(incident, "resource").orElse(null);
        Optional<String> type = resource == null ? Optional.empty() : EventJson.text(resource, "type");
        if (type.isEmpty()) {
            return ignored("alert without a resource type, not a " + CONNECTOR_RESOURCE_TYPE);
        }
        if (!type.get().equals(CONNECTOR_RESOURCE_TYPE)) {
            return ignored("alert about resource type " + EventJson.quote(type.get()) + ", not a "
                    + CONNECTOR_RESOURCE_TYPE);
        }
        JsonObject labels = EventJson.object(resource, "labels").orElse(new JsonObject());
        String connector;
        try {
            connector = connectorName(labels);
        } catch (IllegalArgumentException e) {
            return ignored(at + e.getMessage());
        }

        Instant startedAt = epochSeconds(incident.get("started_at"));
        Instant endedAt = epochSeconds(incident.get("ended_at"));
        if (open) {
            // "null while open": an end time on an open incident is meaningless and would confuse asOf().
            endedAt = null;
            if (startedAt == null) {
                startedAt = receivedAt;
            }
        } else if (endedAt == null) {
            endedAt = receivedAt;
        }

        String policy = EventJson.text(incident, "policy_name").map(AlertNotification::oneLine).orElse(null);
        String condition = EventJson.text(incident, "condition_name").map(AlertNotification::oneLine).orElse(null);
        String summary = summary(incidentId, policy, condition, incident);
        return new AlertResult.IncidentUpdate(new Incident(incidentId, connector, open, startedAt, endedAt, summary),
                policy, condition, version.get().equals("test"));
    }

    private static AlertResult ignored(String reason) {
        return new AlertResult.Ignored(reason);
    }

    /** The full connector name from the resource labels; throws IllegalArgumentException naming the bad label. */
    private static String connectorName(JsonObject labels) {
        String name = EventJson.text(labels, "connector_name")
                .orElseThrow(() -> new IllegalArgumentException("resource.labels.connector_name is missing"));
        // Should a label ever carry the full resource name, it says everything itself.
        Matcher full = FULL_NAME.matcher(name);
        if (full.matches()) {
            return name;
        }
        requireSegment("connector_name", name);
        String project = EventJson.text(labels, "project_id")
                .orElseThrow(() -> new IllegalArgumentException("resource.labels.project_id is missing"));
        requireSegment("project_id", project);
        Optional<String> location = EventJson.text(labels, "location").or(() -> EventJson.text(labels, "region"));
        if (location.isPresent()) {
            requireSegment(EventJson.text(labels, "location").isPresent() ? "location" : "region", location.get());
        }
        return "projects/" + project + "/locations/" + location.orElse(ANY_LOCATION) + "/connectors/" + name;
    }

    private static void requireSegment(String label, String value) {
        if (!SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "resource.labels." + label + " " + EventJson.quote(value) + " cannot be part of a resource name");
        }
    }

    /**
     * Epoch seconds from a number or a numeric string, null when absent, not a number, not positive or past year
     * 9999. An unreadable time falls back to the receive time rather than dropping the message: a dropped close would
     * hold the connector's requests on WAIT for good.
     */
    private static Instant epochSeconds(JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || e.getAsJsonPrimitive().isBoolean()) {
            return null;
        }
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(e.getAsString().trim());
        } catch (NumberFormatException notANumber) {
            return null;
        }
        if (seconds.signum() <= 0 || seconds.compareTo(MAX_EPOCH_SECONDS) > 0) {
            return null;
        }
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    /**
     * One line for a person: {@code policy "P", condition "C": observed 182.3, threshold 160}. Monitoring's own
     * summary is added only when there are no values to quote (log-based alerts, say), since otherwise it restates
     * them at length.
     */
    private static String summary(String incidentId, String policy, String condition, JsonObject incident) {
        List<String> head = new ArrayList<>();
        if (policy != null) {
            head.add("policy \"" + policy + "\"");
        }
        if (condition != null) {
            head.add("condition \"" + condition + "\"");
        }
        List<String> values = new ArrayList<>();
        EventJson.text(incident, "observed_value").ifPresent(v -> values.add("observed " + oneLine(v)));
        EventJson.text(incident, "threshold_value").ifPresent(v -> values.add("threshold " + oneLine(v)));
        if (values.isEmpty()) {
            EventJson.text(incident, "summary").ifPresent(s -> values.add(oneLine(s)));
        }
        String line;
        if (head.isEmpty() && values.isEmpty()) {
            line = "incident " + incidentId;
        } else if (values.isEmpty()) {
            line = String.join(", ", head);
        } else if (head.isEmpty()) {
            line = String.join(", ", values);
        } else {
            line = String.join(", ", head) + ": " + String.join(", ", values);
        }
        return EventJson.clip(line, SUMMARY_LIMIT);
    }

    private static String oneLine(String s) {
        return EventJson.clip(s.strip(), EventJson.QUOTE_LIMIT * 2).replaceAll("\\s+", " ");
    }

    /**
     * True when an incident's connector names the connector {@code fullConnectorName}: same project and short name,
     * and the same location unless either side says {@value #ANY_LOCATION}. Names not of the form
     * {@code projects/P/locations/L/connectors/C} match only when equal.
     */
    public static boolean matches(String fullConnectorName, String incidentConnector) {
        if (fullConnectorName == null || incidentConnector == null) {
            return false;
        }
        Matcher a = FULL_NAME.matcher(fullConnectorName);
        Matcher b = FULL_NAME.matcher(incidentConnector);
        if (!a.matches() || !b.matches()) {
            return fullConnectorName.equals(incidentConnector);
        }
        boolean sameLocation = a.group(2).equals(b.group(2))
                || a.group(2).equals(ANY_LOCATION) || b.group(2).equals(ANY_LOCATION);
        return a.group(1).equals(b.group(1)) && sameLocation && a.group(3).equals(b.group(3));
    }
}
