package dev.connectorgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives on a topic, the decoders answer with a result and never throw: a function that threw would be
 * retried with the same bytes for a day. Each decoder also has a last-resort catch; these properties check that no
 * input needs it, so every answer is a reason written for that input.
 *
 * <p>Cases come from fixed seeds, so a failure names the seed that reproduces it.
 */
class DecodersNeverThrowTest {

    private static final Instant NOW = Instant.parse("2025-11-18T10:00:00Z");

    /** JSON's own punctuation and the field names the decoders look for, so parsing gets far. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ":", ",", "\"", "null", "true", "1.2",
            "-1", "1e999", "\"message\"", "\"data\"", "\"aGk=\"", "\"attributes\"", "\"publishTime\"", "\"version\"",
            "\"1.2\"", "\"test\"", "\"incident\"", "\"incident_id\"", "\"state\"", "\"OPEN\"", "\"resource\"",
            "\"type\"", "\"vpc_access_connector\"", "\"labels\"", "\"connector_name\"", "\"started_at\"", "\"id\"",
            "\"status\"", "\"SUCCESS\"", "\"finishTime\"", "\\", "\\u00", " ");

    /** The attributes BuildStatus falls back on, and what Cloud Build puts in them, among random ones. */
    private static final List<String> ATTRIBUTE_NAMES = List.of("buildId", "status", "");
    private static final List<String> ATTRIBUTE_VALUES = List.of("SUCCESS", "FAILURE", "WORKING", "", "b-1");

    @Test
    void randomBytes() {
        for (long seed = 1; seed <= 1000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            byte[] data = bytes(r, 1024);
            Map<String, String> attributes = attributes(r, 3);
            decodeAll("seed " + seed + ", data (base64) " + Base64.getEncoder().encodeToString(data)
                    + ", attributes " + attributes, data, attributes);
        }
    }

    @Test
    void jsonLikeText() {
        for (long seed = 1; seed <= 1000; seed++) {
            String text = jsonish(new SplittableRandom(seed), 60);
            decodeAll("seed " + seed + ", text " + text, text.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private static byte[] bytes(SplittableRandom r, int max) {
        byte[] out = new byte[r.nextInt(10) == 0 ? r.nextInt(4) : r.nextInt(max + 1)];
        r.nextBytes(out);
        return out;
    }

    private static Map<String, String> attributes(SplittableRandom r, int max) {
        Map<String, String> out = new HashMap<>();
        for (int i = r.nextInt(max + 1); i > 0; i--) {
            String name = r.nextBoolean() ? pick(r, ATTRIBUTE_NAMES) : string(r, 12);
            out.put(name, r.nextBoolean() ? pick(r, ATTRIBUTE_VALUES) : string(r, 40));
        }
        return out;
    }

    private static String jsonish(SplittableRandom r, int maxTokens) {
        StringBuilder out = new StringBuilder();
        for (int i = r.nextInt(maxTokens + 1); i > 0; i--) {
            out.append(pick(r, TOKENS));
        }
        return out.toString();
    }

    // Printable ASCII half the time, otherwise any UTF-16 unit (lone surrogates included).
    private static String string(SplittableRandom r, int maxLength) {
        StringBuilder out = new StringBuilder();
        for (int i = r.nextInt(maxLength + 1); i > 0; i--) {
            out.append((char) (r.nextBoolean() ? r.nextInt(0x20, 0x7F) : r.nextInt(0x10000)));
        }
        return out.toString();
    }

    private static String pick(SplittableRandom r, List<String> from) {
        return from.get(r.nextInt(from.size()));
    }

    // Throwing is a failure of the property too, so it names the seed like any other.
    private static void decodeAll(String where, byte[] data, Map<String, String> attributes) {
        try {
            PubSubEnvelope.Decoded envelope = PubSubEnvelope.decode(data);
            assertThat(envelope).as(where).isNotNull();
            if (envelope instanceof PubSubEnvelope.Decoded.Malformed m) {
                assertThat(m.reason()).as(where).doesNotStartWith("envelope could not be decoded");
            }
            AlertNotification.AlertResult alert = AlertNotification.decode(data, NOW);
            assertThat(alert).as(where).isNotNull();
            if (alert instanceof AlertNotification.AlertResult.Ignored i) {
                assertThat(i.reason()).as(where).doesNotStartWith("alert could not be decoded");
            }
            BuildStatus.BuildResult build = BuildStatus.decode(data, attributes);
            assertThat(build).as(where).isNotNull();
            if (build instanceof BuildStatus.BuildResult.Ignored i) {
                assertThat(i.reason()).as(where).doesNotStartWith("Cloud Build message could not be decoded");
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(where + ": threw " + e, e);
        }
    }
}
