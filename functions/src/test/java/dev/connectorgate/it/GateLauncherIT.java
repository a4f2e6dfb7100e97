package dev.connectorgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./gate} launcher as a pipeline or a person runs it: the contract's exit statuses, {@code --json} output
 * that is exactly one GateDecision per line, the human summary and chart, and usage errors that say what was wrong.
 */
class GateLauncherIT {
    private static final String STAGING_ENV = "test-events/staging-surge/environment.json";
    private static final String AT = "2026-12-03T10:00:00Z";
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    static Path tmp;
    /** The DeploymentRequest inside staging-surge/01, as a pipeline step would hand it to {@code gate plan}. */
    private static JsonObject stagingRequest;
    private static Path stagingRequestFile;

    @BeforeAll
    static void writeStagingRequest() throws IOException {
        byte[] request = EventFile.read(EventFile.scenario("staging-surge", "01-staging-rollout.json")).messageData();
        stagingRequest = JsonParser.parseString(new String(request, StandardCharsets.UTF_8)).getAsJsonObject();
        stagingRequestFile = Files.write(tmp.resolve("staging-request.json"), request);
    }

    @Test
    void planJsonIsOneContractDecisionStaggeringTheStagingSurge() {
        Run run = gate("plan", "--env", STAGING_ENV, "--request", stagingRequestFile.toString(), "--at", AT, "--json");

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.stdoutLines()).as(run.describe()).hasSize(1);
        JsonObject decision = JsonParser.parseString(run.stdoutLines().get(0)).getAsJsonObject();
        for (String echoed : List.of("requestId", "buildId", "connector")) {
            assertThat(decision.get(echoed)).as(echoed).isEqualTo(stagingRequest.get(echoed));
        }
        assertThat(decision.get("verdict").getAsString()).isEqualTo("STAGGER");
        assertThat(decision.getAsJsonArray("reasons")).isNotEmpty();
        assertThat(decision.get("decidedAt").getAsString()).isEqualTo(AT);

        JsonObject capacity = decision.getAsJsonObject("capacity");
        assertThat(capacity.keySet()).contains("connectorMbps", "usableMbps", "baselineMbps", "reservedMbps",
                "headroomMbps");
        assertThat(capacity.get("headroomMbps").getAsDouble()).isEqualTo(140.0);

