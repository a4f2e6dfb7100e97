package dev.connectorgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever arrives on a topic, the decoders answer with a result and never throw: a function that threw would be
 * retried with the same bytes for a day. Each decoder also has a last-resort catch; these properties check that no
 * input needs it, so every answer is a reason written for that input.
 */
class DecodersNeverThrowProperties {

    private static final Instant NOW = Instant.parse("2025-11-18T10:00:00Z");

    @Property(tries = 1000)
    void randomBytes(@ForAll @Size(max = 1024) byte[] data,
            @ForAll @Size(max = 3) Map<@StringLength(max = 12) String, @StringLength(max = 40) String> attributes) {
        decodeAll(data, attributes);
    }

    @Property(tries = 1000)
    void jsonLikeText(@ForAll("jsonish") String text) {
        decodeAll(text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Random text over JSON's own punctuation and the field names the decoders look for, so parsing gets far. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "null", "true", "1.2", "-1",
                "1e999", "\"message\"", "\"data\"", "\"aGk=\"", "\"attributes\"", "\"publishTime\"", "\"version\"",
                "\"1.2\"", "\"test\"", "\"incident\"", "\"incident_id\"", "\"state\"", "\"OPEN\"", "\"resource\"",
                "\"type\"", "\"vpc_access_connector\"", "\"labels\"", "\"connector_name\"", "\"started_at\"",
                "\"id\"", "\"status\"", "\"SUCCESS\"", "\"finishTime\"", "\\", "\\u00", " ");
        return token.list().ofMaxSize(60).map(parts -> String.join("", parts));
    }

    private static void decodeAll(byte[] data, Map<String, String> attributes) {
        PubSubEnvelope.Decoded envelope = PubSubEnvelope.decode(data);
        assertThat(envelope).isNotNull();
        if (envelope instanceof PubSubEnvelope.Decoded.Malformed m) {
            assertThat(m.reason()).doesNotStartWith("envelope could not be decoded");
        }
        AlertNotification.AlertResult alert = AlertNotification.decode(data, NOW);
        assertThat(alert).isNotNull();
        if (alert instanceof AlertNotification.AlertResult.Ignored i) {
            assertThat(i.reason()).doesNotStartWith("alert could not be decoded");
        }
        BuildStatus.BuildResult build = BuildStatus.decode(data, attributes);
        assertThat(build).isNotNull();
        if (build instanceof BuildStatus.BuildResult.Ignored i) {
            assertThat(i.reason()).doesNotStartWith("Cloud Build message could not be decoded");
        }
    }
}
