package dev.connectorgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gate simulate} in process: the seed's bars under each strategy, the JSON lines, and usage errors. */
class SimulateCommandTest {
    private static final Path SURGE = testEvents().resolve("staging-surge");

    /** What one run of the command line printed and returned. */
    private record Run(int status, String out, String err) {
        List<JsonObject> jsonLines() {
            List<JsonObject> objects = new ArrayList<>();
            for (String line : out.split("\n")) {
                objects.add(JsonParser.parseString(line).getAsJsonObject());
            }
            return objects;
        }
    }

    private static Run gate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GateCli.run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static JsonObject strategy(List<JsonObject> lines, String name) {
        return lines.stream().filter(o -> o.get("strategy").getAsString().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void onTheSeedTheGateMeetsTheBarsAndAllAtOnceDoesNot() {
        Run run = gate("simulate", SURGE.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("staging-7f3c: 12 services, 12 instances on staging-connector",
                "2 × e2-micro × 100 Mbps = 200 Mbps raw, baseline 20 Mbps", "all-at-once", "batches-25%",
                "STAGGER, 3 waves", "within 8 s (6 s nominal + 2 s grace)",
                "met by batches-25%, gate; missed by all-at-once");
        assertThat(run.out().lines().filter(l -> l.contains("meets the bars")).findFirst().orElseThrow())
                .matches("\\s*meets the bars\\s+no\\s+yes\\s+yes");
    }

    @Test
    void jsonHasOneObjectPerStrategyWithTheFiveFields() {
        Run run = gate("simulate", SURGE.toString(), "--json");

        assertThat(run.status()).isZero();
        List<JsonObject> lines = run.jsonLines();
        assertThat(lines).extracting(o -> o.get("strategy").getAsString())
                .containsExactly("all-at-once", "batches-25%", "gate");
        assertThat(lines).allSatisfy(o -> assertThat(o.keySet()).contains("strategy", "successRate",
                "p50StartupSeconds", "p95StartupSeconds", "makespanSeconds"));

        JsonObject all = strategy(lines, "all-at-once");
        JsonObject gate = strategy(lines, "gate");
        // All at once: 440 Mbps asked of a 200 Mbps link; only the 10 and 15 Mbps instances keep their rate.
        assertThat(all.get("successRate").getAsDouble()).isEqualTo(2.0 / 12);
        assertThat(all.get("p95StartupSeconds").getAsDouble()).isGreaterThan(8);
        assertThat(all.get("meetsBars").getAsBoolean()).isFalse();
        // The gate's three 140 Mbps waves leave the link uncongested: every startup takes its nominal 6 s.
        assertThat(gate.get("verdict").getAsString()).isEqualTo("STAGGER");
        assertThat(gate.get("successRate").getAsDouble()).isEqualTo(1.0);
        assertThat(gate.get("p50StartupSeconds").getAsDouble()).isEqualTo(6.0);
        assertThat(gate.get("p95StartupSeconds").getAsDouble()).isEqualTo(6.0);
        assertThat(gate.get("makespanSeconds").getAsDouble()).isEqualTo(18.0);
        assertThat(gate.get("meetsBars").getAsBoolean()).isTrue();
    }

    @Test
    void aLargerGraceLetsAllAtOnceThrough() {
        // The slowest all-at-once startup takes 14.5 s: within 6 + 9 s, every startup succeeds.
        List<JsonObject> lines = gate("simulate", SURGE.toString(), "--json", "--grace", "9").jsonLines();

        assertThat(strategy(lines, "all-at-once").get("successRate").getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void aPlainRequestFileNeedsAnEnvironment(@TempDir Path dir) throws IOException {
        Path request = dir.resolve("request.json");
        Files.writeString(request, "{\"requestId\": \"r1\", \"connector\": "
                + "\"projects/netra-staging/locations/us-central1/connectors/staging-connector\", "
                + "\"services\": [{\"name\": \"api\", \"instances\": 8, \"startupMbps\": 40, \"startupSeconds\": 6}]}");

        Run without = gate("simulate", request.toString());
        Run with = gate("simulate", request.toString(), "--env", SURGE.resolve("environment.json").toString(),
                "--json");

        assertThat(without.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(without.err()).startsWith("gate: simulating a request file needs --env FILE");
        assertThat(with.status()).isZero();
        assertThat(with.jsonLines()).hasSize(3).allSatisfy(o -> assertThat(o.get("requestId").getAsString())
                .isEqualTo("r1"));
    }

    @Test
    void aGateThatAdmitsNothingIsReportedAsNotAdmitted() {
        // bad-input's one valid request is for a connector in ERROR: the gate BLOCKs it.
        Run run = gate("simulate", testEvents().resolve("bad-input").toString(), "--json");

        JsonObject gate = strategy(run.jsonLines(), "gate");
        assertThat(gate.get("verdict").getAsString()).isEqualTo("BLOCK");
        assertThat(gate.get("admitted").getAsBoolean()).isFalse();
        assertThat(gate.get("successRate").isJsonNull()).isTrue();
        assertThat(run.err()).contains("01-data-not-json.json: not a valid DeploymentRequest");
    }

    @Test
    void usageErrorsSayWhatWasWrong() {
        assertThat(gate("simulate").err()).startsWith("gate: simulate takes one scenario folder or request file");
        assertThat(gate("simulate", "no/such/place").err()).startsWith("gate: no/such/place: no such scenario");
        Run badGrace = gate("simulate", SURGE.toString(), "--grace", "-1");
        assertThat(badGrace.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(badGrace.err()).startsWith("gate: --grace: must be a number of seconds 0..3600, got -1");
    }

    private static Path testEvents() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("test-events"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("test-events/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("test-events");
    }
}