        assertWavesStartEveryRequestedInstanceInOrder(decision.getAsJsonArray("waves"));
        double makespan = decision.get("makespanSeconds").getAsDouble();
        double lowerBound = decision.get("lowerBoundSeconds").getAsDouble();
        assertThat(lowerBound).isPositive().isLessThanOrEqualTo(makespan);
        JsonArray remedies = decision.getAsJsonArray("remedies");
        assertThat(remedies).isNotEmpty()
                .allSatisfy(r -> assertThat(r.getAsJsonObject().get("kind").getAsString()).isNotBlank());
    }

    @Test
    void planWithoutJsonPrintsTheVerdictAndAChartWithAWaveLegend() {
        Run run = gate("plan", "--env", STAGING_ENV, "--request", stagingRequestFile.toString(), "--at", AT);

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.stdout()).contains("STAGGER", "wave 1");
    }

    @Test
    void planWritesAnSvgChart() throws IOException {
        Path svg = tmp.resolve("staging.svg");

        Run run = gate("plan", "--env", STAGING_ENV, "--request", stagingRequestFile.toString(), "--at", AT,
                "--svg", svg.toString());

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(svg).isRegularFile();
        assertThat(Files.readString(svg).stripLeading()).as(svg.toString()).satisfiesAnyOf(
                text -> assertThat(text).startsWith("<svg"), text -> assertThat(text).startsWith("<?xml"));
    }

    @Test
    void planOfAnInvalidRequestIsARejectWithExitFour() throws IOException {
        JsonObject invalid = stagingRequest.deepCopy();
        invalid.getAsJsonArray("services").get(0).getAsJsonObject().addProperty("instances", 0);

        Run run = planJson(requestFile("invalid-request.json", invalid));

        assertThat(run.exit()).as(run.describe()).isEqualTo(4);
        JsonObject decision = onlyDecision(run);
        assertThat(decision.get("verdict").getAsString()).isEqualTo("REJECT");
        assertThat(decision.getAsJsonArray("reasons").toString()).contains("services[0].instances");
    }

    @Test
    void planOnAnUnknownConnectorIsABlockWithExitThree() throws IOException {
        JsonObject unknown = stagingRequest.deepCopy();
        unknown.addProperty("connector", "projects/netra-staging/locations/us-central1/connectors/no-such-connector");

        Run run = planJson(requestFile("unknown-connector.json", unknown));

        assertThat(run.exit()).as(run.describe()).isEqualTo(3);
        assertThat(onlyDecision(run).get("verdict").getAsString()).isEqualTo("BLOCK");
    }

    @Test
    void planWithoutARequestIsAUsageError() {
        Run run = gate("plan", "--env", STAGING_ENV, "--at", AT, "--json");

        assertUsageError(run, "--request");
    }

    @Test
    void planOfARequestFileThatDoesNotExistIsAUsageErrorNamingIt() {
        String missing = tmp.resolve("no-such-request.json").toString();

        assertUsageError(gate("plan", "--env", STAGING_ENV, "--request", missing, "--json"), missing);
    }

    @Test
    void planOnAnEnvironmentFileThatIsNotJsonIsAUsageErrorNamingIt() throws IOException {
        Path notJson = Files.writeString(tmp.resolve("not-json-environment.json"), "connectors: [staging]\n");

        Run run = gate("plan", "--env", notJson.toString(), "--request", stagingRequestFile.toString(), "--json");

        assertUsageError(run, notJson.toString());
    }

    @Test
    void replayJsonOfBadInputIsSixDecisionLinesWithExitFour() {
        Run run = gate("replay", "test-events/bad-input", "--json");

        assertThat(run.exit()).as(run.describe()).isEqualTo(4);
        // Nothing but decisions on stdout: a pipeline reads it line by line.
        assertThat(run.stdoutLines()).as(run.describe()).hasSize(6).allSatisfy(line -> assertThat(
                JsonParser.parseString(line).getAsJsonObject().get("verdict").getAsString()).isNotBlank());
    }

    @Test
    void replayOfTheStagingSurgeShowsTheWaveLegend() {
        Run run = gate("replay", "test-events/staging-surge");

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.stdout()).contains("STAGGER", "wave 1");
    }

    @Test
    void replayOfAPathThatDoesNotExistIsAUsageError() {
        assertUsageError(gate("replay", "test-events/no-such-scenario"), "test-events/no-such-scenario");
    }

    /** Ascending offsets, {name, instances} entries, and per service exactly the instances the request asked for. */
    private static void assertWavesStartEveryRequestedInstanceInOrder(JsonArray waves) {
        assertThat(waves).isNotEmpty();
        List<Double> offsets = new ArrayList<>();
        Map<String, Integer> planned = new HashMap<>();
        for (JsonElement w : waves) {
            JsonObject wave = w.getAsJsonObject();
            offsets.add(wave.get("startOffsetSeconds").getAsDouble());
            for (JsonElement s : wave.getAsJsonArray("services")) {
                JsonObject service = s.getAsJsonObject();
                assertThat(service.keySet()).contains("name", "instances");
                planned.merge(service.get("name").getAsString(), service.get("instances").getAsInt(), Integer::sum);
            }
        }
        assertThat(offsets).isSorted().doesNotHaveDuplicates();
        Map<String, Integer> asked = new HashMap<>();
        stagingRequest.getAsJsonArray("services").forEach(s -> asked.put(
                s.getAsJsonObject().get("name").getAsString(), s.getAsJsonObject().get("instances").getAsInt()));
        assertThat(planned).isEqualTo(asked);
        assertThat(planned.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    }

    /**
     * Exit 2, nothing on stdout, and a first stderr line {@code gate: ...} that names what was wrong, with the usage
     * after it.
     */
    private static void assertUsageError(Run run, String named) {
        assertThat(run.exit()).as(run.describe()).isEqualTo(2);
        assertThat(run.stdout()).as(run.describe()).isEmpty();
        List<String> err = run.stderrLines();
        assertThat(err).as(run.describe()).hasSizeGreaterThan(1);
        assertThat(err.get(0)).as(run.describe()).startsWith("gate: ").contains(named);
        // The message is one line: the usage comes right after it.
        assertThat(err.get(1)).as(run.describe()).startsWith("usage:");
    }

    private static Run planJson(Path request) {
        return gate("plan", "--env", STAGING_ENV, "--request", request.toString(), "--at", AT, "--json");
    }

    private static JsonObject onlyDecision(Run run) {
        assertThat(run.stdoutLines()).as(run.describe()).hasSize(1);
        return JsonParser.parseString(run.stdoutLines().get(0)).getAsJsonObject();
    }

    private static Path requestFile(String name, JsonObject request) throws IOException {
        return Files.writeString(tmp.resolve(name), request.toString());
    }

    /**
     * Runs {@code ./gate ARGS} through bash from the repository root, stdout and stderr to files (a pipe could fill
     * and stall the child), bounded by {@link #TIMEOUT_SECONDS}.
     */
    private static Run gate(String... args) {
        Path repo = EventFile.repo();
        List<String> command = new ArrayList<>(List.of("bash", repo.resolve("gate").toString()));
        command.addAll(List.of(args));
        try {
            Path dir = Files.createTempDirectory(tmp, "run");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process process = new ProcessBuilder(command).directory(repo.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            // The launcher reads no input: an empty stdin, as in CI.
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS
                        + " s; stderr so far:\n" + Files.readString(err));
            }
            return new Run(command, process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** What one launcher run left behind. */
    private record Run(List<String> command, int exit, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        /** For failure messages: the command, its status and both streams. */
        String describe() {
            return String.join(" ", command) + " → exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n"
                    + stderr;
        }
    }
}
