package dev.connectorgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Remedy;
import dev.connectorgate.decision.Verdict;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Load;
import dev.connectorgate.plan.PlanCheck;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.ports.EventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every scenario folder under {@code test-events/} through the function classes on the embedded default and
 * holds the decisions to the folder's {@code expected.json}. The folders are the project's fixtures: a new folder is
 * tested without touching this class.
 */
class ScenarioReplayTest {
    static final Path TEST_EVENTS = repoRoot().resolve("test-events");
    private static final EventLog QUIET = (severity, message, fields) -> { };

    @TestFactory
    Stream<DynamicTest> everyScenarioMeetsItsExpectedDecisions() throws IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(TEST_EVENTS)) {
            folders = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(folders).extracting(p -> p.getFileName().toString())
                .contains("staging-surge", "incident-wait", "two-pipelines", "bad-input", "redelivery");
        return folders.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    @Test
    void withoutTheBuildReleaseTheThirdPipelineIsStaggered() throws Exception {
        Path folder = TEST_EVENTS.resolve("two-pipelines");
        List<EventFile> events = new ArrayList<>();
        for (Path p : Replay.eventFiles(folder)) {
            if (!p.getFileName().toString().startsWith("03-")) {
                events.add(EventFile.read(p));
            }
        }
        Replay.Result r = Replay.run(Environment.read(folder.resolve("environment.json")), events, c -> QUIET);
        GateDecision jobs = r.decisions().get(r.decisions().size() - 1);
        assertThat(jobs.requestId()).isEqualTo("jobs-1");
        assertThat(jobs.verdict()).isEqualTo(Verdict.STAGGER);
    }

    @Test
    void thePlainRequestBesideTheSeedScenarioIsTheOneItsEventCarries() throws Exception {
        Path folder = TEST_EVENTS.resolve("staging-surge");
        EventFile event = EventFile.read(folder.resolve("01-staging-rollout.json"));
        byte[] data = ((dev.connectorgate.events.PubSubEnvelope.Decoded.Message) dev.connectorgate.events
                .PubSubEnvelope.decode(event.event().getData().toBytes())).message().data();
        assertThat(JsonParser.parseString(new String(data, java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(JsonParser.parseString(Files.readString(folder.resolve("request.json"))));
    }

    private static void check(Path folder) throws Exception {
        Environment env = Environment.read(folder.resolve("environment.json"));
        List<EventFile> events = new ArrayList<>();
        for (Path p : Replay.eventFiles(folder)) {
            events.add(EventFile.read(p));
        }
        Replay.Result result = Replay.run(env, events, c -> QUIET);
        JsonObject expected = JsonParser.parseString(Files.readString(folder.resolve("expected.json")))
                .getAsJsonObject();
        List<JsonElement> want = expected.getAsJsonArray("decisions").asList();
        List<GateDecision> got = result.decisions();
        assertThat(got).as("decisions of %s", folder.getFileName()).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            matches(want.get(i).getAsJsonObject(), got.get(i), got, folder.getFileName() + " decision " + i);
        }
        if (expected.has("reservationsAtEnd")) {
            assertThat(result.reservationsAtEnd()).hasSize(expected.get("reservationsAtEnd").getAsInt());
        }
        everyAdmittedPlanFitsWhatWasFreeThen(result);
    }

    private static void matches(JsonObject want, GateDecision d, List<GateDecision> all, String what) {
        if (want.has("requestId")) {
            String id = want.get("requestId").isJsonNull() ? null : want.get("requestId").getAsString();
            assertThat(d.requestId()).as(what + " requestId").isEqualTo(id);
        }
        assertThat(d.verdict().name()).as(what + " verdict, reasons " + d.reasons())
                .isEqualTo(want.get("verdict").getAsString());
        if (want.has("waves")) {
            assertThat(d.plan().waves()).as(what + " waves").hasSize(want.get("waves").getAsInt());
        }
        if (want.has("makespanSeconds")) {
            assertThat(d.makespanMillis()).as(what + " makespan").isEqualTo(millis(want, "makespanSeconds"));
        }
        if (want.has("lowerBoundSeconds")) {
            assertThat(d.lowerBoundMillis()).as(what + " lower bound").isEqualTo(millis(want, "lowerBoundSeconds"));
        }
        if (want.has("firstOffsetSeconds")) {
            assertThat(d.plan().waves().get(0).startOffsetMillis()).as(what + " first offset")
                    .isEqualTo(millis(want, "firstOffsetSeconds"));
        }
        if (want.has("remedies")) {
            List<String> kinds = want.getAsJsonArray("remedies").asList().stream().map(JsonElement::getAsString)
                    .toList();
            assertThat(d.remedies()).extracting(Remedy::kind).as(what + " remedies").containsExactlyElementsOf(kinds);
        }
        if (want.has("scaleTo")) {
            JsonObject s = want.getAsJsonObject("scaleTo");
            Remedy.ScaleConnector scale = d.remedies().stream().filter(Remedy.ScaleConnector.class::isInstance)
                    .map(Remedy.ScaleConnector.class::cast).findFirst().orElseThrow();
            assertThat(scale.machineType().wireName()).isEqualTo(s.get("machineType").getAsString());
            assertThat(scale.instances()).isEqualTo(s.get("instances").getAsInt());
        }
        if (want.has("reasonsContain")) {
            for (JsonElement part : want.getAsJsonArray("reasonsContain")) {
                assertThat(d.reasons()).as(what + " reasons").anyMatch(r -> r.contains(part.getAsString()));
            }
        }
        if (want.has("reasonCount")) {
            assertThat(d.reasons()).as(what + " reasons").hasSize(want.get("reasonCount").getAsInt());
        }
        if (want.has("sameAs")) {
            assertThat(d).as(what + " is the decision already made").isEqualTo(all.get(want.get("sameAs").getAsInt()));
        }
    }

    /** Independent of the expectations: each admitted plan fits the headroom left by the reservations before it. */
    private static void everyAdmittedPlanFitsWhatWasFreeThen(Replay.Result result) {
        for (Replay.Step step : result.steps()) {
            for (GateDecision d : step.decisions()) {
                if (!d.verdict().admits()) {
                    continue;
                }
                DeploymentRequest req = result.requests().get(d.requestId());
                Environment.Entry entry = result.environment().connector(d.connector()).orElseThrow();
                List<Reservation> others = step.reservationsBefore().stream()
                        .filter(r -> !r.requestId().equals(d.requestId())).toList();
                Capacity c = Capacity.at(d.decidedAt(), entry.connector(), result.environment().policy(),
                        new Load(entry.baselineMbps(), d.decidedAt(), "environment"), others);
                PlanningProblem p = new PlanningProblem(c.headroom(), req.services(), Long.MAX_VALUE);
                assertThat(PlanCheck.violations(p, d.plan())).as(d.requestId() + " fits").isEmpty();
            }
        }
    }

    private static long millis(JsonObject o, String field) {
        return Math.round(o.get(field).getAsDouble() * 1000);
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("test-events"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("test-events/ not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
