package dev.connectorgate.events;

import static dev.connectorgate.events.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connectorgate.events.AlertNotification.AlertResult;
import dev.connectorgate.model.Incident;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Monitoring notifications into incidents: the golden payloads, then each rule one edit at a time. */
class AlertNotificationTest {

    private static final Instant RECEIVED = Instant.parse("2025-11-18T10:00:00Z");
    private static final String STAGING =
            "projects/netra-staging/locations/us-central1/connectors/staging-connector";

    private static AlertResult.IncidentUpdate update(byte[] data) {
        AlertResult r = AlertNotification.decode(data, RECEIVED);
        assertThat(r).isInstanceOf(AlertResult.IncidentUpdate.class);
        return (AlertResult.IncidentUpdate) r;
    }

    private static String ignored(byte[] data) {
        AlertResult r = AlertNotification.decode(data, RECEIVED);
        assertThat(r).isInstanceOf(AlertResult.Ignored.class);
        return ((AlertResult.Ignored) r).reason();
    }

    /** The open-incident fixture with one edit applied to its incident object. */
    private static byte[] openWith(Consumer<JsonObject> edit) {
        JsonObject root = JsonParser.parseString(Fixtures.text("monitoring-connector-open.json")).getAsJsonObject();
        edit.accept(root.getAsJsonObject("incident"));
        return utf8(root.toString());
    }

    private static Consumer<JsonObject> labels(Consumer<JsonObject> edit) {
        return i -> edit.accept(i.getAsJsonObject("resource").getAsJsonObject("labels"));
    }

    @Test
    void openIncidentOnAConnector() {
        AlertResult.IncidentUpdate u = update(Fixtures.bytes("monitoring-connector-open.json"));
        assertThat(u.incident()).isEqualTo(new Incident("0.nqzj3yq8kx2b", STAGING, true,
                Instant.ofEpochSecond(1763458867), null,
                "policy \"connector near capacity\", condition \"throughput > 80%\": observed 182.3, threshold 160"));
        assertThat(u.policyName()).isEqualTo("connector near capacity");
        assertThat(u.conditionName()).isEqualTo("throughput > 80%");
    }

    @Test
    void closedIncidentSupersedesTheOpenOne() {
        Incident open = update(Fixtures.bytes("monitoring-connector-open.json")).incident();
        Incident closed = update(Fixtures.bytes("monitoring-connector-closed.json")).incident();
        assertThat(closed.incidentId()).isEqualTo(open.incidentId());
        assertThat(closed.connector()).isEqualTo(STAGING);
        assertThat(closed.open()).isFalse();
        assertThat(closed.startedAt()).isEqualTo(Instant.ofEpochSecond(1763458867));
        assertThat(closed.endedAt()).isEqualTo(Instant.ofEpochSecond(1763459707));
        assertThat(closed.supersedes(open)).isTrue();
        assertThat(open.supersedes(closed)).isFalse();
    }

    @Test
    void consoleTestNotificationAboutAConnector() {
        AlertResult.IncidentUpdate u = update(Fixtures.bytes("monitoring-console-test-connector.json"));
        Incident i = u.incident();
        assertThat(i.open()).isTrue();
        assertThat(i.incidentId()).isEqualTo("0.test-7c1f");
        assertThat(i.connector()).isEqualTo("projects/netra-staging/locations/-/connectors/staging-connector");
        // started_at 0 is no time at all: the receive time stands in.
        assertThat(i.startedAt()).isEqualTo(RECEIVED);
        assertThat(i.endedAt()).isNull();
    }

    @Test
    void consoleTestNotificationAsTheConsoleSendsItIsNotAboutAConnector() {
        assertThat(ignored(Fixtures.bytes("monitoring-console-test.json")))
                .isEqualTo("alert about resource type example_resource, not a vpc_access_connector");
    }

    @Test
    void otherResourceTypesAreIgnored() {
        assertThat(ignored(Fixtures.bytes("monitoring-gce-instance.json")))
                .isEqualTo("alert about resource type gce_instance, not a vpc_access_connector");
        assertThat(ignored(openWith(i -> i.remove("resource"))))
                .isEqualTo("alert without a resource type, not a vpc_access_connector");
        assertThat(ignored(openWith(i -> i.getAsJsonObject("resource").addProperty("type", 7))))
                .isEqualTo("alert about resource type 7, not a vpc_access_connector");
    }

    @Test
    void regionLabelStandsInForLocation() {
        Incident i = update(openWith(labels(l -> {
            l.remove("location");
            l.addProperty("region", "europe-west1");
        }))).incident();
        assertThat(i.connector()).isEqualTo("projects/netra-staging/locations/europe-west1/connectors/staging-connector");
    }

