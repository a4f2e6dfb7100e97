package dev.connectorgate.functions;

import dev.connectorgate.admission.GateService;
import dev.connectorgate.decision.Gate;
import dev.connectorgate.json.DecisionJson;
import dev.connectorgate.ledger.InMemoryLedger;
import dev.connectorgate.ledger.Ledger;
import dev.connectorgate.local.Environment;
import dev.connectorgate.local.EnvironmentInventory;
import dev.connectorgate.local.EnvironmentLoad;
import dev.connectorgate.local.FileDecisionPublisher;
import dev.connectorgate.local.JsonLinesLog;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.DecisionPublisher;
import dev.connectorgate.ports.EventLog;
import java.time.Clock;
import java.util.Map;

/**
 * The composition root: the service, the publisher and the log a function instance uses, built once from its
 * configuration. The embedded default and production differ only in the adapters wired here.
 */
public record GateRuntime(GateConfig config, GateService service, DecisionPublisher publisher, EventLog log) {

    /** Built by each function's public no-argument constructor, from the process environment. */
    public static GateRuntime fromEnvironment(Map<String, String> env) {
        GateConfig config = GateConfig.from(env);
        Clock clock = Clock.systemUTC();
        EventLog log = new JsonLinesLog(System.out, clock, EventLog.Severity.INFO);
        if (config.environmentFile().isEmpty()) {
            throw new IllegalStateException("no production adapters are wired yet: set " + GateConfig.ENVIRONMENT_FILE
                    + " to an environment.json to run on the embedded default");
        }
        Environment environment;
        try {
            environment = Environment.read(config.environmentFile().get());
        } catch (Environment.Invalid e) {
            throw new IllegalStateException(GateConfig.ENVIRONMENT_FILE + ": " + e.getMessage(), e);
        }
        DecisionPublisher publisher = config.decisionsFile().<DecisionPublisher>map(FileDecisionPublisher::new)
                .orElse(d -> log.log(EventLog.Severity.INFO, "decision published", Map.of("requestId",
                        String.valueOf(d.requestId()), "verdict", d.verdict().name(), "decision",
                        DecisionJson.toTree(d))));
        return embedded(config, environment, clock, publisher, log, new InMemoryLedger());
    }

    /** The embedded default: connectors and load from an environment file, the ledger in memory. */
    public static GateRuntime embedded(GateConfig config, Environment environment, Clock clock,
            DecisionPublisher publisher, EventLog log, Ledger ledger) {
        Gate gate = new Gate(new WavePlanner(), environment.policy());
        GateService service = new GateService(gate, ledger, new EnvironmentInventory(environment),
                new EnvironmentLoad(environment, clock), clock, log, config.inputs());
        return new GateRuntime(config, service, publisher, log);
    }
}
