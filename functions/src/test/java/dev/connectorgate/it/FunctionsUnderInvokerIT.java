package dev.connectorgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connectorgate.functions.AlertFunction;
import dev.connectorgate.functions.BuildEventFunction;
import dev.connectorgate.functions.DeploymentRequestFunction;
import dev.connectorgate.functions.TickFunction;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployed jar's functions under the real Functions Framework invoker: Pub/Sub messages arrive as binary-mode
 * CloudEvents over HTTP, every one is acknowledged (bad input included), and the decisions the embedded default
 * publishes are the ones the scenario folders expect.
 */
class FunctionsUnderInvokerIT {
    private static final String STAGING_REQUEST_ID = "staging-7f3c";

    /** Requests: decided and published, bad ones answered rather than failed, redeliveries answered the same. */
    @Nested
    class DeploymentRequests extends FunctionUnderInvoker {
        DeploymentRequests() {
            super(DeploymentRequestFunction.class);
        }

        @Test
        void badInputEnvironmentServesTheStagingConnectorExactlyAsStagingSurgeDoes() {
            // The staging cases below run on this invoker's bad-input environment (one start per function): they
            // mean what staging-surge means only while both files describe the same connector.
            assertThat(connector(scenario("bad-input", "environment.json"), "staging-connector"))
                    .isEqualTo(connector(scenario("staging-surge", "environment.json"), "staging-connector"));
        }

        @Test
        void stagingSurgeIsOneStaggerInThreeWaves() {
            List<JsonObject> decisions = parse(acknowledged(event("staging-surge", "01-staging-rollout.json")));

            assertThat(decisions).hasSize(1);
            JsonObject decision = decisions.get(0);
            assertThat(decision.get("requestId").getAsString()).isEqualTo(STAGING_REQUEST_ID);
            assertThat(decision.get("verdict").getAsString()).isEqualTo("STAGGER");
            assertThat(decision.getAsJsonArray("waves")).hasSize(3);
        }

        @Test
        void badInputRequestsAreAnsweredInOrderAndNeverFailTheDelivery() {
            // 05 is the 2 MiB payload: the invoker must take it so that the gate can answer it with a REJECT.
            List<JsonObject> decisions = parse(acknowledged(
                    event("bad-input", "01-data-not-json.json"),
                    event("bad-input", "02-data-not-base64.json"),
                    event("bad-input", "03-five-errors.json"),
                    event("bad-input", "04-unknown-connector.json"),
                    event("bad-input", "05-two-mib-payload.json"),
                    event("bad-input", "06-connector-in-error.json")));

            assertThat(decisions).extracting(d -> d.get("verdict").getAsString())
                    .containsExactly("REJECT", "REJECT", "REJECT", "BLOCK", "REJECT", "BLOCK");
            List<JsonObject> expected = expectedDecisions("bad-input");
            assertThat(decisions).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertMatchesExpectation(decisions.get(i), expected.get(i), i);
            }
        }