    @Test
    void locationWinsOverRegion() {
        Incident i = update(openWith(labels(l -> l.addProperty("region", "europe-west1")))).incident();
        assertThat(i.connector()).isEqualTo(STAGING);
    }

    @Test
    void noLocationLeavesAWildcardForTheCaller() {
        Incident i = update(openWith(labels(l -> l.remove("location")))).incident();
        assertThat(i.connector()).isEqualTo("projects/netra-staging/locations/-/connectors/staging-connector");
        assertThat(AlertNotification.matches(STAGING, i.connector())).isTrue();
    }

    @Test
    void aFullNameInTheConnectorLabelIsTakenAsIs() {
        Incident i = update(openWith(labels(l -> {
            l.remove("project_id");
            l.remove("location");
            l.addProperty("connector_name", STAGING);
        }))).incident();
        assertThat(i.connector()).isEqualTo(STAGING);
    }

    @Test
    void missingOrUnusableLabels() {
        assertThat(ignored(openWith(labels(l -> l.remove("connector_name")))))
                .isEqualTo("incident 0.nqzj3yq8kx2b: resource.labels.connector_name is missing");
        assertThat(ignored(openWith(labels(l -> l.remove("project_id")))))
                .isEqualTo("incident 0.nqzj3yq8kx2b: resource.labels.project_id is missing");
        assertThat(ignored(openWith(labels(l -> l.addProperty("connector_name", "a/b")))))
                .isEqualTo("incident 0.nqzj3yq8kx2b: resource.labels.connector_name a/b cannot be part of a resource name");
        assertThat(ignored(openWith(labels(l -> l.addProperty("location", "us central1")))))
                .contains("resource.labels.location");
        assertThat(ignored(openWith(i -> i.getAsJsonObject("resource").remove("labels"))))
                .endsWith("resource.labels.connector_name is missing");
        assertThat(ignored(openWith(labels(l -> l.add("connector_name", new JsonObject())))))
                .endsWith("resource.labels.connector_name is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "OPEN", "Open"})
    void openInAnyCase(String state) {
        assertThat(update(openWith(i -> i.addProperty("state", state))).incident().open()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"closed", "CLOSED"})
    void closedInAnyCase(String state) {
        assertThat(update(openWith(i -> i.addProperty("state", state))).incident().open()).isFalse();
    }

    @Test
    void unknownOrMissingState() {
        assertThat(ignored(openWith(i -> i.addProperty("state", "acknowledged"))))
                .isEqualTo("incident 0.nqzj3yq8kx2b: state acknowledged is neither open nor closed");
        assertThat(ignored(openWith(i -> i.remove("state"))))
                .isEqualTo("incident 0.nqzj3yq8kx2b: no state (expected open or closed)");
    }

    @Test
    void incidentIdIsRequired() {
        assertThat(ignored(openWith(i -> i.remove("incident_id")))).isEqualTo("alert incident without an incident_id");
        assertThat(ignored(openWith(i -> i.addProperty("incident_id", "  "))))
                .isEqualTo("alert incident without an incident_id");
        assertThat(ignored(openWith(i -> i.add("incident_id", new JsonObject()))))
                .isEqualTo("alert incident without an incident_id");
        assertThat(ignored(openWith(i -> i.addProperty("incident_id", "x".repeat(300)))))
                .startsWith("alert incident_id is longer than 256 characters: xxx").hasSizeLessThan(200);
        assertThat(update(openWith(i -> i.addProperty("incident_id", 42))).incident().incidentId()).isEqualTo("42");
    }

    @Test
    void timesAsNumbersStringsOrNull() {
        assertThat(update(openWith(i -> i.addProperty("started_at", "1763458867"))).incident().startedAt())
                .isEqualTo(Instant.ofEpochSecond(1763458867));
        assertThat(update(openWith(i -> i.addProperty("started_at", 1763458867.25))).incident().startedAt())
                .isEqualTo(Instant.ofEpochSecond(1763458867, 250_000_000));
        assertThat(update(openWith(i -> i.add("started_at", null))).incident().startedAt()).isEqualTo(RECEIVED);
        assertThat(update(openWith(i -> i.remove("started_at"))).incident().startedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void unreadableTimesFallBackToTheReceiveTime() {
        for (JsonElement bad : new JsonElement[] {JsonParser.parseString("\"soon\""), JsonParser.parseString("true"),
                JsonParser.parseString("{}"), JsonParser.parseString("-5"), JsonParser.parseString("1e300")}) {
            assertThat(update(openWith(i -> i.add("started_at", bad))).incident().startedAt()).as(bad.toString())
                    .isEqualTo(RECEIVED);
        }
    }

    @Test
    void aClosedIncidentWithoutEndTimeEndsWhenReceived() {
        Incident i = update(openWith(i2 -> i2.addProperty("state", "closed"))).incident();
        assertThat(i.endedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void anOpenIncidentHasNoEndTime() {
        assertThat(update(openWith(i -> i.addProperty("ended_at", 1763459707))).incident().endedAt()).isNull();
    }

    @Test
    void summaryFromWhatIsThere() {
        assertThat(update(openWith(i -> i.remove("policy_name"))).incident().summary())
                .isEqualTo("condition \"throughput > 80%\": observed 182.3, threshold 160");
        assertThat(update(openWith(i -> {
            i.remove("observed_value");
            i.remove("threshold_value");
        })).incident().summary()).startsWith(
                "policy \"connector near capacity\", condition \"throughput > 80%\": Bytes sent for netra-staging");
        assertThat(update(openWith(i -> {
            i.remove("observed_value");
            i.remove("threshold_value");
            i.remove("summary");
        })).incident().summary()).isEqualTo("policy \"connector near capacity\", condition \"throughput > 80%\"");
        assertThat(update(openWith(i -> {
            i.remove("policy_name");
            i.remove("condition_name");
        })).incident().summary()).isEqualTo("observed 182.3, threshold 160");
        assertThat(update(openWith(i -> {
            for (String f : new String[] {"policy_name", "condition_name", "observed_value", "threshold_value",
                    "summary"}) {
                i.remove(f);
            }
        })).incident().summary()).isEqualTo("incident 0.nqzj3yq8kx2b");
    }

    @Test
    void policyAndConditionAreNullWhenAbsent() {
        AlertResult.IncidentUpdate u = update(openWith(i -> {
            i.remove("policy_name");
            i.add("condition_name", null);
        }));
        assertThat(u.policyName()).isNull();
        assertThat(u.conditionName()).isNull();
    }

    @Test
    void summaryIsOneShortLine() {
        String s = update(openWith(i -> {
            i.addProperty("policy_name", "multi\nline\tpolicy");
            i.remove("observed_value");
            i.remove("threshold_value");
            i.addProperty("summary", "word ".repeat(100_000));
        })).incident().summary();
        assertThat(s).startsWith("policy \"multi line policy\"").doesNotContain("\n").hasSizeLessThanOrEqualTo(401);
    }

    @Test
    void versions() {
        assertThat(ignored(utf8("{\"version\": \"1.1\", \"incident\": {}}")))
                .isEqualTo("alert notification schema version 1.1 is not supported (expected \"1.2\" or \"test\")");
        assertThat(ignored(utf8("{\"incident\": {}}")))
                .isEqualTo("alert notification without a version (expected \"1.2\" or the console's \"test\")");
        assertThat(ignored(utf8("{\"version\": {}, \"incident\": {}}"))).contains("without a version");
    }

    @Test
    void notJsonOrNoIncident() {
        assertThat(ignored(utf8("<html>502</html>"))).startsWith("alert notification: not JSON: ");
        assertThat(ignored(new byte[0])).isEqualTo("alert notification: empty data");
        assertThat(ignored(null)).isEqualTo("alert notification: empty data");
        assertThat(ignored(utf8("[]"))).isEqualTo("alert notification: not a JSON object but an array");
        assertThat(ignored(utf8("{\"version\": \"1.2\"}")))
                .isEqualTo("alert notification without an incident object, got null");
        assertThat(ignored(utf8("{\"version\": \"1.2\", \"incident\": [1]}")))
                .isEqualTo("alert notification without an incident object, got an array");
    }

    @Test
    void hugeNotificationDecodes() {
        AlertResult.IncidentUpdate u = update(openWith(i -> i.addProperty("documentation", "d".repeat(20_000_000))));
        assertThat(u.incident().incidentId()).isEqualTo("0.nqzj3yq8kx2b");
    }

    @Test
    void matchesTreatsADashLocationAsAnyLocation() {
        String anyLocation = "projects/netra-staging/locations/-/connectors/staging-connector";
        assertThat(AlertNotification.matches(STAGING, STAGING)).isTrue();
        assertThat(AlertNotification.matches(STAGING, anyLocation)).isTrue();
        assertThat(AlertNotification.matches(anyLocation, STAGING)).isTrue();
        assertThat(AlertNotification.matches(STAGING,
                "projects/netra-staging/locations/europe-west1/connectors/staging-connector")).isFalse();
        assertThat(AlertNotification.matches(STAGING, "projects/other/locations/-/connectors/staging-connector"))
                .isFalse();
        assertThat(AlertNotification.matches(STAGING, "projects/netra-staging/locations/-/connectors/prod-connector"))
                .isFalse();
        assertThat(AlertNotification.matches("staging-connector", "staging-connector")).isTrue();
        assertThat(AlertNotification.matches(STAGING, "staging-connector")).isFalse();
        assertThat(AlertNotification.matches(null, STAGING)).isFalse();
        assertThat(AlertNotification.matches(STAGING, null)).isFalse();
    }
}
