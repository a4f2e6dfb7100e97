package dev.connectorgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connectorgate.local.ProcessGroups;
import dev.connectorgate.local.GcloudEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline side, as a Cloud Build step runs it: {@code pipeline/gate-wait.sh} on the real gcloud CLI against
 * {@code ./gate up} (the Pub/Sub emulator, the functions under the invoker), and {@code pipeline/deploy-waves.sh
 * --dry-run} on the decisions it wrote. One {@code gate up} serves the class.
 *
 * <p>The environment has two connectors of the same shape: the surge is planned on one, the block and the incident
 * on the other, so that the surge's reservation never changes the verdicts of the others.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineScriptsIT {
    private static final String PROJECT = "connector-gate-local";
    private static final String STAGING = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    private static final String SURGE = "projects/netra-staging/locations/us-central1/connectors/surge-connector";
    private static final Duration UP_WITHIN = Duration.ofSeconds(120);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);
    private static final int WAIT_TIMEOUT_SECONDS = 60;
    private static final Duration SCRIPT_WITHIN = Duration.ofSeconds(WAIT_TIMEOUT_SECONDS + 45);
    private static final Duration GCLOUD_CALL = Duration.ofSeconds(60);
    private static final Gson GSON = new Gson();

    @TempDir
    static Path work;
    private static Path repo;
    private static Process up;
    private static Path upOut;
    private static Path upErr;
    private static Map<String, String> gcloudEnv;
    /** Written by the first test, read by the dry runs. */
    private static Path staggerDecision;
    private static Path blockDecision;
    /** A tag of this run, so request ids never meet a ledger entry of another run. */
    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    @BeforeAll
    static void startGateUp() throws Exception {
        repo = EventFile.repo();
        GcloudEmulator.missingTools().ifPresent(missing -> fail("these tests need " + missing));
        JsonObject env = EventFile.readJson(repo.resolve("test-events/staging-surge/environment.json"));
        JsonObject surge = env.getAsJsonArray("connectors").get(0).getAsJsonObject().deepCopy();
        surge.addProperty("name", SURGE);
        env.getAsJsonArray("connectors").add(surge);
        Path envFile = Files.writeString(work.resolve("environment.json"), env.toString());

        String pubsub = GcloudEmulator.freeLoopbackHostPort();
        upOut = work.resolve("gate-up.out");
        upErr = work.resolve("gate-up.err");
        // setsid: a process group of its own, which @AfterAll ends as a whole.
        up = new ProcessBuilder("setsid", repo.resolve("gate").toString(), "up", "--host-port", pubsub, "--env",
                envFile.toString(), "--project", PROJECT)
                .directory(repo.toFile()).redirectOutput(upOut.toFile()).redirectError(upErr.toFile()).start();
        long deadline = System.nanoTime() + UP_WITHIN.toNanos();
        while (!read(upOut).contains("connector-gate is up")) {
            if (!up.isAlive()) {
                fail("gate up exited with status " + up.exitValue() + " before it was up" + upDiagnostics());
            }
            if (System.nanoTime() > deadline) {
                fail("gate up was not up within " + UP_WITHIN.toSeconds() + " s" + upDiagnostics());
            }
            Thread.sleep(250);
        }
        Map<String, String> e = new LinkedHashMap<>();
        e.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://" + pubsub + "/");
        e.put("CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "true");
        e.put("CLOUDSDK_CORE_PROJECT", PROJECT);
        e.put("CLOUDSDK_CONFIG", Files.createDirectories(work.resolve("gcloud-config")).toString());
        e.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
        e.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
        e.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
        gcloudEnv = Map.copyOf(e);
    }

    @AfterAll
    static void stopGateUp() throws Exception {
        if (up == null) {
            return;
        }
        List<ProcessHandle> children = up.descendants().collect(Collectors.toList());
        ProcessGroups.signal(up.pid(), "TERM");
        if (!up.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            ProcessGroups.signal(up.pid(), "KILL");
            up.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void theStagingSurgeIsStaggeredAndItsDecisionFileHasTheWaves() throws Exception {
        JsonObject request = EventFile.readJson(repo.resolve("test-events/staging-surge/request.json"));
        Path services = Files.writeString(work.resolve("surge-services.json"), request.get("services").toString());
        String requestId = "surge-" + RUN;
        Path out = work.resolve("surge-decision.json");

        Run run = gateWait(requestId, services, SURGE, out);

        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.stdout()).as(run.describe())
                .contains("connector-gate: STAGGER for request " + requestId, "waves", "+0 s", "+6 s", "+12 s",
                        "remedies", "SCALE_CONNECTOR", "decision written to " + out);
        JsonObject decision = EventFile.readJson(out);
        assertThat(decision.get("verdict").getAsString()).isEqualTo("STAGGER");
        assertThat(decision.get("requestId").getAsString()).isEqualTo(requestId);
        JsonArray waves = decision.getAsJsonArray("waves");
        assertThat(waves).hasSize(3);
        Map<String, Integer> started = new LinkedHashMap<>();
        double previous = -1;
        for (JsonElement wave : waves) {
            double offset = wave.getAsJsonObject().get("startOffsetSeconds").getAsDouble();
            assertThat(offset).isGreaterThan(previous);
            previous = offset;
            for (JsonElement s : wave.getAsJsonObject().getAsJsonArray("services")) {
                started.merge(s.getAsJsonObject().get("name").getAsString(),
                        s.getAsJsonObject().get("instances").getAsInt(), Integer::sum);
            }
        }
        Map<String, Integer> asked = new LinkedHashMap<>();
        request.getAsJsonArray("services").forEach(s -> asked.put(s.getAsJsonObject().get("name").getAsString(),
                s.getAsJsonObject().get("instances").getAsInt()));
        assertThat(started).isEqualTo(asked);
        staggerDecision = out;
        assertSubscriptionGone(requestId);
    }

    @Test
    @Order(2)
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void anInstanceBiggerThanTheConnectorIsABlockWithRemediesAndExitThree() throws Exception {
        Path services = Files.writeString(work.resolve("big-services.json"),
                "[{\"name\": \"video-transcoder\", \"instances\": 1, \"startupMbps\": 500, \"startupSeconds\": 10}]");
        String requestId = "block-" + RUN;
        Path out = work.resolve("block-decision.json");

        Run run = gateWait(requestId, services, STAGING, out);

        assertThat(run.exit()).as(run.describe()).isEqualTo(3);
        assertThat(run.stdout()).as(run.describe())
                .contains("connector-gate: BLOCK for request " + requestId, "500 Mbps", "remedies",
                        "SCALE_CONNECTOR", "DIRECT_VPC_EGRESS");
        assertThat(EventFile.readJson(out).get("verdict").getAsString()).isEqualTo("BLOCK");
        blockDecision = out;
        assertSubscriptionGone(requestId);
    }

    @Test
    @Order(3)
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void anOpenIncidentIsFollowedThroughWaitToAllowWhenItCloses() throws Exception {
        JsonObject checkout = JsonParser.parseString(new String(EventFile.read(
                EventFile.scenario("incident-wait", "02-request-checkout.json")).messageData(),
                StandardCharsets.UTF_8)).getAsJsonObject();
        Path services = Files.writeString(work.resolve("checkout-services.json"),
                checkout.get("services").toString());
        String requestId = "checkout-" + RUN;
        Path out = work.resolve("checkout-decision.json");
        publishAlert("01-incident-opens.json");

        Process script = startGateWait(requestId, services, STAGING, out, "checkout");
        Path stdout = work.resolve("checkout.out");
        try {
            long deadline = System.nanoTime() + SCRIPT_WITHIN.toNanos();
            while (!read(stdout).contains("connector-gate: WAIT for request " + requestId)) {
                if (!script.isAlive() || System.nanoTime() > deadline) {
                    fail("gate-wait.sh printed no WAIT" + describe(script, "checkout"));
                }
                Thread.sleep(200);
            }
            assertThat(read(stdout)).contains("incident 0.n1abcdefgh is open", "retryAfterSeconds");
            JsonObject subscription = subscriptions().stream()
                    .filter(s -> s.get("name").getAsString().contains("/subscriptions/gate-wait-" + requestId + "-"))
                    .findFirst().orElseGet(() -> fail("no gate-wait subscription while it waits"));
            assertThat(subscription.get("filter").getAsString()).isEqualTo("attributes.requestId = \"" + requestId
                    + "\"");
            assertThat(subscription.get("topic").getAsString()).endsWith("/topics/gate-decisions");

            publishAlert("04-incident-closes.json");

            if (!script.waitFor(SCRIPT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                fail("gate-wait.sh did not end after the incident closed" + describe(script, "checkout"));
            }
        } finally {
            script.destroyForcibly();
        }
        assertThat(script.exitValue()).as(describe(script, "checkout")).isZero();
        String printed = read(stdout);
        assertThat(printed.indexOf("connector-gate: ALLOW for request " + requestId))
                .as(describe(script, "checkout")).isGreaterThan(printed.indexOf("WAIT"));
        JsonObject decision = EventFile.readJson(out);
        assertThat(decision.get("verdict").getAsString()).isEqualTo("ALLOW");
        assertThat(decision.getAsJsonArray("waves")).isNotEmpty();
        assertSubscriptionGone(requestId);
    }

    @Test
    @Order(4)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void dryRunPrintsTheDeploysOfTheStaggerInWaveOrder() throws Exception {
        assertThat(staggerDecision).as("the STAGGER decision the first test wrote").isNotNull();
        JsonObject decision = EventFile.readJson(staggerDecision);

        Run run = script("deploy-waves.sh", "--decision", staggerDecision.toString(), "--dry-run",
                "--image-template", "us-central1-docker.pkg.dev/my-project/apps/{service}:abc123");

        assertThat(run.exit()).as(run.describe()).isZero();
        List<String> expected = new ArrayList<>();
        for (JsonElement w : decision.getAsJsonArray("waves")) {
            JsonObject wave = w.getAsJsonObject();
            expected.add("# wait until +" + (long) Math.ceil(wave.get("startOffsetSeconds").getAsDouble()) + "s");
            for (JsonElement s : wave.getAsJsonArray("services")) {
                String name = s.getAsJsonObject().get("name").getAsString();
                expected.add("gcloud run deploy " + name + " --image us-central1-docker.pkg.dev/my-project/apps/"
                        + name + ":abc123 --region us-central1 --min " + s.getAsJsonObject().get("instances")
                        + " --vpc-connector " + SURGE + " --quiet");
            }
        }
        assertThat(run.stdoutLines().subList(1, run.stdoutLines().size())).as(run.describe())
                .containsExactlyElementsOf(expected);
        assertThat(run.stdoutLines().get(0)).startsWith("# STAGGER for request surge-" + RUN);
    }

    @Test
    @Order(5)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void dryRunOfARampDeploysOnceAndThenRaisesTheMinimumToTheRunningTotal() throws Exception {
        JsonObject decision = new JsonObject();
        decision.addProperty("requestId", "ramp-1");
        decision.addProperty("connector", STAGING);
        decision.addProperty("verdict", "STAGGER");
        decision.add("waves", JsonParser.parseString("["
                + "{\"startOffsetSeconds\": 0, \"services\": [{\"name\": \"ledger-api\", \"instances\": 2},"
                + " {\"name\": \"ledger-worker\", \"instances\": 1}]},"
                + "{\"startOffsetSeconds\": 12.5, \"services\": [{\"name\": \"ledger-api\", \"instances\": 1}]},"
                + "{\"startOffsetSeconds\": 6, \"services\": [{\"name\": \"ledger-api\", \"instances\": 3}]}]"));
        Path file = Files.writeString(work.resolve("ramp-decision.json"), GSON.toJson(decision));

        Run service = script("deploy-waves.sh", "--decision", file.toString(), "--dry-run", "--no-vpc-connector",
                "--image-for", "ledger-api=gcr.io/p/ledger-api:7", "--image-for", "ledger-worker=gcr.io/p/worker:7",
                "--project", "netra-staging");
        Run revision = script("deploy-waves.sh", "--decision", file.toString(), "--dry-run", "--no-vpc-connector",
                "--image-for", "ledger-api=gcr.io/p/ledger-api:7", "--image-for", "ledger-worker=gcr.io/p/worker:7",
                "--region", "europe-west1", "--scaling", "revision", "--", "--vpc-egress=all-traffic");

        assertThat(service.exit()).as(service.describe()).isZero();
        assertThat(service.stdoutLines()).as(service.describe()).containsSubsequence(
                "# wait until +0s",
                "gcloud run deploy ledger-api --image gcr.io/p/ledger-api:7 --region us-central1 --project "
                        + "netra-staging --min 2 --quiet",
                "gcloud run deploy ledger-worker --image gcr.io/p/worker:7 --region us-central1 --project "
                        + "netra-staging --min 1 --quiet",
                "# wait until +6s",
                "gcloud run services update ledger-api --region us-central1 --project netra-staging --min 5 --quiet",
                "# wait until +13s",
                "gcloud run services update ledger-api --region us-central1 --project netra-staging --min 6 --quiet");
        assertThat(service.stdoutLines()).filteredOn(l -> l.startsWith("gcloud")).hasSize(4);
        assertThat(revision.exit()).as(revision.describe()).isZero();
        assertThat(revision.stdoutLines()).as(revision.describe()).containsSubsequence(
                "gcloud run deploy ledger-api --image gcr.io/p/ledger-api:7 --region europe-west1 --min-instances 2 "
                        + "--quiet --vpc-egress=all-traffic",
                "gcloud run services update ledger-api --region europe-west1 --min-instances 5 --quiet",
                "gcloud run services update ledger-api --region europe-west1 --min-instances 6 --quiet");
    }

    @Test
    @Order(6)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deployWavesRefusesABlockAndAServiceWithoutAnImage() throws Exception {
        assertThat(blockDecision).as("the BLOCK decision the second test wrote").isNotNull();

        Run block = script("deploy-waves.sh", "--decision", blockDecision.toString(), "--dry-run",
                "--image-template", "gcr.io/p/{service}:1");
        Run noImage = script("deploy-waves.sh", "--decision", staggerDecision.toString(), "--dry-run",
                "--image-for", "api-gateway=gcr.io/p/gw:1");

        assertThat(block.exit()).as(block.describe()).isEqualTo(3);
        assertThat(block.stdout()).as(block.describe()).doesNotContain("gcloud run");
        assertThat(block.stderr()).contains("the verdict is BLOCK", "nothing is deployed", "SCALE_CONNECTOR");
        assertThat(noImage.exit()).as(noImage.describe()).isEqualTo(2);
        assertThat(noImage.stderr()).contains("no image for orders-api");
    }

    @Test
    @Order(7)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBadServicesFileIsAUsageErrorNamingTheFieldBeforeAnythingIsPublished() throws Exception {
        Path services = Files.writeString(work.resolve("bad-services.json"),
                "[{\"name\": \"api\", \"instances\": 0}, {\"name\": \"api\", \"instances\": 1, "
                        + "\"dependsOn\": [\"db\"]}]");

        Run run = script("gate-wait.sh", "--services", services.toString(), "--connector", STAGING,
                "--request-id", "bad-" + RUN, "--wait-timeout", "5");

        assertThat(run.exit()).as(run.describe()).isEqualTo(2);
        assertThat(run.stderr()).contains("services[0].instances: must be an integer 1..1000, got 0",
                "services[1].name: api is listed twice", "services[1].dependsOn: db is not a service");
        assertThat(run.stderr()).doesNotContain("subscribed");
    }

    @Test
    @Order(8)
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void sigtermWhileWaitingDeletesTheSubscriptionAndExits143() throws Exception {
        // Decisions never come on this topic, so the script is still pulling when it is told to stop.
        gcloud("pubsub", "topics", "create", "silent-decisions");
        Path services = Files.writeString(work.resolve("term-services.json"),
                "[{\"name\": \"api\", \"instances\": 1}]");
        String requestId = "term-" + RUN;
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("pipeline/gate-wait.sh").toString(), "--services",
                services.toString(), "--connector", STAGING, "--request-id", requestId, "--decisions-topic",
                "silent-decisions", "--wait-timeout", Integer.toString(WAIT_TIMEOUT_SECONDS))
                .directory(work.toFile()).redirectOutput(work.resolve("term.out").toFile())
                .redirectError(work.resolve("term.err").toFile());
        builder.environment().putAll(gcloudEnv);
        Process script = builder.start();
        try {
            long deadline = System.nanoTime() + SCRIPT_WITHIN.toNanos();
            while (!read(work.resolve("term.err")).contains("published request " + requestId)) {
                if (!script.isAlive() || System.nanoTime() > deadline) {
                    fail("gate-wait.sh did not get to waiting" + describe(script, "term"));
                }
                Thread.sleep(200);
            }
            assertThat(subscriptions()).extracting(s -> s.get("name").getAsString())
                    .anyMatch(name -> name.contains("/subscriptions/gate-wait-" + requestId + "-"));

            script.destroy(); // SIGTERM

            assertThat(script.waitFor(GCLOUD_CALL.toSeconds(), TimeUnit.SECONDS))
                    .as("gate-wait.sh ends on SIGTERM" + describe(script, "term")).isTrue();
        } finally {
            script.destroyForcibly();
        }
        assertThat(script.exitValue()).as(describe(script, "term")).isEqualTo(143);
        assertThat(read(work.resolve("term.err"))).contains("deleted subscription gate-wait-" + requestId);
        assertSubscriptionGone(requestId);
    }

    private static Run gateWait(String requestId, Path services, String connector, Path out) throws Exception {
        Process p = startGateWait(requestId, services, connector, out, requestId);
        if (!p.waitFor(SCRIPT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gate-wait.sh did not end within " + SCRIPT_WITHIN.toSeconds() + " s" + describe(p, requestId));
        }
        return new Run(List.of("gate-wait.sh", requestId), p.exitValue(), read(work.resolve(requestId + ".out")),
                read(work.resolve(requestId + ".err")));
    }

    private static Process startGateWait(String requestId, Path services, String connector, Path out, String logs)
            throws IOException {
        List<String> command = List.of(repo.resolve("pipeline/gate-wait.sh").toString(), "--services",
                services.toString(), "--connector", connector, "--request-id", requestId, "--out", out.toString(),
                "--wait-timeout", Integer.toString(WAIT_TIMEOUT_SECONDS));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(work.resolve(logs + ".out").toFile())
                .redirectError(work.resolve(logs + ".err").toFile());
        builder.environment().putAll(gcloudEnv);
        return builder.start();
    }

    private static Run script(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(repo.resolve("pipeline").resolve(name).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, name, ".out");
        Path err = Files.createTempFile(work, name, ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(gcloudEnv);
        Process p = builder.start();
        if (!p.waitFor(SCRIPT_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(name + " did not end within " + SCRIPT_WITHIN.toSeconds() + " s: " + read(err));
        }
        return new Run(command, p.exitValue(), read(out), read(err));
    }

    /** Publishes the Monitoring notification inside an incident-wait event file, as the channel would. */
    private static void publishAlert(String eventFile) throws Exception {
        String data = new String(EventFile.read(EventFile.scenario("incident-wait", eventFile)).messageData(),
                StandardCharsets.UTF_8);
        gcloud("pubsub", "topics", "publish", "connector-alerts", "--message=" + data);
    }

    private static void assertSubscriptionGone(String requestId) throws Exception {
        assertThat(subscriptions()).extracting(s -> s.get("name").getAsString())
                .as("subscriptions after gate-wait.sh for " + requestId)
                .noneMatch(name -> name.contains("/subscriptions/gate-wait-" + requestId));
    }

    private static List<JsonObject> subscriptions() throws Exception {
        String json = gcloud("pubsub", "subscriptions", "list", "--format=json");
        List<JsonObject> all = new ArrayList<>();
        JsonParser.parseString(json.isBlank() ? "[]" : json).getAsJsonArray()
                .forEach(s -> all.add(s.getAsJsonObject()));
        return all;
    }

    private static String gcloud(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("gcloud"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "gcloud", ".out");
        Path err = Files.createTempFile(work, "gcloud", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(gcloudEnv);
        Process p = builder.start();
        if (!p.waitFor(GCLOUD_CALL.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gcloud " + String.join(" ", args) + " did not finish within " + GCLOUD_CALL.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            fail("gcloud " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + read(err));
        }
        return read(out);
    }

    private static String describe(Process p, String logs) {
        return "\n--- " + logs + " stdout\n" + read(work.resolve(logs + ".out")) + "\n--- " + logs + " stderr\n"
                + read(work.resolve(logs + ".err")) + (p.isAlive() ? "" : "\n--- exit " + p.exitValue())
                + upDiagnostics();
    }

    private static String upDiagnostics() {
        return "\n--- gate up stdout\n" + read(upOut) + "\n--- gate up stderr\n" + read(upErr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Run(List<String> command, int exit, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().collect(Collectors.toList());
        }

        String describe() {
            return String.join(" ", command) + " -> exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n"
                    + stderr;
        }
    }
}
