package dev.connectorgate.events;

import static dev.connectorgate.events.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connectorgate.events.BuildStatus.BuildResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cloud Build status messages: the golden Build resource, the attribute fallback and what is ignored. */
class BuildStatusTest {

    private static final String ID = "5d2f8a3e-91c4-4b7e-8f0a-6c3d2e1b9a47";
    private static final Map<String, String> ATTRS = Map.of("buildId", ID, "status", "SUCCESS");

    private static BuildResult.Status status(byte[] data, Map<String, String> attributes) {
        BuildResult r = BuildStatus.decode(data, attributes);
        assertThat(r).isInstanceOf(BuildResult.Status.class);
        return (BuildResult.Status) r;
    }

    private static String ignored(byte[] data, Map<String, String> attributes) {
        BuildResult r = BuildStatus.decode(data, attributes);
        assertThat(r).isInstanceOf(BuildResult.Ignored.class);
        return ((BuildResult.Ignored) r).reason();
    }

    private static byte[] buildWith(Consumer<JsonObject> edit) {
        JsonObject b = JsonParser.parseString(Fixtures.text("cloud-build-success.json")).getAsJsonObject();
        edit.accept(b);
        return utf8(b.toString());
    }

    @Test
    void aFinishedBuild() {
        assertThat(status(Fixtures.bytes("cloud-build-success.json"), ATTRS)).isEqualTo(
                new BuildResult.Status(ID, "SUCCESS", true, Instant.parse("2025-11-18T09:44:18.902311Z")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SUCCESS", "FAILURE", "INTERNAL_ERROR", "TIMEOUT", "CANCELLED", "EXPIRED"})
    void terminalStatuses(String s) {
        BuildResult.Status r = status(buildWith(b -> b.addProperty("status", s)), Map.of());
        assertThat(r.status()).isEqualTo(s);
        assertThat(r.terminal()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"STATUS_UNKNOWN", "PENDING", "QUEUED", "WORKING"})
    void statusesOnTheWay(String s) {
        BuildResult.Status r = status(buildWith(b -> {
            b.addProperty("status", s);
            b.remove("finishTime");
        }), Map.of());
        assertThat(r.status()).isEqualTo(s);
        assertThat(r.terminal()).isFalse();
        assertThat(r.finishTime()).isNull();
    }

    @Test
    void theJsonWinsOverTheAttributes() {
        BuildResult.Status r = status(buildWith(b -> b.addProperty("status", "WORKING")),
                Map.of("buildId", "other", "status", "FAILURE"));
        assertThat(r.buildId()).isEqualTo(ID);
        assertThat(r.status()).isEqualTo("WORKING");
    }

    @Test
    void attributesStandInForWhatTheJsonLacks() {
        BuildResult.Status r = status(buildWith(b -> {
            b.remove("id");
            b.remove("status");
        }), ATTRS);
        assertThat(r.buildId()).isEqualTo(ID);
        assertThat(r.status()).isEqualTo("SUCCESS");
        assertThat(r.finishTime()).isEqualTo(Instant.parse("2025-11-18T09:44:18.902311Z"));
    }

    @Test
    void unreadableDataStillReleasesByAttributes() {
        assertThat(status(utf8("not json"), ATTRS)).isEqualTo(new BuildResult.Status(ID, "SUCCESS", true, null));
        assertThat(status(new byte[0], ATTRS).terminal()).isTrue();
        assertThat(status(null, ATTRS).terminal()).isTrue();
        assertThat(status(utf8("[1,2,3]"), ATTRS).buildId()).isEqualTo(ID);
    }

    @Test
    void noBuildId() {
        assertThat(ignored(buildWith(b -> b.remove("id")), Map.of())).isEqualTo("Cloud Build message without a buildId");
        assertThat(ignored(buildWith(b -> b.add("id", new JsonObject())), null))
                .isEqualTo("Cloud Build message without a buildId");
        assertThat(ignored(buildWith(b -> b.addProperty("id", " ")), Map.of("buildId", "")))
                .isEqualTo("Cloud Build message without a buildId");
        assertThat(ignored(utf8("{oops"), Map.of("status", "SUCCESS")))
                .startsWith("Cloud Build message without a buildId (data: not JSON: ");
    }

    @Test
    void noOrUnknownStatus() {
        assertThat(ignored(buildWith(b -> b.remove("status")), Map.of()))
                .isEqualTo("Cloud Build message for build " + ID + " without a status");
        assertThat(ignored(buildWith(b -> b.addProperty("status", "EXPLODED")), ATTRS))
                .isEqualTo("Cloud Build message for build " + ID + " has unknown status EXPLODED");
        assertThat(ignored(buildWith(b -> b.addProperty("status", "x".repeat(10_000))), Map.of()))
                .hasSizeLessThan(200);
    }

    @Test
    void statusIsReadInAnyCase() {
        assertThat(status(buildWith(b -> b.addProperty("status", "success")), Map.of()).status()).isEqualTo("SUCCESS");
    }

    @Test
    void numericIdIsText() {
        assertThat(status(utf8("{\"id\": 123, \"status\": \"QUEUED\"}"), Map.of()).buildId()).isEqualTo("123");
    }

    @Test
    void unreadableFinishTimeIsNull() {
        assertThat(status(buildWith(b -> b.addProperty("finishTime", "tomorrow")), Map.of()).finishTime()).isNull();
        assertThat(status(buildWith(b -> b.addProperty("finishTime", 1763459058)), Map.of()).finishTime()).isNull();
    }

    @Test
    void hugeBuildDecodes() {
        BuildResult.Status r = status(buildWith(b -> {
            JsonObject subs = b.getAsJsonObject("substitutions");
            for (int i = 0; i < 200_000; i++) {
                subs.addProperty("_K" + i, "value-" + i);
            }
        }), Map.of());
        assertThat(r.buildId()).isEqualTo(ID);
    }

    @Test
    void attributesAreNotModified() {
        Map<String, String> attrs = new HashMap<>(ATTRS);
        BuildStatus.decode(utf8("{}"), attrs);
        assertThat(attrs).isEqualTo(ATTRS);
    }
}
