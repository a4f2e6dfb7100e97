package dev.connectorgate.functions;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.connectorgate.admission.GateService;
import dev.connectorgate.decision.Gate;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import dev.connectorgate.gcp.FirestoreLedger;
import dev.connectorgate.gcp.GcpClients;
import dev.connectorgate.gcp.MonitoredInventory;
import dev.connectorgate.gcp.MonitoringLoadSource;
import dev.connectorgate.gcp.VpcAccessInventory;
import dev.connectorgate.gcp.PubSubDecisionPublisher;
import dev.connectorgate.ledger.InMemoryLedger;
import dev.connectorgate.ledger.Ledger;
import dev.connectorgate.local.Environment;
import dev.connectorgate.local.EnvironmentInventory;
import dev.connectorgate.local.EnvironmentLoad;
import dev.connectorgate.local.FileDecisionPublisher;
import dev.connectorgate.local.JsonLinesLog;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.CachingInventory;
import dev.connectorgate.ports.ConnectorInventory;
import dev.connectorgate.ports.DecisionPublisher;
import dev.connectorgate.ports.LastKnownLoad;
import dev.connectorgate.ports.EventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The composition root: the service, the publisher and the log a function instance uses, built once from its
 * configuration. The embedded default and production differ only in the adapters wired here.
 */
public record GateRuntime(GateConfig config, GateService service, DecisionPublisher publisher, EventLog log) {

    /** GATE_PROJECT's stand-in on the emulators, which accept any project id. */
    public static final String LOCAL_PROJECT = "connector-gate-local";
    /** Read here from the same map as the rest of the configuration, rather than left to the Firestore client. */
    public static final String FIRESTORE_EMULATOR_HOST = "FIRESTORE_EMULATOR_HOST";

    /**
     * Built by each function's public no-argument constructor, from the process environment. The clients made here
     * live as long as the function instance: one Firestore client and one publisher serve every invocation.
     *
     * <p>Without an environment file this is production: VPC Access, Monitoring, Firestore and Pub/Sub. With one,
     * connectors and load come from that file, and the ledger and the decisions go where the configuration says:
     * memory or Firestore, a file or Pub/Sub (the emulators, under {@code gate up}).
     */
    public static GateRuntime fromEnvironment(Map<String, String> env) {
        GateConfig config = GateConfig.from(env);
        Clock clock = Clock.systemUTC();
        EventLog log = new JsonLinesLog(System.out, clock, EventLog.Severity.INFO);
        Optional<String> firestoreEmulator = Optional.ofNullable(env.get(FIRESTORE_EMULATOR_HOST))
                .filter(h -> !h.isBlank());
        Ledger ledger = switch (config.ledger()) {
            case MEMORY -> new InMemoryLedger();
            case FIRESTORE -> new FirestoreLedger(firestore(config, firestoreEmulator), config.firestorePrefix(),
                    config.ledgerTimeout(), FirestoreLedger.DEFAULT_ATTEMPTS);
        };
        DecisionPublisher publisher = publisher(config);
        if (config.environmentFile().isEmpty()) {
            try {
                return cloud(config, clock, log, ledger, publisher, GcpClients.vpcAccess(config.apiTimeout()),
                        GcpClients.monitoring(config.apiTimeout()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the VPC Access and Monitoring clients", e);
            }
        }
        Environment environment;
        try {
            environment = Environment.read(config.environmentFile().get());
        } catch (Environment.Invalid e) {
            throw new IllegalStateException(GateConfig.ENVIRONMENT_FILE + ": " + e.getMessage(), e);
        }
        return embedded(config, environment, clock, publisher, log, ledger);
    }

    /**
     * Production: the connector from VPC Access (its running instances refined by Monitoring, its shape cached and
     * served through short outages), its load from Monitoring (the last good reading kept for the failure policy
     * to judge), the policy from the configuration.
     */
    public static GateRuntime cloud(GateConfig config, Clock clock, EventLog log, Ledger ledger,
            DecisionPublisher publisher, VpcAccessServiceClient vpcAccess, MetricServiceClient monitoring) {
        MonitoringLoadSource loads = new MonitoringLoadSource(monitoring, clock, config.monitoringWindow());
        ConnectorInventory inventory = new CachingInventory(
                new MonitoredInventory(new VpcAccessInventory(vpcAccess), loads::runningInstances), clock,
                config.inventoryTtl(), config.inventoryMaxStale(), CachingInventory.DEFAULT_NOT_FOUND_TTL);
        Gate gate = new Gate(new WavePlanner(), config.policy());
        GateService service = new GateService(gate, ledger, inventory, new LastKnownLoad(loads), clock, log,
                config.inputs());
        return new GateRuntime(config, service, publisher, log);
    }

    /** The embedded default: connectors and load from an environment file, decisions kept in the given ledger. */
    public static GateRuntime embedded(GateConfig config, Environment environment, Clock clock,
            DecisionPublisher publisher, EventLog log, Ledger ledger) {
        Gate gate = new Gate(new WavePlanner(), environment.policy());
        GateService service = new GateService(gate, ledger, new EnvironmentInventory(environment),
                new EnvironmentLoad(environment, clock), clock, log, config.inputs());
        return new GateRuntime(config, service, publisher, log);
    }

    /** Decisions to GATE_DECISIONS_FILE when set (local runs without Pub/Sub), else to the decisions topic. */
    private static DecisionPublisher publisher(GateConfig config) {
        if (config.decisionsFile().isPresent()) {
            return new FileDecisionPublisher(config.decisionsFile().get());
        }
        String project = config.emulatorHost().isPresent() ? config.project().orElse(LOCAL_PROJECT)
                : config.requireProject();
        try {
            return PubSubDecisionPublisher.create(project, config.decisionsTopic(), config.emulatorHost(),
                    config.publishTimeout());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the publisher for topic " + config.decisionsTopic(), e);
        }
    }

    /** The Firestore client: on the emulator when FIRESTORE_EMULATOR_HOST is set, else on Google. */
    private static Firestore firestore(GateConfig config, Optional<String> emulatorHost) {
        FirestoreOptions.Builder options = FirestoreOptions.newBuilder().setDatabaseId(config.firestoreDatabase());
        if (emulatorHost.isPresent()) {
            // No credentials of our own: the builder wires the emulator's plaintext channel and its fake
            // credentials only while none are set (with NoCredentials it silently goes to firestore.googleapis.com).
            options.setProjectId(config.project().orElse(LOCAL_PROJECT)).setEmulatorHost(emulatorHost.get());
        } else {
            options.setProjectId(config.requireProject());
        }
        return options.build().getService();
    }
}
