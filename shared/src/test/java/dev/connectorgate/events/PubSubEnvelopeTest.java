package dev.connectorgate.events;

import static dev.connectorgate.events.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.connectorgate.events.PubSubEnvelope.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Unwrapping Pub/Sub messages from CloudEvent data and push bodies, and every way an envelope can be wrong. */
class PubSubEnvelopeTest {

    private static PubSubMessage message(byte[] data) {
        Decoded d = PubSubEnvelope.decode(data);
        assertThat(d).isInstanceOf(Decoded.Message.class);
        return ((Decoded.Message) d).message();
    }

    private static Decoded.Malformed malformed(String json) {
        Decoded d = PubSubEnvelope.decode(utf8(json));
        assertThat(d).isInstanceOf(Decoded.Malformed.class);
        return (Decoded.Malformed) d;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(utf8(s));
    }

    @Test
    void pushEnvelopeWithSnakeCaseTwins() {
        PubSubMessage m = message(Fixtures.bytes("pubsub-push-envelope.json"));
        assertThat(m.text()).isEqualTo(Fixtures.text("pubsub-push-envelope.data.json"));
        assertThat(m.attributes()).containsExactly(Map.entry("requestId", "8f2c1e4a-6b7d-4c3e-9a51-0d2f7b6e3c19"));
        assertThat(m.messageId()).isEqualTo("11937923014531237");
        assertThat(m.publishTime()).isEqualTo(Instant.parse("2025-11-18T09:41:07.382Z"));
        assertThat(m.orderingKey()).isNull();
    }

