package dev.connectorgate.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.internal.LazilyParsedNumber;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestValidatorTest {
    private static final String CONNECTOR = "projects/netra-staging/locations/us-central1/connectors/staging-connector";

    /** Twelve services with a dependsOn graph, in the shape a release pipeline sends. */
    static final String RELEASE_REQUEST = """
            {
              "requestId": "4f9c2d1e-7b3a-4c8e-9d2f-1a6b5c3e8f70",
              "connector": "projects/netra-staging/locations/us-central1/connectors/staging-connector",
              "deadlineSeconds": 900,
              "services": [
                {"name": "config", "instances": 2, "startupMbps": 20, "startupSeconds": 5},
                {"name": "auth", "instances": 3, "dependsOn": ["config"]},
                {"name": "users", "instances": 4, "startupMbps": 35.5, "dependsOn": ["auth"]},
                {"name": "catalog", "instances": 6, "startupMbps": 40, "startupSeconds": 12},
                {"name": "search", "instances": 4, "startupMbps": 60, "startupSeconds": 20, "dependsOn": ["catalog"]},
                {"name": "inventory", "instances": 3, "dependsOn": ["catalog"]},
                {"name": "cart", "instances": 4, "dependsOn": ["users", "inventory"]},
                {"name": "payments", "instances": 2, "startupMbps": 25, "dependsOn": ["auth"]},
                {"name": "orders", "instances": 5, "dependsOn": ["cart", "payments"]},
                {"name": "notifications", "instances": 2, "startupSeconds": 6, "dependsOn": ["orders"]},
                {"name": "reporting-worker", "instances": 1, "startupMbps": 80, "startupSeconds": 30},
                {"name": "gateway", "instances": 8, "startupMbps": 15, "dependsOn": ["users", "search", "orders"]}
              ]
            }
            """;

    private static JsonObject base() {
        return JsonParser.parseString("""
                {
                  "requestId": "build-1",
                  "connector": "%s",
                  "services": [
                    {"name": "api", "instances": 3, "dependsOn": ["db"]},
                    {"name": "worker", "instances": 2},
                    {"name": "db", "instances": 1, "startupMbps": 50, "startupSeconds": 10}
                  ]
                }
                """.formatted(CONNECTOR)).getAsJsonObject();
    }

    private static JsonObject service(JsonObject request, int i) {
        return request.getAsJsonArray("services").get(i).getAsJsonObject();
    }

    private static JsonPrimitive number(String literal) {
        return new JsonPrimitive(new LazilyParsedNumber(literal));
    }

    private static JsonArray strings(String... values) {
        JsonArray array = new JsonArray();
        for (String value : values) {
            array.add(value);
        }
        return array;
    }

    private static Validation validate(JsonObject request) {
        return RequestValidator.validate(request.toString(), Policy.DEFAULT);
    }

    private static List<String> problems(Validation validation) {
        assertThat(validation).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) validation).problems();
    }

    private static DeploymentRequest request(Validation validation) {
        assertThat(validation).isInstanceOf(Validation.Valid.class);
        return ((Validation.Valid) validation).request();
    }

    private static Arguments rule(String expected, Consumer<JsonObject> change) {
        return Arguments.of(expected, change);
    }

    static Stream<Arguments> oneProblemEach() {
        String id = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
        return Stream.of(
                rule("requestId: required, got nothing", r -> r.remove("requestId")),
                rule("requestId: required, got null", r -> r.add("requestId", JsonNull.INSTANCE)),
                rule("requestId: must be a string matching " + id + ", got 42", r -> r.addProperty("requestId", 42)),
                rule("requestId: must match " + id + ", got \"-leading-dash\"",
                        r -> r.addProperty("requestId", "-leading-dash")),
                rule("requestId: must match " + id + ", got \"" + "x".repeat(40) + "…\"",
                        r -> r.addProperty("requestId", "x".repeat(129))),
                rule("buildId: must match " + id + ", got \"builds/7\"", r -> r.addProperty("buildId", "builds/7")),
                rule("connector: required, got nothing", r -> r.remove("connector")),
                rule("connector: must be a string projects/PROJECT/locations/REGION/connectors/NAME, got [\"a\"]",
                        r -> r.add("connector", strings("a"))),
                rule("connector: must be projects/PROJECT/locations/REGION/connectors/NAME, got \"staging-connector\"",
                        r -> r.addProperty("connector", "staging-connector")),
                rule("connector: project must be a project id, optionally domain-scoped (example.com:my-project), "
                                + "got \"123456789\"",
                        r -> r.addProperty("connector", "projects/123456789/locations/us-central1/connectors/c1")),
                rule("connector: location must be a region such as us-central1, got \"us-central1-a\"",
                        r -> r.addProperty("connector", "projects/netra-staging/locations/us-central1-a/connectors/c1")),
                rule("connector: connector id must match [a-z][-a-z0-9]{0,23}[a-z0-9] (at most 25 characters), "
                                + "got \"" + "c".repeat(26) + "\"",
                        r -> r.addProperty("connector",
                                "projects/netra-staging/locations/us-central1/connectors/" + "c".repeat(26))),
                rule("deadlineSeconds: must be 1..86400, got 0", r -> r.addProperty("deadlineSeconds", 0)),
                rule("deadlineSeconds: must be 1..86400, got 86401", r -> r.addProperty("deadlineSeconds", 86401)),
                rule("deadlineSeconds: must be an integer 1..86400, got 1800.5",
                        r -> r.add("deadlineSeconds", number("1800.5"))),
                rule("deadlineSeconds: must be an integer 1..86400, got \"1800\"",
                        r -> r.addProperty("deadlineSeconds", "1800")),
                rule("deadlineSeconds: must be 1..86400, got 1e300", r -> r.add("deadlineSeconds", number("1e300"))),
                rule("deadlineSeconds: must be 1..86400, got 1e99999999999",
                        r -> r.add("deadlineSeconds", number("1e99999999999"))),
                rule("deadlineSeconds: must be an integer 1..86400 written in at most 100 characters, got 1800."
                                + "0".repeat(35) + "…",
                        r -> r.add("deadlineSeconds", number("1800." + "0".repeat(200)))),
                rule("services: required, got nothing", r -> r.remove("services")),
                rule("services: must be an array of 1..500 services, got {\"name\":\"api\"}",
                        r -> r.add("services", JsonParser.parseString("{\"name\":\"api\"}"))),
                rule("services: must have 1..500 entries, got 0", r -> r.add("services", new JsonArray())),
                rule("services[1]: must be an object, got \"worker\"",
                        r -> r.getAsJsonArray("services").set(1, new JsonPrimitive("worker"))),
                rule("services[1].name: required, got nothing", r -> service(r, 1).remove("name")),
                rule("services[1].name: must match [a-z]([-a-z0-9]{0,47}[a-z0-9])?, got \"Worker\"",
                        r -> service(r, 1).addProperty("name", "Worker")),
                rule("services[1].name: must be unique in the request, got \"api\" already used by services[0]",
                        r -> service(r, 1).addProperty("name", "api")),
                rule("services[1].instances: required, got nothing", r -> service(r, 1).remove("instances")),
                rule("services[1].instances: must be 1..1000, got 0", r -> service(r, 1).addProperty("instances", 0)),
                rule("services[1].instances: must be 1..1000, got -0", r -> service(r, 1).add("instances", number("-0"))),
                rule("services[1].instances: must be 1..1000, got 1001",
                        r -> service(r, 1).addProperty("instances", 1001)),
                rule("services[1].instances: must be an integer 1..1000, got 2.5",
                        r -> service(r, 1).add("instances", number("2.5"))),
                rule("services[1].instances: must be an integer 1..1000, got \"three\"",
                        r -> service(r, 1).addProperty("instances", "three")),
                rule("services[1].startupMbps: must be 0 < x <= 100000, got 0",
                        r -> service(r, 1).addProperty("startupMbps", 0)),
                rule("services[1].startupMbps: must be 0 < x <= 100000, got -0.0",
                        r -> service(r, 1).add("startupMbps", number("-0.0"))),
                rule("services[1].startupMbps: must be 0 < x <= 100000, got 100000.5",
                        r -> service(r, 1).add("startupMbps", number("100000.5"))),
                rule("services[1].startupMbps: must be 0 < x <= 100000, got 1e-400",
                        r -> service(r, 1).add("startupMbps", number("1e-400"))),
                rule("services[1].startupMbps: must be a number 0 < x <= 100000, got true",
                        r -> service(r, 1).addProperty("startupMbps", true)),
                rule("services[1].startupSeconds: must be 0 < x <= 3600, got 3601",
                        r -> service(r, 1).addProperty("startupSeconds", 3601)),
                rule("services[1].startupSeconds: must be a number 0 < x <= 3600, got {}",
                        r -> service(r, 1).add("startupSeconds", new JsonObject())),
                rule("services[1].dependsOn: must be an array of service names, got \"db\"",
                        r -> service(r, 1).addProperty("dependsOn", "db")),
                rule("services[1].dependsOn[1]: must be a service name, got 2",
                        r -> service(r, 1).add("dependsOn", JsonParser.parseString("[\"db\", 2]"))),
                rule("services[1].dependsOn[0]: must name a service of this request, got \"cache\"",
                        r -> service(r, 1).add("dependsOn", strings("cache"))),
                rule("services[1].dependsOn[0]: must name a service other than itself, got \"worker\"",
                        r -> service(r, 1).add("dependsOn", strings("worker"))),
                rule("services: dependsOn cycle api → db → api", r -> service(r, 2).add("dependsOn", strings("api"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneProblemEach")
    void shouldNameExactlyTheBrokenRuleWhenOneFieldIsWrong(String expected, Consumer<JsonObject> change) {
        JsonObject request = base();
        change.accept(request);

        assertThat(problems(validate(request))).containsExactly(expected);
    }

    @Test
    void shouldAcceptTheSeedRequestOfTheStagingSurgeScenario() throws IOException {
        // The scenario folders are the project's shared fixtures; this is the request that event carries.
        Path event = Path.of("..", "test-events", "staging-surge", "01-staging-rollout.json");
        String data = JsonParser.parseString(Files.readString(event)).getAsJsonObject()
                .getAsJsonObject("data").getAsJsonObject("message").get("data").getAsString();

        DeploymentRequest request = request(RequestValidator.validate(Base64.getDecoder().decode(data), Policy.DEFAULT));

        assertThat(request.requestId()).isEqualTo("staging-7f3c");
        assertThat(request.buildId()).isEqualTo("7f3c2a10-5b1e-4c8e-9d2a-3e4f5a6b7c8d");
        assertThat(request.services()).hasSize(12);
        assertThat(request.services().get(0)).isEqualTo(ServiceSpec.of("api-gateway", 1, 60, 6));
    }

    @Test
    void shouldAcceptAReleaseOfTwelveDependentServices() {
        DeploymentRequest request = request(RequestValidator.validate(RELEASE_REQUEST, Policy.DEFAULT));

        assertThat(request.services()).hasSize(12);
        assertThat(request.deadlineSeconds()).isEqualTo(900);
        assertThat(request.services().get(11))
                .isEqualTo(ServiceSpec.of("gateway", 8, 15, 8, "users", "search", "orders"));
    }

    @Test
    void shouldFillDefaultsWhenOptionalFieldsAreAbsentOrNull() {
        JsonObject json = base();
        json.add("buildId", JsonNull.INSTANCE);
        service(json, 1).add("startupMbps", JsonNull.INSTANCE);
        service(json, 1).add("dependsOn", JsonNull.INSTANCE);
        Policy policy = Policy.DEFAULT.withDefaults(12.5, 4);

        DeploymentRequest request = request(RequestValidator.validate(json.toString(), policy));

        assertThat(request.buildId()).isEqualTo("build-1");
        assertThat(request.deadlineSeconds()).isEqualTo(1800);
        assertThat(request.services()).containsExactly(
                ServiceSpec.of("api", 3, 12.5, 4, "db"),
                ServiceSpec.of("worker", 2, 12.5, 4),
                ServiceSpec.of("db", 1, 50, 10));
    }

    @Test
    void shouldAcceptIntegersWrittenWithAFractionAndIgnoreUnknownFields() {
        JsonObject json = base();
        json.add("deadlineSeconds", number("1800.0"));
        json.addProperty("buildId", "b.7_x-1");
        json.add("labels", JsonParser.parseString("{\"team\": [1, {\"deep\": null}]}"));
        service(json, 0).add("instances", number("3.000"));
        service(json, 0).add("startupMbps", number("2.5e1"));

        DeploymentRequest request = request(validate(json));

        assertThat(request.deadlineSeconds()).isEqualTo(1800);
        assertThat(request.buildId()).isEqualTo("b.7_x-1");
        assertThat(request.services().get(0)).isEqualTo(ServiceSpec.of("api", 3, 25, 8, "db"));
    }

    @Test
    void shouldNameEveryProblemInContractOrderWhenSeveralAreWrong() {
        JsonObject json = base();
        service(json, 2).addProperty("instances", 0);
        json.addProperty("requestId", "");
        service(json, 0).addProperty("name", "API");
        json.addProperty("deadlineSeconds", "soon");
        service(json, 1).add("dependsOn", strings("ghost"));

        assertThat(problems(validate(json))).containsExactly(
                "requestId: must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}, got \"\"",
                "deadlineSeconds: must be an integer 1..86400, got \"soon\"",
                "services[0].name: must match [a-z]([-a-z0-9]{0,47}[a-z0-9])?, got \"API\"",
                "services[1].dependsOn[0]: must name a service of this request, got \"ghost\"",
                "services[2].instances: must be 1..1000, got 0");
    }

    @Test
    void shouldEchoWhatCouldBeReadWhenTheRequestIsInvalid() {
        JsonObject json = base();
        json.addProperty("buildId", "b-9");
        service(json, 0).remove("instances");

        assertThat(validate(json)).isEqualTo(new Validation.Invalid("build-1", "b-9", CONNECTOR,
                List.of("services[0].instances: required, got nothing")));
    }

    @Test
    void shouldEchoNullForFieldsThatCannotBeReadAndDefaultBuildIdToRequestId() {
        JsonObject json = base();
        json.addProperty("connector", "nowhere");
        service(json, 0).remove("instances");

        Validation.Invalid invalid = (Validation.Invalid) validate(json);
        assertThat(invalid.requestId()).isEqualTo("build-1");
        assertThat(invalid.buildId()).isEqualTo("build-1");
        assertThat(invalid.connector()).isNull();

        json.remove("requestId");
        assertThat((Validation.Invalid) validate(json))
                .extracting(Validation.Invalid::requestId, Validation.Invalid::buildId)
                .containsExactly(null, null);
    }

    @Test
    void shouldReportACycleOnceWalkingItsMembersInDependencyOrder() {
        JsonObject json = JsonParser.parseString("""
                {"requestId": "r", "connector": "%s", "services": [
                  {"name": "edge", "instances": 1, "dependsOn": ["api"]},
                  {"instances": 1, "dependsOn": ["api"]},
                  {"name": "api", "instances": 1, "dependsOn": ["queue"]},
                  {"name": "worker", "instances": 1, "dependsOn": ["api"]},
                  {"name": "queue", "instances": 1, "dependsOn": ["worker"]},
                  {"name": "a", "instances": 1, "dependsOn": ["b", "c"]},
                  {"name": "b", "instances": 1, "dependsOn": ["a"]},
                  {"name": "c", "instances": 1, "dependsOn": ["a"]}
                ]}
                """.formatted(CONNECTOR)).getAsJsonObject();

        assertThat(problems(validate(json))).containsExactly(
                "services[1].name: required, got nothing",
                "services: dependsOn cycle api → queue → worker → api",
                "services: dependsOn cycle a → b → a → c → a");
    }

    @Test
    void shouldRejectMoreThanFiveHundredServicesAndStillCheckEachOne() {
        JsonObject json = base();
        JsonArray services = new JsonArray();
        for (int i = 0; i < 501; i++) {
            services.add(JsonParser.parseString("{\"name\": \"s" + i + "\", \"instances\": 1}"));
        }
        services.get(500).getAsJsonObject().addProperty("instances", 0);
        json.add("services", services);

        assertThat(problems(validate(json))).containsExactly(
                "services: must have 1..500 entries, got 501",
                "services[500].instances: must be 1..1000, got 0");
    }

    @Test
    void shouldListAHundredProblemsAndCountTheRest() {
        JsonObject json = base();
        JsonArray services = new JsonArray();
        for (int i = 0; i < 600; i++) {
            services.add(i);
        }
        json.add("services", services);

        List<String> problems = problems(validate(json));

        assertThat(problems).hasSize(Problems.MAX_LISTED + 1);
        assertThat(problems.get(0)).isEqualTo("services: must have 1..500 entries, got 600");
        assertThat(problems.get(Problems.MAX_LISTED)).isEqualTo("… and 501 more problems");
    }

    @Test
    void shouldAcceptAPayloadOfExactlyOneMebibyteAndRejectOneByteMore() {
        JsonObject json = base();
        json.addProperty("padding", "");
        int padding = RequestValidator.MAX_PAYLOAD_BYTES - json.toString().getBytes(StandardCharsets.UTF_8).length;
        json.addProperty("padding", " ".repeat(padding));
        byte[] atLimit = json.toString().getBytes(StandardCharsets.UTF_8);
        json.addProperty("padding", " ".repeat(padding + 1));
        byte[] overLimit = json.toString().getBytes(StandardCharsets.UTF_8);

        assertThat(atLimit).hasSize(1_048_576);
        assertThat(RequestValidator.validate(atLimit, Policy.DEFAULT)).isInstanceOf(Validation.Valid.class);
        assertThat(RequestValidator.validate(overLimit, Policy.DEFAULT))
                .isEqualTo(new Validation.Invalid(null, null, null,
                        List.of("payload: must be at most 1048576 bytes (1 MiB), got 1048577 bytes")));
    }

    static Stream<Arguments> unparseable() {
        return Stream.of(
                Arguments.of("", "payload: must be a JSON object, got nothing"),
                Arguments.of("requestId=build-1", "payload: must be JSON, got malformed JSON at line 1 column 1"),
                Arguments.of("{\"requestId\": \"r\"", "payload: must be JSON, got malformed JSON at line 1 column 18"),
                Arguments.of("{\"deadlineSeconds\": NaN}", "payload: must be JSON, got malformed JSON at line 1 column 21"),
                Arguments.of("{'requestId': 'r'}", "payload: must be JSON, got malformed JSON at line 1 column 3"),
                Arguments.of("{} {}", "payload: must be JSON, got malformed JSON at line 1 column 5"),
                Arguments.of("[" + "[".repeat(300) + "]".repeat(300) + "]",
                        "payload: must be JSON, got nesting deeper than gson's limit of 255 at line 1 column 257"),
                Arguments.of("[{\"requestId\": \"r\"}]", "payload: must be a JSON object, got [{\"requestId\":\"r\"}]"),
                Arguments.of("null", "payload: must be a JSON object, got null"),
                Arguments.of("\"a string\"", "payload: must be a JSON object, got \"a string\""));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unparseable")
    void shouldGiveOneProblemWhenThePayloadIsNotAJsonObject(String payload, String expected) {
        assertThat(RequestValidator.validate(payload, Policy.DEFAULT))
                .isEqualTo(new Validation.Invalid(null, null, null, List.of(expected)));
    }

    @Test
    void shouldRejectBytesThatAreNotUtf8() {
        byte[] payload = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};

        assertThat(problems(RequestValidator.validate(payload, Policy.DEFAULT)))
                .containsExactly("payload: must be UTF-8, got an invalid byte sequence at byte 6");
    }

    @Test
    void shouldIgnoreAByteOrderMark() {
        assertThat(RequestValidator.validate("\uFEFF" + RELEASE_REQUEST, Policy.DEFAULT))
                .isInstanceOf(Validation.Valid.class);
    }

    // Properties: whatever arrives, the validator answers with a Validation, and an Invalid always says why. Cases
    // come from fixed seeds, so a failure names the seed that reproduces it.

    private static final List<String> NAMES = List.of("api", "db", "worker", "build-1", "", CONNECTOR);
    private static final List<String> NUMBERS = List.of("0", "-0", "1", "2.0", "1800.5", "86400", "100000", "3601",
            "1e300", "-1e300", "1e-400", "1e99999999999", "1E-99999999999", "0.000001");
    private static final List<String> TREE_KEYS = List.of("name", "instances", "dependsOn", "requestId", "x");
    private static final List<String> SERVICE_KEYS =
            List.of("name", "instances", "startupMbps", "startupSeconds", "dependsOn", "extra");
    private static final List<String> REQUEST_KEYS =
            List.of("requestId", "buildId", "connector", "deadlineSeconds", "services", "extra");
    private static final byte[] EDGE_BYTES = {0, 1, -1, 0x7F, (byte) 0x80, '{', '}', '[', ']', '"', ':', ',', '\\',
            (byte) 0xC3, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @Test
    void shouldAnswerEveryByteArray() {
        for (long seed = 1; seed <= 300; seed++) {
            byte[] payload = bytes(new SplittableRandom(seed), 400);
            assertAnswered("seed " + seed + ", payload (base64) " + Base64.getEncoder().encodeToString(payload),
                    () -> RequestValidator.validate(payload, Policy.DEFAULT));
        }
    }

    @Test
    void shouldAnswerAReleaseRequestWithAnyByteChanged() {
        byte[] release = RELEASE_REQUEST.getBytes(StandardCharsets.UTF_8);
        for (long seed = 1; seed <= 1000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int position = r.nextInt(release.length);
            byte value = (byte) r.nextInt(256);
            byte[] payload = release.clone();
            payload[position] = value;
            assertAnswered("seed " + seed + ", byte " + position + " set to " + value,
                    () -> RequestValidator.validate(payload, Policy.DEFAULT));
        }
    }

    @Test
    void shouldAnswerEveryJsonTree() {
        for (long seed = 1; seed <= 500; seed++) {
            String payload = tree(new SplittableRandom(seed), 3).toString();
            assertAnswered("seed " + seed + ", payload " + payload,
                    () -> RequestValidator.validate(payload, Policy.DEFAULT));
        }
    }

    @Test
    void shouldAnswerEveryRequestShapedTree() {
        for (long seed = 1; seed <= 500; seed++) {
            String payload = requestShaped(new SplittableRandom(seed)).toString();
            assertAnswered("seed " + seed + ", payload " + payload,
                    () -> RequestValidator.validate(payload, Policy.DEFAULT));
        }
    }

    // Throwing is a failure of the property too, so it names the seed like any other.
    private static void assertAnswered(String where, Supplier<Validation> validate) {
        Validation validation;
        try {
            validation = validate.get();
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(where + ": threw " + e, e);
        }
        if (validation instanceof Validation.Invalid invalid) {
            assertThat(invalid.problems()).as(where).isNotEmpty().allSatisfy(
                    problem -> assertThat(problem).matches("(?s)(\\S+: |… and \\d+ more problems$).*"));
        } else {
            assertThat(((Validation.Valid) validation).request().services()).as(where).isNotEmpty();
        }
    }

    // Up to max bytes, a tenth of arrays tiny; a quarter of the bytes are UTF-8 and JSON edge values.
    private static byte[] bytes(SplittableRandom r, int max) {
        byte[] out = new byte[r.nextInt(10) == 0 ? r.nextInt(4) : r.nextInt(max + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextInt(4) == 0 ? EDGE_BYTES[r.nextInt(EDGE_BYTES.length)] : (byte) r.nextInt(256);
        }
        return out;
    }

    private static JsonElement requestShaped(SplittableRandom r) {
        return object(r, REQUEST_KEYS, () -> r.nextBoolean()
                ? tree(r, 1)
                : array(r, 6, () -> object(r, SERVICE_KEYS, () -> tree(r, 2))));
    }

    // Leaves three times in six, arrays once, objects twice.
    private static JsonElement tree(SplittableRandom r, int depth) {
        int pick = depth == 0 ? 0 : r.nextInt(6);
        if (pick < 3) {
            return leaf(r);
        }
        return pick == 3 ? array(r, 4, () -> tree(r, depth - 1)) : object(r, TREE_KEYS, () -> tree(r, depth - 1));
    }

    // Leaves lean towards the contract's edges (names that can form dependsOn cycles, numbers at and past bounds).
    private static JsonElement leaf(SplittableRandom r) {
        return switch (r.nextInt(5)) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> new JsonPrimitive(r.nextBoolean());
            case 2 -> new JsonPrimitive(string(r, 60));
            case 3 -> new JsonPrimitive(NAMES.get(r.nextInt(NAMES.size())));
            default -> number(NUMBERS.get(r.nextInt(NUMBERS.size())));
        };
    }

    // Printable ASCII, what JSON must escape, and any UTF-16 unit (lone surrogates included).
    private static String string(SplittableRandom r, int maxLength) {
        String awkward = "\"\\/\u0000\n\t\u007F\u2028\uFEFF";
        StringBuilder out = new StringBuilder();
        for (int i = r.nextInt(maxLength + 1); i > 0; i--) {
            switch (r.nextInt(4)) {
                case 0, 1 -> out.append((char) r.nextInt(0x20, 0x7F));
                case 2 -> out.append(awkward.charAt(r.nextInt(awkward.length())));
                default -> out.append((char) r.nextInt(0x10000));
            }
        }
        return out.toString();
    }

    private static JsonArray array(SplittableRandom r, int maxSize, Supplier<JsonElement> elements) {
        JsonArray array = new JsonArray();
        for (int i = r.nextInt(maxSize + 1); i > 0; i--) {
            array.add(elements.get());
        }
        return array;
    }

    // Some of the keys, each at most once, in a random order.
    private static JsonObject object(SplittableRandom r, List<String> keys, Supplier<JsonElement> values) {
        List<String> shuffled = new ArrayList<>(keys);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            Collections.swap(shuffled, i, r.nextInt(i + 1));
        }
        JsonObject object = new JsonObject();
        for (String key : shuffled.subList(0, r.nextInt(keys.size() + 1))) {
            object.add(key, values.get());
        }
        return object;
    }
}
