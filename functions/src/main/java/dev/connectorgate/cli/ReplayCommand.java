package dev.connectorgate.cli;

import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.cli.chart.TerminalChart;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.local.Environment;
import dev.connectorgate.local.EventFile;
import dev.connectorgate.local.JsonLinesLog;
import dev.connectorgate.local.Replay;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.ports.EventLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code gate replay PATH... [--env FILE] [--json]}: runs scenario folders (or event files) through the deployed
 * function code on the embedded default, and shows the timeline with a chart of each admitted plan.
 */
final class ReplayCommand {
    private ReplayCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError {
        Args args = Args.parse(argv, Set.of("--env", "--width"), Set.of("--json", "--verbose"));
        if (args.positional().isEmpty()) {
            throw new UsageError("replay needs at least one scenario folder or event file");
        }
        int width = Terminal.width(args.value("--width"));
        boolean json = args.on("--json");
        EventLog.Severity threshold = args.on("--verbose") ? EventLog.Severity.DEBUG : EventLog.Severity.WARNING;
        List<GateDecision> all = new ArrayList<>();
        List<Path> loose = new ArrayList<>();
        for (String p : args.positional()) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                all.addAll(replayFolder(path, args.value("--env"), json, width, threshold, out, err));
            } else if (Files.isRegularFile(path)) {
                loose.add(path);
            } else {
                throw new UsageError(p + ": no such scenario folder or event file");
            }
        }
        if (!loose.isEmpty()) {
            if (args.value("--env") == null) {
                throw new UsageError("replaying event files needs --env FILE (a scenario folder brings its own)");
            }
            Environment env = environment(Path.of(args.value("--env")));
            all.addAll(show("events", env, events(loose), json, width, threshold, out, err));
        }
        return ExitStatus.of(all);
    }

    private static List<GateDecision> replayFolder(Path folder, String envFlag, boolean json, int width,
            EventLog.Severity threshold, PrintStream out, PrintStream err) throws UsageError {
        Path envFile = envFlag != null ? Path.of(envFlag) : folder.resolve("environment.json");
        if (!Files.isRegularFile(envFile)) {
            throw new UsageError(folder + ": no environment.json (or pass --env FILE)");
        }
        List<Path> files;
        try {
            files = Replay.eventFiles(folder);
        } catch (IOException e) {
            throw new UsageError(folder + ": cannot list: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new UsageError(folder + ": no event files (names starting with a digit, ending .json)");
        }
        return show(folder.getFileName().toString(), environment(envFile), events(files), json, width, threshold,
                out, err);
    }

    private static List<GateDecision> show(String name, Environment env, List<EventFile> events, boolean json,
            int width, EventLog.Severity threshold, PrintStream out, PrintStream err) {
        Replay.Result result = Replay.run(env, events, clock -> new JsonLinesLog(err, clock, threshold));
        if (json) {
            result.decisions().forEach(d -> out.println(DecisionJson.write(d)));
            return result.decisions();
        }
        out.println("replay " + name + ": " + events.size() + " events");
        for (Replay.Step step : result.steps()) {
            out.printf("%s  %-17s %s%n", step.event().event().getTime().toInstant(), step.event().topic(),
                    step.event().path().getFileName());
            if (step.decisions().isEmpty()) {
                out.println("      (no decision published)");
            }
            for (GateDecision d : step.decisions()) {
                out.println("      → " + DecisionText.oneLine(d));
            }
        }
        for (Replay.Step step : result.steps()) {
            for (GateDecision d : step.decisions()) {
                out.println();
                out.print(DecisionText.render(d));
                DeploymentRequest req = d.requestId() == null ? null : result.requests().get(d.requestId());
                if (req != null) {
                    List<Reservation> others = step.reservationsBefore().stream()
                            .filter(r -> !r.requestId().equals(d.requestId())).toList();
                    Charts.of(d, req, env, others).ifPresent(
                            c -> out.print("\n" + TerminalChart.render(c, width, 14, Terminal.color())));
                }
            }
        }
        return result.decisions();
    }

    private static Environment environment(Path file) throws UsageError {
        try {
            return Environment.read(file);
        } catch (Environment.Invalid e) {
            throw new UsageError(e.getMessage());
        }
    }

    private static List<EventFile> events(List<Path> files) throws UsageError {
        List<EventFile> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(EventFile.read(f));
            } catch (EventFile.Invalid e) {
                throw new UsageError(e.getMessage());
            }
        }
        return out;
    }
}