        @Test
        void theSameMessageDeliveredTwiceIsAnsweredWithTheSameDecision() {
            EventFile staging = event("staging-surge", "01-staging-rollout.json");

            List<String> lines = acknowledged(staging, staging);

            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).isEqualTo(lines.get(0));
            assertThat(parse(lines.get(0)).get("verdict").getAsString()).isEqualTo("STAGGER");
        }

        @Test
        void logsAreJsonLinesWithASeverityThatNameTheVerdict() {
            acknowledged(event("staging-surge", "01-staging-rollout.json"));

            // The decision is on file before the response; the log line may reach the file a moment later.
            assertThat(awaitLogLine(this::namesStaggerWithSeverity, Duration.ofSeconds(5)))
                    .as("a JSON log line on stdout with a severity, naming STAGGER")
                    .isPresent();
        }

        private boolean namesStaggerWithSeverity(JsonObject line) {
            return line.has("severity") && !line.get("severity").getAsString().isBlank()
                    && (text(line, "verdict").equals("STAGGER") || text(line, "message").contains("STAGGER"));
        }
    }

    /** Monitoring alerts: acknowledged; one for a resource that is not a connector decides nothing. */
    @Nested
    class Alerts extends FunctionUnderInvoker {
        Alerts() {
            super(AlertFunction.class);
        }

        @Test
        void alertForAVmIsAcknowledgedWithoutADecision() {
            assertThat(acknowledged(event("bad-input", "07-alert-for-a-vm.json"))).isEmpty();
        }

        @Test
        void connectorIncidentOpeningAndClosingWithNothingQueuedDecidesNothing() {
            assertThat(acknowledged(event("incident-wait", "01-incident-opens.json"),
                    event("incident-wait", "04-incident-closes.json"))).isEmpty();
        }
    }

    /** Cloud Build notifications: acknowledged whether or not they name a build the gate knows. */
    @Nested
    class Builds extends FunctionUnderInvoker {
        Builds() {
            super(BuildEventFunction.class);
        }

        @Test
        void buildWithoutAnIdIsAcknowledgedWithoutADecision() {
            assertThat(acknowledged(event("bad-input", "08-build-without-id.json"))).isEmpty();
        }

        @Test
        void terminalBuildIsAcknowledged() {
            // This process holds no reservation for the build, so releasing it publishes nothing.
            assertThat(acknowledged(event("two-pipelines", "03-frontend-build-succeeds.json"))).isEmpty();
        }
    }

    /** Scheduler ticks: acknowledged whatever they carry. */
    @Nested
    class Ticks extends FunctionUnderInvoker {
        Ticks() {
            super(TickFunction.class);
        }

        @Test
        void tickWithNothingWaitingIsAcknowledgedWithoutADecision() {
            JsonObject message = new JsonObject();
            message.addProperty("data", "");
            message.addProperty("messageId", "tick-1");
            message.addProperty("publishTime", "2026-12-03T10:01:00Z");
            JsonObject data = new JsonObject();
            data.add("message", message);
            data.addProperty("subscription", "projects/netra-staging/subscriptions/gate-gate-ticks");

            int status = invoker.post("tick-1", "//pubsub.googleapis.com/projects/netra-staging/topics/gate-ticks",
                    "google.cloud.pubsub.topic.v1.messagePublished", "2026-12-03T10:01:00Z", data);

            assertThat(status).as("HTTP status of the tick").isBetween(200, 299);
            assertThat(invoker.decisionLines()).isEmpty();
        }
    }

    /**
     * One invoker per function class, started once and shared by that class's cases (a start costs seconds), on
     * the bad-input environment, stopped when the class is done.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class FunctionUnderInvoker {
        private final Class<?> target;
        InvokerProcess invoker;

        /** The invoker's output is the only clue to a 500 or a missing decision: print it with the failure. */
        @RegisterExtension
        final TestWatcher printInvokerOutputOnFailure = new TestWatcher() {
            @Override
            public void testFailed(ExtensionContext context, Throwable cause) {
                if (invoker != null) {
                    System.err.println(context.getDisplayName() + " failed;" + invoker.diagnostics());
                }
            }
        };

        FunctionUnderInvoker(Class<?> target) {
            this.target = target;
        }

        @BeforeAll
        void startInvoker(@TempDir Path work) throws IOException {
            invoker = InvokerProcess.start(target, scenario("bad-input", "environment.json"), work);
        }

        @AfterAll
        void stopInvoker() {
            if (invoker != null) {
                invoker.close();
            }
        }

        /** POSTs the events in order, asserting each is acknowledged; returns the decision lines they caused. */
        List<String> acknowledged(EventFile... events) {
            int before = invoker.decisionLines().size();
            for (EventFile event : events) {
                assertThat(invoker.post(event)).as("HTTP status of %s", event.path()).isBetween(200, 299);
            }
            List<String> all = invoker.decisionLines();
            return List.copyOf(all.subList(before, all.size()));
        }

        /** Polls the function's stdout for a JSON log line that matches, up to {@code timeout}. */
        Optional<JsonObject> awaitLogLine(Predicate<JsonObject> matches, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                Optional<JsonObject> found = invoker.stdoutLines().stream().map(FunctionsUnderInvokerIT::jsonObject)
                        .flatMap(Optional::stream).filter(matches).findFirst();
                if (found.isPresent()) {
                    return found;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            } while (System.nanoTime() < deadline);
            return Optional.empty();
        }
    }

    /** Checks one decision against its entry in a scenario's expected.json (requestId, reasons). */
    private static void assertMatchesExpectation(JsonObject decision, JsonObject expected, int index) {
        String where = "decision " + (index + 1) + ": " + decision;
        JsonElement requestId = expected.get("requestId");
        assertThat(decision.get("requestId")).as(where).isEqualTo(requestId);
        List<String> reasons = strings(decision.getAsJsonArray("reasons"));
        assertThat(reasons).as(where).isNotEmpty();
        if (expected.has("reasonsContain")) {
            for (String fragment : strings(expected.getAsJsonArray("reasonsContain"))) {
                assertThat(reasons).as(where).anySatisfy(reason -> assertThat(reason).contains(fragment));
            }
        }
        if (expected.has("reasonCount")) {
            assertThat(reasons).as(where).hasSize(expected.get("reasonCount").getAsInt());
        }
    }

    private static List<JsonObject> expectedDecisions(String folder) {
        List<JsonObject> expected = new ArrayList<>();
        EventFile.readJson(scenario(folder, "expected.json")).getAsJsonArray("decisions")
                .forEach(e -> expected.add(e.getAsJsonObject()));
        return expected;
    }

    private static JsonObject connector(Path environmentFile, String shortName) {
        return StreamSupport.stream(EventFile.readJson(environmentFile).getAsJsonArray("connectors").spliterator(),
                        false)
                .map(JsonElement::getAsJsonObject)
                .filter(c -> c.get("name").getAsString().endsWith("/connectors/" + shortName))
                .findFirst()
                .orElseThrow(() -> new AssertionError(environmentFile + " has no connector " + shortName));
    }

    private static EventFile event(String folder, String file) {
        return EventFile.read(scenario(folder, file));
    }

    private static Path scenario(String folder, String file) {
        return EventFile.scenario(folder, file);
    }

    private static List<JsonObject> parse(List<String> lines) {
        return lines.stream().map(FunctionsUnderInvokerIT::parse).toList();
    }

    private static JsonObject parse(String line) {
        return jsonObject(line).orElseThrow(() -> new AssertionError("not a JSON object: " + line));
    }

    /** A log line that is a JSON object, or empty: the invoker's own lines on the same stream are plain text. */
    private static Optional<JsonObject> jsonObject(String line) {
        try {
            JsonElement element = JsonParser.parseString(line);
            return element.isJsonObject() ? Optional.of(element.getAsJsonObject()) : Optional.empty();
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static String text(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || !value.isJsonPrimitive() ? "" : value.getAsString();
    }

    private static List<String> strings(Iterable<JsonElement> array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
