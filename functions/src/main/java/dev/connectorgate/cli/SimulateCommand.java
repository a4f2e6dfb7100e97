package dev.connectorgate.cli;

import com.google.gson.JsonObject;
import dev.connectorgate.capacity.Capacity;
import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.decision.Gate;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubEnvelope;
import dev.connectorgate.functions.GateConfig;
import dev.connectorgate.local.Environment;
import dev.connectorgate.local.EventFile;
import dev.connectorgate.local.Replay;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.EarliestPlan;
import dev.connectorgate.plan.FixedBatchPlanner;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.PlanningProblem;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.ConnectorLookup;
import dev.connectorgate.request.RequestValidator;
import dev.connectorgate.request.Validation;
import dev.connectorgate.simulate.ConnectorSimulator;
import dev.connectorgate.simulate.SimulationResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code gate simulate SCENARIO_OR_REQUEST [--env FILE] [--grace SECONDS] [--json]}: runs each request on the
 * {@link ConnectorSimulator} under three strategies side by side — all at once (no gate), fixed batches of 25 % of the
 * services, and the plan the gate admits — and says which meet the seed's success bars.
 *
 * <p>The argument is a scenario folder (its environment.json, unless {@code --env} says otherwise, and every valid
 * request among its gate-requests events, once per requestId) or a plain DeploymentRequest JSON file with
 * {@code --env FILE}. Each request is simulated alone, as {@code gate plan} decides it: on the connector the
 * environment describes, carrying its baseline and nothing else — no other rollout's reservation, no incident. So the
 * gate's column is the plan of an ALLOW or STAGGER on that connector; a BLOCK or WAIT is shown as not admitted.
 *
 * <p>Strategies: {@value #ALL_AT_ONCE} is the dependency-only earliest plan, every service as soon as its dependencies
 * have nominally finished; {@value #BATCHES} is {@link FixedBatchPlanner} and {@value #GATE} is {@link WavePlanner}
 * through the {@link Gate}, both planning on the gate's headroom (targetUtilization of the link, less the baseline).
 * All three run on the link's raw throughput. "Meets the bars" is {@link SimulationResult#meetsBars()}: at least
 * 90 % of instances start within nominal + grace.
 *
 * <p>Output: a table per request, or with {@code --json} one object per strategy per line, with {@code requestId},
 * {@code strategy}, {@code admitted}, {@code successRate}, {@code p50StartupSeconds}, {@code p95StartupSeconds},
 * {@code makespanSeconds} (seconds rounded to the millisecond, null when not admitted), {@code meetsBars} and, for the
 * gate, its {@code verdict}. Exit 0 when at least one request was simulated, 2 for a usage error.
 */
final class SimulateCommand {
    static final String ALL_AT_ONCE = "all-at-once";
    static final String BATCHES = "batches-25%";
    static final String GATE = "gate";

    /** A request to simulate and when it was published (its clock for the gate; irrelevant with an empty ledger). */
    private record Request(DeploymentRequest request, Instant at) {
    }

    /** One strategy on one request: its plan as a person reads it and what the simulator made of it, if it ran. */
    private record Row(String strategy, String plan, Optional<SimulationResult> result, String verdict) {
    }

    private SimulateCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError {
        Args args = Args.parse(argv, Set.of("--env", "--grace"), Set.of("--json"));
        if (args.positional().size() != 1) {
            throw new UsageError("simulate takes one scenario folder or request file, got "
                    + args.positional().size());
        }
        double grace = grace(args.value("--grace"));
        Path path = Path.of(args.positional().get(0));
        Environment env;
        List<Request> requests;
        if (Files.isDirectory(path)) {
            Path envFile = args.value("--env") != null ? Path.of(args.value("--env")) : path.resolve("environment.json");
            if (!Files.isRegularFile(envFile)) {
                throw new UsageError(path + ": no environment.json (or pass --env FILE)");
            }
            env = environment(envFile);
            requests = fromScenario(path, env, err);
        } else if (Files.isRegularFile(path)) {
            if (args.value("--env") == null) {
                throw new UsageError("simulating a request file needs --env FILE (a scenario folder brings its own)");
            }
            env = environment(Path.of(args.value("--env")));
            requests = List.of(fromRequestFile(path, env));
        } else {
            throw new UsageError(path + ": no such scenario folder or request file");
        }
        int simulated = 0;
        for (Request r : requests) {
            Optional<Environment.Entry> entry = env.connector(r.request().connector());
            if (entry.isEmpty()) {
                err.println("gate: " + r.request().requestId() + ": connector " + r.request().connector()
                        + " is not in the environment; not simulated");
                continue;
            }
            if (entry.get().connector().runningInstances() < 1) {
                err.println("gate: " + r.request().requestId() + ": connector " + entry.get().connector().shortName()
                        + " has no running instances, nothing to simulate on");
                continue;
            }
            List<Row> rows = strategies(r, entry.get(), env, grace);
            if (args.on("--json")) {
                rows.forEach(row -> out.println(json(r.request(), row)));
            } else {
                out.print(table(r.request(), entry.get(), rows, grace));
            }
            simulated++;
        }
        if (simulated == 0) {
            throw new UsageError(path + ": no request that can be simulated");
        }
        return ExitStatus.OK;
    }

    private static List<Row> strategies(Request r, Environment.Entry entry, Environment env, double grace) {
        DeploymentRequest req = r.request();
        Connector connector = entry.connector();
        Load load = new Load(entry.baselineMbps(), r.at(), "environment");
        Capacity capacity = Capacity.at(r.at(), connector, env.policy(), load, List.of());
        PlanningProblem problem = new PlanningProblem(capacity.headroom(), req.services(),
                req.deadlineSeconds() * 1000);
        ConnectorSimulator simulator = new ConnectorSimulator(connector.connectorMbps(), entry.baselineMbps(), grace);

        List<Row> rows = new ArrayList<>();
        Plan earliest = EarliestPlan.of(problem);
        rows.add(new Row(ALL_AT_ONCE, "earliest, " + waves(earliest),
                Optional.of(simulator.simulate(req.services(), earliest)), null));
        Optional<Plan> batches = new FixedBatchPlanner().plan(problem);
        rows.add(new Row(BATCHES, batches.map(SimulateCommand::waves).orElse("no plan fits"),
                batches.map(p -> simulator.simulate(req.services(), p)), null));
        Gate gate = new Gate(new WavePlanner(), env.policy());
        GateDecision d = gate.decide(new Gate.Input(req, r.at(), req.deadlineSeconds() * 1000,
                new ConnectorLookup.Found(connector), Optional.of(load), List.of(), List.of(), List.of())).decision();
        Optional<SimulationResult> admitted = Optional.ofNullable(d.plan()).map(p -> simulator.simulate(req.services(),
                p));
        String plan = d.plan() == null ? d.verdict() + ", not admitted" : d.verdict() + ", " + waves(d.plan());
        rows.add(new Row(GATE, plan, admitted, d.verdict().name()));
        return rows;
    }

    private static String waves(Plan plan) {
        int n = plan.waves().size();
        return n + (n == 1 ? " wave" : " waves");
    }

    private static String table(DeploymentRequest req, Environment.Entry entry, List<Row> rows, double grace) {
        Connector c = entry.connector();
        StringBuilder sb = new StringBuilder();
        sb.append(req.requestId()).append(": ").append(count(req.services().size(), "service")).append(", ")
                .append(count(req.totalInstances(), "instance")).append(" on ").append(c.shortName());
        if (c.state() != ConnectorState.READY) {
            // The gate's column already says what the state means; the others only model the link's throughput.
            sb.append(" (").append(c.state()).append(": its link is simulated as if it were READY)");
        }
        sb.append('\n');
        sb.append("  link ").append(c.runningInstances()).append(" × ").append(c.machineType().wireName())
                .append(" × ").append(Numbers.fmt(c.machineType().perInstanceMbps())).append(" Mbps = ")
                .append(Numbers.fmt(c.connectorMbps())).append(" Mbps raw, baseline ")
                .append(Numbers.fmt(entry.baselineMbps())).append(" Mbps; a startup fails past nominal + ")
                .append(Numbers.fmt(grace)).append(" s\n\n");
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"", ALL_AT_ONCE, BATCHES, GATE});
        lines.add(cells("plan", rows, row -> row.plan()));
        lines.add(cells("success rate", rows, row -> row.result().map(s -> Numbers.fmt(100 * s.successRate())
                + " % (" + s.successes() + "/" + s.instances() + ")").orElse("—")));
        lines.add(cells("p50 startup", rows, row -> row.result().map(s -> seconds(s.p50StartupSeconds()))
                .orElse("—")));
        lines.add(cells("p95 startup", rows, row -> row.result().map(s -> seconds(s.p95StartupSeconds()))
                .orElse("—")));
        lines.add(cells("makespan", rows, row -> row.result().map(s -> seconds(s.makespanSeconds())).orElse("—")));
        lines.add(cells("meets the bars", rows, row -> row.result().map(s -> s.meetsBars() ? "yes" : "no")
                .orElse("not admitted")));
        int[] width = new int[4];
        for (String[] line : lines) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder l = new StringBuilder("  ");
            for (int i = 0; i < 4; i++) {
                l.append(line[i]).append(" ".repeat(width[i] - line[i].length() + (i < 3 ? 3 : 0)));
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        List<String> meet = new ArrayList<>();
        List<String> miss = new ArrayList<>();
        List<String> unplanned = new ArrayList<>();
        for (Row row : rows) {
            (row.result().isEmpty() ? unplanned : row.result().get().meetsBars() ? meet : miss).add(row.strategy());
        }
        sb.append("\n  bars: ≥ ").append(Numbers.fmt(100 * SimulationResult.SUCCESS_BAR))
                .append(" % of startups within ").append(target(req, grace)).append(" — met by ")
                .append(meet.isEmpty() ? "none" : String.join(", ", meet)).append("; missed by ")
                .append(miss.isEmpty() ? "none" : String.join(", ", miss));
        if (!unplanned.isEmpty()) {
            sb.append("; not run: ").append(String.join(", ", unplanned)).append(" (no plan admitted)");
        }
        return sb.append("\n\n").toString();
    }

    private static String[] cells(String label, List<Row> rows, Function<Row, String> cell) {
        String[] line = new String[4];
        line[0] = label;
        for (int i = 0; i < 3; i++) {
            line[i + 1] = cell.apply(rows.get(i));
        }
        return line;
    }

    /** The startup target in the seed's words when every service has one profile ("8 s"), else the rule. */
    private static String target(DeploymentRequest req, double grace) {
        Set<Double> nominal = new HashSet<>();
        for (ServiceSpec s : req.services()) {
            nominal.add(s.startupSeconds());
        }
        if (nominal.size() == 1) {
            double n = nominal.iterator().next();
            return Numbers.fmt(n + grace) + " s (" + Numbers.fmt(n) + " s nominal + " + Numbers.fmt(grace)
                    + " s grace)";
        }
        return "nominal + " + Numbers.fmt(grace) + " s grace";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String seconds(double s) {
        return Numbers.fmt(s) + " s";
    }

    private static String json(DeploymentRequest req, Row row) {
        JsonObject o = new JsonObject();
        o.addProperty("requestId", req.requestId());
        o.addProperty("strategy", row.strategy());
        o.addProperty("admitted", row.result().isPresent());
        if (row.verdict() != null) {
            o.addProperty("verdict", row.verdict());
        }
        Optional<SimulationResult> r = row.result();
        o.addProperty("successRate", r.map(SimulationResult::successRate).orElse(null));
        o.addProperty("p50StartupSeconds", r.map(s -> millis(s.p50StartupSeconds())).orElse(null));
        o.addProperty("p95StartupSeconds", r.map(s -> millis(s.p95StartupSeconds())).orElse(null));
        o.addProperty("makespanSeconds", r.map(s -> millis(s.makespanSeconds())).orElse(null));
        o.addProperty("meetsBars", r.map(SimulationResult::meetsBars).orElse(false));
        return o.toString();
    }

    /** Seconds rounded to the millisecond, the planner's grid: more digits would be float noise, not information. */
    private static double millis(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static double grace(String flag) throws UsageError {
        if (flag == null) {
            return ConnectorSimulator.DEFAULT_GRACE_SECONDS;
        }
        try {
            double g = Double.parseDouble(flag.trim());
            if (g >= 0 && g <= 3600) {
                return g;
            }
        } catch (NumberFormatException e) {
            // Falls through to the one message for every bad value.
        }
        throw new UsageError("--grace: must be a number of seconds 0..3600, got " + flag);
    }

    private static Environment environment(Path file) throws UsageError {
        try {
            return Environment.read(file);
        } catch (Environment.Invalid e) {
            throw new UsageError(e.getMessage());
        }
    }

    private static Request fromRequestFile(Path file, Environment env) throws UsageError {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageError(file + ": cannot read: " + e.getMessage());
        }
        Validation v = RequestValidator.validate(bytes, env.policy());
        if (v instanceof Validation.Invalid bad) {
            throw new UsageError(file + ": not a valid DeploymentRequest: " + String.join("; ", bad.problems()));
        }
        // No reservations are counted, so the instant of the decision changes nothing: a fixed one keeps runs equal.
        return new Request(((Validation.Valid) v).request(), Instant.EPOCH);
    }

    /** Every valid request among the folder's gate-requests events, once per requestId, in file-name order. */
    private static List<Request> fromScenario(Path folder, Environment env, PrintStream err) throws UsageError {
        List<Path> files;
        try {
            files = Replay.eventFiles(folder);
        } catch (IOException e) {
            throw new UsageError(folder + ": cannot list: " + e.getMessage());
        }
        String requestsTopic = GateConfig.from(Map.of()).requestsTopic();
        Map<String, Request> byId = new LinkedHashMap<>();
        for (Path f : files) {
            EventFile e;
            try {
                e = EventFile.read(f);
            } catch (EventFile.Invalid bad) {
                throw new UsageError(bad.getMessage());
            }
            if (!e.topic().equals(requestsTopic)) {
                continue;
            }
            byte[] data = e.event().getData() == null ? new byte[0] : e.event().getData().toBytes();
            if (!(PubSubEnvelope.decode(data) instanceof PubSubEnvelope.Decoded.Message m)) {
                err.println("gate: " + f.getFileName() + ": not a Pub/Sub message; not simulated");
                continue;
            }
            Validation validation = RequestValidator.validate(m.message().data(), env.policy());
            if (validation instanceof Validation.Invalid bad) {
                List<String> problems = bad.problems();
                err.println("gate: " + f.getFileName() + ": not a valid DeploymentRequest (" + problems.get(0)
                        + (problems.size() > 1 ? " and " + (problems.size() - 1) + " more" : "") + "); not simulated");
                continue;
            }
            DeploymentRequest request = ((Validation.Valid) validation).request();
            byId.putIfAbsent(request.requestId(), new Request(request, e.event().getTime().toInstant()));
        }
        return new ArrayList<>(byId.values());
    }
}
