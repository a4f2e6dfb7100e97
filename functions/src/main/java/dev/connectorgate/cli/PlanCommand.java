package dev.connectorgate.cli;

import dev.connectorgate.cli.chart.ChartInput;
import dev.connectorgate.cli.chart.SvgChart;
import dev.connectorgate.cli.chart.TerminalChart;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubMessage;
import dev.connectorgate.functions.GateConfig;
import dev.connectorgate.functions.GateRuntime;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.ledger.InMemoryLedger;
import dev.connectorgate.local.CollectingPublisher;
import dev.connectorgate.local.Environment;
import dev.connectorgate.local.JsonLinesLog;
import dev.connectorgate.time.SettableClock;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.ports.EventLog;
import dev.connectorgate.request.RequestValidator;
import dev.connectorgate.request.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code gate plan}: decides one plain DeploymentRequest against an environment file, keeping no state — the same
 * service the request function runs, on a fresh embedded default.
 */
final class PlanCommand {
    private PlanCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError {
        Args args = Args.parse(argv, Set.of("--env", "--request", "--at", "--svg", "--width"), Set.of("--json"));
        if (!args.positional().isEmpty()) {
            throw new UsageError("plan takes no positional arguments, got " + args.positional().get(0));
        }
        Path envFile = Path.of(args.required("--env"));
        Path requestFile = Path.of(args.required("--request"));
        Instant at = parseInstant(args.value("--at"));
        int width = Terminal.width(args.value("--width"));
        Environment env;
        try {
            env = Environment.read(envFile);
        } catch (Environment.Invalid e) {
            throw new UsageError(e.getMessage());
        }
        byte[] request;
        try {
            request = Files.readAllBytes(requestFile);
        } catch (IOException e) {
            throw new UsageError(requestFile + ": cannot read: " + e.getMessage());
        }
        SettableClock clock = new SettableClock(at);
        CollectingPublisher published = new CollectingPublisher();
        EventLog log = new JsonLinesLog(err, clock, EventLog.Severity.WARNING);
        GateRuntime runtime = GateRuntime.embedded(GateConfig.from(Map.of()), env, clock, published, log,
                new InMemoryLedger());
        List<GateDecision> decisions = runtime.service().onRequest(
                new PubSubMessage(request, Map.of(), "plan-" + requestFile.getFileName(), at, null));
        Optional<DeploymentRequest> valid = RequestValidator.validate(request, env.policy()) instanceof
                Validation.Valid v ? Optional.of(v.request()) : Optional.empty();
        for (GateDecision d : decisions) {
            if (args.on("--json")) {
                out.println(DecisionJson.write(d));
                continue;
            }
            out.print(DecisionText.render(d));
            Optional<ChartInput> chart = valid.flatMap(r -> Charts.of(d, r, env, List.of()));
            chart.ifPresent(c -> out.print("\n" + TerminalChart.render(c, width, 16, Terminal.color())));
        }
        if (args.value("--svg") != null) {
            writeSvg(Path.of(args.value("--svg")), decisions, valid, env, err);
        }
        return ExitStatus.of(decisions);
    }

    private static void writeSvg(Path file, List<GateDecision> decisions, Optional<DeploymentRequest> request,
            Environment env, PrintStream err) throws UsageError {
        Optional<ChartInput> chart = decisions.stream().findFirst()
                .flatMap(d -> request.flatMap(r -> Charts.of(d, r, env, List.of())));
        if (chart.isEmpty()) {
            err.println("no plan was admitted: " + file + " not written");
            return;
        }
        try {
            Files.writeString(file, SvgChart.render(chart.get()));
        } catch (IOException e) {
            throw new UsageError(file + ": cannot write: " + e.getMessage());
        }
    }

    static Instant parseInstant(String value) throws UsageError {
        if (value == null) {
            return Instant.now();
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageError("--at: not an RFC 3339 instant (e.g. 2026-12-03T10:00:00Z): " + value);
        }
    }
}
