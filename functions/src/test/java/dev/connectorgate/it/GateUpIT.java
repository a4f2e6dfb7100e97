package dev.connectorgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gate up} end to end, driven the way a pipeline step drives the deployed gate: the real gcloud CLI
 * subscribes to {@code gate-decisions}, publishes the staging-surge request to {@code gate-requests} and pulls until
 * the decision for its requestId arrives; then SIGTERM must leave nothing of what {@code gate up} started.
 */
class GateUpIT {
    private static final String PROJECT = "connector-gate-local";
    private static final String REQUEST_ID = "staging-7f3c";
    private static final Duration UP_WITHIN = Duration.ofSeconds(120);
    private static final Duration DECISION_WITHIN = Duration.ofSeconds(60);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(45);
    private static final Duration GCLOUD_CALL = Duration.ofSeconds(60);
    private static final Pattern LOOPBACK_PORT = Pattern.compile("127\\.0\\.0\\.1:[0-9]+");

    @TempDir
    Path work;
    private Process up;
    private Path upOut;
    private Path upErr;
    private final Set<ProcessHandle> startedByUp = new HashSet<>();

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void publishedRequestIsAnsweredOnGateDecisionsAndSigtermLeavesNothingRunning() throws Exception {
        String pubsub = GcloudEmulator.freeLoopbackHostPort();
        Path repo = EventFile.repo();
        startGateUp(repo, pubsub);
        Set<String> endpoints = loopbackEndpoints(read(upOut));
        assertThat(endpoints).as("the emulators and four functions it names").hasSizeGreaterThanOrEqualTo(6)
                .contains(pubsub);
        startedByUp.addAll(up.descendants().collect(Collectors.toList()));
        Set<Long> groups = new LinkedHashSet<>(List.of(up.pid()));
        startedByUp.forEach(p -> ProcessGroups.of(p.pid()).ifPresent(groups::add));
        assertThat(groups).as("gate up's own process group and one per emulator").hasSizeGreaterThanOrEqualTo(3);

        Map<String, String> gcloudEnv = gcloudEnvironment(pubsub);
        // Before the publish: a subscription gets only what is published after it exists.
        gcloud(gcloudEnv, "pubsub", "subscriptions", "create", "it-decisions", "--topic=gate-decisions");
        String request = Files.readString(repo.resolve("test-events/staging-surge/request.json"));
        gcloud(gcloudEnv, "pubsub", "topics", "publish", "gate-requests", "--message=" + request,
                "--attribute=requestId=" + REQUEST_ID);

        JsonObject message = pullDecision(gcloudEnv, "it-decisions", REQUEST_ID);

        JsonObject attributes = message.getAsJsonObject("attributes");
        JsonObject sent = JsonParser.parseString(request).getAsJsonObject();
        assertThat(text(attributes, "requestId")).isEqualTo(REQUEST_ID);
        assertThat(text(attributes, "buildId")).isEqualTo(text(sent, "buildId"));
        assertThat(text(attributes, "connector")).isEqualTo(text(sent, "connector"));
        assertThat(text(attributes, "verdict")).isEqualTo("STAGGER");
        JsonObject decision = JsonParser.parseString(new String(
                Base64.getDecoder().decode(text(message, "data")), StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(text(decision, "requestId")).isEqualTo(REQUEST_ID);
        assertThat(text(decision, "verdict")).isEqualTo("STAGGER");
        assertThat(decision.getAsJsonArray("waves")).hasSize(3);
        assertThat(text(message, "orderingKey")).as("decisions of one connector are ordered")
                .isEqualTo(text(sent, "connector"));

        up.destroy();
        assertThat(up.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("gate up ends on SIGTERM within " + STOP_WITHIN.toSeconds() + " s" + diagnostics()).isTrue();
        assertThat(startedByUp.stream().filter(ProcessHandle::isAlive).map(this::describe))
                .as("processes gate up started, still running" + diagnostics()).isEmpty();
        for (long group : groups) {
            assertThat(processGroupMembers(group)).as("processes left in group " + group).isEmpty();
        }
        assertThat(endpoints.stream().filter(GcloudEmulator::listening))
                .as("ports still listening after the stop").isEmpty();
        assertThat(read(upErr)).contains("connector-gate: stopped");
    }

    /** Whatever the test left, including an emulator group whose wrapper is gone: no run may leak processes. */
    @AfterEach
    void killWhatIsLeft() throws Exception {
        if (up == null) {
            return;
        }
        if (up.isAlive()) {
            startedByUp.addAll(up.descendants().collect(Collectors.toList()));
            ProcessGroups.signal(up.pid(), "KILL");
            up.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle p : startedByUp) {
            // isAlive also checks the start time, so a pid reused by someone else's process is never touched.
            if (p.isAlive()) {
                ProcessGroups.of(p.pid()).ifPresent(group -> ProcessGroups.signal(group, "KILL"));
                p.destroyForcibly();
            }
        }
    }

    private void startGateUp(Path repo, String pubsub) throws IOException, InterruptedException {
        upOut = work.resolve("gate-up.out");
        upErr = work.resolve("gate-up.err");
        // setsid: a group of its own, so whatever happens the teardown can end it and all it forked at once.
        up = new ProcessBuilder("setsid", repo.resolve("gate").toString(), "up", "--host-port", pubsub,
                "--env", repo.resolve("test-events/staging-surge/environment.json").toString())
                .directory(repo.toFile())
                .redirectOutput(upOut.toFile())
                .redirectError(upErr.toFile())
                .start();
        long deadline = System.nanoTime() + UP_WITHIN.toNanos();
        while (!read(upOut).contains("connector-gate is up")) {
            if (!up.isAlive()) {
                fail("gate up exited with status " + up.exitValue() + " before it was up" + diagnostics());
            }
            if (System.nanoTime() > deadline) {
                fail("gate up was not up within " + UP_WITHIN.toSeconds() + " s" + diagnostics());
            }
            Thread.sleep(250);
        }
    }

    /** Pulls until a message whose requestId attribute matches arrives; the emulator applies no filters. */
    private JsonObject pullDecision(Map<String, String> env, String subscription, String requestId)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DECISION_WITHIN.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String json = gcloud(env, "pubsub", "subscriptions", "pull", subscription, "--auto-ack", "--limit=10",
                    "--format=json");
            for (JsonElement e : JsonParser.parseString(json.isBlank() ? "[]" : json).getAsJsonArray()) {
                JsonObject message = e.getAsJsonObject().getAsJsonObject("message");
                JsonObject attributes = message.getAsJsonObject("attributes");
                String id = attributes == null ? null : text(attributes, "requestId");
                if (requestId.equals(id)) {
                    return message;
                }
                seen.add(String.valueOf(id));
            }
        }
        return fail("no decision for " + requestId + " on gate-decisions within " + DECISION_WITHIN.toSeconds()
                + " s (saw requestIds " + seen + ")" + diagnostics());
    }

    /** The gcloud CLI on the emulator, with a configuration of its own so the user's is never touched. */
    private Map<String, String> gcloudEnvironment(String pubsub) throws IOException {
        return Map.of("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://" + pubsub + "/",
                "CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "true",
                "CLOUDSDK_CORE_PROJECT", PROJECT,
                "CLOUDSDK_CONFIG", Files.createDirectories(work.resolve("gcloud-config")).toString(),
                "CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    }

    private String gcloud(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gcloud"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "gcloud", ".out");
        Path err = Files.createTempFile(work, "gcloud", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(GCLOUD_CALL.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gcloud " + String.join(" ", args) + " did not finish within " + GCLOUD_CALL.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            fail("gcloud " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + read(err)
                    + diagnostics());
        }
        return read(out);
    }

    private static Set<String> loopbackEndpoints(String output) {
        Set<String> endpoints = new LinkedHashSet<>();
        Matcher m = LOOPBACK_PORT.matcher(output);
        while (m.find()) {
            endpoints.add(m.group());
        }
        return endpoints;
    }

    private List<String> processGroupMembers(long group) {
        return ProcessHandle.allProcesses()
                .filter(p -> ProcessGroups.of(p.pid()).filter(g -> g == group).isPresent())
                .filter(ProcessHandle::isAlive)
                .map(this::describe)
                .collect(Collectors.toList());
    }

    private String describe(ProcessHandle p) {
        return p.pid() + " " + p.info().commandLine().orElse("?");
    }

    private String diagnostics() {
        return "\n--- gate up stdout\n" + read(upOut) + "\n--- gate up stderr\n" + read(upErr);
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static String read(Path file) {
        try {
            return file != null && Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