    @Test
    void cloudEventDataInCamelCase() {
        PubSubMessage m = message(utf8("{\"message\": {\"data\": \"" + b64("hello") + "\", \"attributes\": {\"a\": \"1\"},"
                + " \"messageId\": \"42\", \"publishTime\": \"2025-01-02T03:04:05.678901Z\", \"orderingKey\": \"k\"},"
                + " \"subscription\": \"projects/p/subscriptions/eventarc-sub\"}"));
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.attribute("a")).isEqualTo("1");
        assertThat(m.messageId()).isEqualTo("42");
        assertThat(m.publishTime()).isEqualTo(Instant.parse("2025-01-02T03:04:05.678901Z"));
        assertThat(m.orderingKey()).isEqualTo("k");
    }

    @Test
    void onlySnakeCaseFieldsAreEnough() {
        PubSubMessage m = message(utf8("{\"message\": {\"data\": \"\", \"message_id\": \"7\","
                + " \"publish_time\": \"2025-01-02T03:04:05Z\", \"ordering_key\": \"o\"}}"));
        assertThat(m.messageId()).isEqualTo("7");
        assertThat(m.publishTime()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
        assertThat(m.orderingKey()).isEqualTo("o");
    }

    @Test
    void camelCaseWinsOverItsTwin() {
        PubSubMessage m = message(utf8("{\"message\": {\"messageId\": \"camel\", \"message_id\": \"snake\","
                + " \"publishTime\": \"2025-01-01T00:00:00Z\", \"publish_time\": \"2024-01-01T00:00:00Z\"}}"));
        assertThat(m.messageId()).isEqualTo("camel");
        assertThat(m.publishTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void aNullFieldGivesWayToItsTwin() {
        PubSubMessage m = message(utf8("{\"message\": {\"messageId\": null, \"message_id\": \"8\","
                + " \"publishTime\": null, \"publish_time\": \"2025-01-01T00:00:00Z\"}}"));
        assertThat(m.messageId()).isEqualTo("8");
        assertThat(m.publishTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void publishTimeWithAnOffsetIsAnInstant() {
        PubSubMessage m = message(utf8("{\"message\": {\"publishTime\": \"2025-01-01T02:00:00+02:00\"}}"));
        assertThat(m.publishTime()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    void noDataFieldMeansEmptyData() {
        PubSubMessage m = message(utf8("{\"message\": {\"messageId\": \"1\"}}"));
        assertThat(m.data()).isEmpty();
        assertThat(m.attributes()).isEmpty();
        assertThat(m.publishTime()).isNull();
        assertThat(m.orderingKey()).isNull();
        assertThat(message(utf8("{\"message\": {\"data\": null, \"attributes\": null}}")).data()).isEmpty();
    }

    @Test
    void missingMessageIdIsNull() {
        assertThat(message(utf8("{\"message\": {}}")).messageId()).isNull();
    }

    @Test
    void numericIdAndAttributeValuesReadAsText() {
        PubSubMessage m = message(utf8("{\"message\": {\"messageId\": 123, \"attributes\": {\"n\": 3, \"gone\": null}}}"));
        assertThat(m.messageId()).isEqualTo("123");
        assertThat(m.attributes()).containsExactly(Map.entry("n", "3"));
    }

    @ParameterizedTest
    @CsvSource({"+/+/, fbffbf", "+/+/+w, fbffbffb", "+/+/+w==, fbffbffb", "-_-_, fbffbf", "-_-_-w, fbffbffb",
            "-_-_-w==, fbffbffb", "'+/+/\\n+w==', fbffbffb"})
    void standardAndUrlSafeWithOrWithoutPadding(String encoded, String hex) {
        byte[] data = message(utf8("{\"message\": {\"data\": \"" + encoded + "\"}}")).data();
        assertThat(HexFormat.of().formatHex(data)).isEqualTo(hex);
    }

    @Test
    void base64ThatIsNotIsMalformedWithTheMessageId() {
        Decoded.Malformed m = malformed("{\"message\": {\"data\": \"aGVsbG8!\", \"messageId\": \"99\"}}");
        assertThat(m.reason()).isEqualTo("message.data: not base64: illegal character '!' at index 7");
        assertThat(m.messageId()).isEqualTo("99");
    }

    @Test
    void base64ProblemsAreNamed() {
        assertThat(malformed("{\"message\": {\"data\": \"aGVsb\"}}").reason())
                .startsWith("message.data: not base64: ").contains("dangling");
        assertThat(malformed("{\"message\": {\"data\": \"a+b_\"}}").reason())
                .isEqualTo("message.data: not base64: mixes the standard (+/) and URL-safe (-_) alphabets");
        assertThat(malformed("{\"message\": {\"data\": \"aGk===\"}}").reason())
                .isEqualTo("message.data: not base64: more than two '=' of padding");
        assertThat(malformed("{\"message\": {\"data\": \"aGk=a\"}}").reason())
                .isEqualTo("message.data: not base64: illegal character '=' at index 3");
        assertThat(malformed("{\"message\": {\"data\": \"aGVsbG8==\"}}").reason())
                .isEqualTo("message.data: not base64: padding does not complete a 4-character group");
        assertThat(malformed("{\"message\": {\"data\": \"aGVs\\u00e9\"}}").reason())
                .isEqualTo("message.data: not base64: illegal character U+00E9 at index 4");
    }

    @Test
    void notJson() {
        Decoded.Malformed m = malformed("this is not json");
        assertThat(m.reason()).startsWith("event data: not JSON: ");
        assertThat(m.messageId()).isNull();
        assertThat(malformed("{\"message\": {}} trailing").reason()).startsWith("event data: not JSON");
        assertThat(malformed("{message: {}}").reason()).startsWith("event data: not JSON");
    }

    @Test
    void emptyOrNullInput() {
        assertThat(PubSubEnvelope.decode(null)).isEqualTo(new Decoded.Malformed("event data: empty data", null));
        assertThat(PubSubEnvelope.decode(new byte[0])).isEqualTo(new Decoded.Malformed("event data: empty data", null));
    }

    @Test
    void wrongShapes() {
        assertThat(malformed("[1, 2]").reason()).isEqualTo("event data: not a JSON object but an array");
        assertThat(malformed("\"message\"").reason()).isEqualTo("event data: not a JSON object but a string");
        assertThat(malformed("{\"subscription\": \"s\"}").reason())
                .isEqualTo("event data: \"message\" must be an object, got null (not a Pub/Sub messagePublished event?)");
        assertThat(malformed("{\"message\": \"x\"}").reason()).contains("got a string");
        assertThat(malformed("{\"message\": {\"data\": 12, \"messageId\": \"5\"}}"))
                .isEqualTo(new Decoded.Malformed("message.data: expected a base64 string, got a number", "5"));
        assertThat(malformed("{\"message\": {\"attributes\": [\"a\"]}}").reason())
                .isEqualTo("message.attributes: expected an object, got an array");
        assertThat(malformed("{\"message\": {\"attributes\": {\"k\": {\"x\": 1}}}}").reason())
                .isEqualTo("message.attributes.k: expected a string, got an object");
        assertThat(malformed("{\"message\": {\"publishTime\": 1700000000}}").reason())
                .isEqualTo("message.publishTime: expected an RFC 3339 string, got a number");
        assertThat(malformed("{\"message\": {\"publish_time\": \"yesterday\"}}").reason())
                .isEqualTo("message.publishTime: not an RFC 3339 instant: yesterday");
    }

    @Test
    void deeplyNestedJsonIsMalformedNotAStackOverflow() {
        String deep = "{\"message\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThat(malformed(deep).reason()).startsWith("event data: not JSON: ");
    }

    @Test
    void hugePayloadDecodes() {
        byte[] payload = new byte[8 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        String envelope = "{\"message\": {\"data\": \"" + Base64.getEncoder().encodeToString(payload) + "\"}}";
        assertThat(message(envelope.getBytes(StandardCharsets.US_ASCII)).data()).isEqualTo(payload);
    }

    @Test
    void reasonsQuoteAtMostALineOfInput() {
        String reason = malformed("{\"message\": {\"publishTime\": \"" + "x".repeat(10_000) + "\"}}").reason();
        assertThat(reason.length()).isLessThan(200);
    }

    @Test
    void messageIsAValue() {
        PubSubMessage a = message(Fixtures.bytes("pubsub-push-envelope.json"));
        PubSubMessage b = message(Fixtures.bytes("pubsub-push-envelope.json"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).contains("11937923014531237").contains(a.data().length + " bytes")
                .doesNotContain("orders-api");
        a.data()[0] = 0;
        assertThat(a).isEqualTo(b);
    }
}
