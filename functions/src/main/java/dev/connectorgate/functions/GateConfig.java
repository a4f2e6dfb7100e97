package dev.connectorgate.functions;

import dev.connectorgate.admission.InputPolicy;
import dev.connectorgate.model.Policy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the functions read, from environment variables, read once at the composition root. The names and
 * defaults here are the ones the README documents and Terraform sets.
 *
 * @param project        the Google Cloud project the gate's topics and ledger live in
 * @param ledger         where reservations and decisions are kept: Firestore in production, memory for local runs
 * @param apiTimeout     per-call budget for VPC Access and Monitoring, retries included
 * @param ledgerTimeout  budget for one ledger transaction, contended retries included; past it the event fails and
 *                       Pub/Sub redelivers it
 * @param publishTimeout budget for publishing one decision; past it the event fails and Pub/Sub redelivers it
 * @param inventoryTtl   how long a connector's shape is reused before VPC Access is asked again
 * @param inventoryMaxStale how long the last known shape still serves while VPC Access cannot answer
 * @param emulatorHost   PUBSUB_EMULATOR_HOST: publish to the Pub/Sub emulator instead of Google
 */
public record GateConfig(
        String requestsTopic, String decisionsTopic, String alertsTopic, String buildsTopic, String ticksTopic,
        Policy policy, InputPolicy inputs, Optional<String> project, LedgerKind ledger, String firestoreDatabase,
        String firestorePrefix, Duration apiTimeout, Duration ledgerTimeout, Duration publishTimeout,
        Duration monitoringWindow, Duration inventoryTtl,
        Duration inventoryMaxStale, Optional<Path> environmentFile, Optional<Path> decisionsFile,
        Optional<String> emulatorHost) {

    /** Where the ledger lives. */
    public enum LedgerKind { FIRESTORE, MEMORY }

    public static final String REQUESTS_TOPIC = "GATE_REQUESTS_TOPIC";
    public static final String DECISIONS_TOPIC = "GATE_DECISIONS_TOPIC";
    public static final String ALERTS_TOPIC = "GATE_ALERTS_TOPIC";
    public static final String BUILDS_TOPIC = "GATE_BUILDS_TOPIC";
    public static final String TICKS_TOPIC = "GATE_TICKS_TOPIC";
    public static final String TARGET_UTILIZATION = "GATE_TARGET_UTILIZATION";
    public static final String DEFAULT_STARTUP_MBPS = "GATE_DEFAULT_STARTUP_MBPS";
    public static final String DEFAULT_STARTUP_SECONDS = "GATE_DEFAULT_STARTUP_SECONDS";
    public static final String LEASE_SECONDS = "GATE_LEASE_SECONDS";
    public static final String WAIT_RECHECK_SECONDS = "GATE_WAIT_RECHECK_SECONDS";
    /** closed (default): WAIT when load data is stale or gone; open: plan with a safe assumed baseline. */
    public static final String FAIL_MODE = "GATE_FAIL_MODE";
    public static final String LOAD_MAX_AGE_SECONDS = "GATE_LOAD_MAX_AGE_SECONDS";
    public static final String SAFE_BASELINE_FRACTION = "GATE_SAFE_BASELINE_FRACTION";
    public static final String PROJECT = "GATE_PROJECT";
    /** firestore (default in the cloud) or memory (default with an environment file). */
    public static final String LEDGER = "GATE_LEDGER";
    public static final String FIRESTORE_DATABASE = "GATE_FIRESTORE_DATABASE";
    public static final String FIRESTORE_PREFIX = "GATE_FIRESTORE_PREFIX";
    public static final String API_TIMEOUT_SECONDS = "GATE_API_TIMEOUT_SECONDS";
    public static final String LEDGER_TIMEOUT_SECONDS = "GATE_LEDGER_TIMEOUT_SECONDS";
    public static final String PUBLISH_TIMEOUT_SECONDS = "GATE_PUBLISH_TIMEOUT_SECONDS";
    public static final String MONITORING_WINDOW_SECONDS = "GATE_MONITORING_WINDOW_SECONDS";
    public static final String INVENTORY_TTL_SECONDS = "GATE_INVENTORY_TTL_SECONDS";
    public static final String INVENTORY_MAX_STALE_SECONDS = "GATE_INVENTORY_MAX_STALE_SECONDS";
    /** Set to run on the embedded default: connectors and load from this environment.json. */
    public static final String ENVIRONMENT_FILE = "GATE_ENVIRONMENT_FILE";
    /** Append published decisions to this file as JSON lines instead of publishing them (local runs). */
    public static final String DECISIONS_FILE = "GATE_DECISIONS_FILE";
    /** The Pub/Sub emulator's host:port; the Java client does not read it by itself. */
    public static final String PUBSUB_EMULATOR_HOST = "PUBSUB_EMULATOR_HOST";

    /** A setting with a value that cannot be used; the message names the variable. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    public static GateConfig from(Map<String, String> env) {
        Policy d = Policy.DEFAULT;
        Policy policy;
        try {
            policy = new Policy(number(env, TARGET_UTILIZATION, d.targetUtilization()),
                    number(env, DEFAULT_STARTUP_MBPS, d.defaultStartupMbps()),
                    number(env, DEFAULT_STARTUP_SECONDS, d.defaultStartupSeconds()),
                    (long) number(env, LEASE_SECONDS, d.leaseSeconds()),
                    (long) number(env, WAIT_RECHECK_SECONDS, d.waitRecheckSeconds()));
        } catch (Invalid e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new Invalid("policy settings: " + e.getMessage());
        }
        InputPolicy inputs;
        try {
            InputPolicy di = InputPolicy.DEFAULT;
            inputs = new InputPolicy(choice(env, FAIL_MODE, InputPolicy.FailMode.class, di.failMode()),
                    seconds(env, LOAD_MAX_AGE_SECONDS, di.loadMaxAge()),
                    number(env, SAFE_BASELINE_FRACTION, di.safeBaselineFraction()));
        } catch (Invalid e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new Invalid("input policy settings: " + e.getMessage());
        }
        Optional<Path> environmentFile = path(env, ENVIRONMENT_FILE);
        LedgerKind ledger = choice(env, LEDGER, LedgerKind.class,
                environmentFile.isPresent() ? LedgerKind.MEMORY : LedgerKind.FIRESTORE);
        Optional<String> project = optional(env, PROJECT).or(() -> optional(env, "GOOGLE_CLOUD_PROJECT"));
        return new GateConfig(text(env, REQUESTS_TOPIC, "gate-requests"), text(env, DECISIONS_TOPIC, "gate-decisions"),
                text(env, ALERTS_TOPIC, "connector-alerts"), text(env, BUILDS_TOPIC, "cloud-builds"),
                text(env, TICKS_TOPIC, "gate-ticks"), policy, inputs, project, ledger,
                text(env, FIRESTORE_DATABASE, "(default)"), text(env, FIRESTORE_PREFIX, "gate"),
                seconds(env, API_TIMEOUT_SECONDS, Duration.ofSeconds(5)),
                seconds(env, LEDGER_TIMEOUT_SECONDS, Duration.ofSeconds(45)),
                seconds(env, PUBLISH_TIMEOUT_SECONDS, Duration.ofSeconds(10)),
                seconds(env, MONITORING_WINDOW_SECONDS, Duration.ofMinutes(10)),
                seconds(env, INVENTORY_TTL_SECONDS, Duration.ofSeconds(60)),
                seconds(env, INVENTORY_MAX_STALE_SECONDS, Duration.ofMinutes(10)), environmentFile,
                path(env, DECISIONS_FILE), optional(env, PUBSUB_EMULATOR_HOST));
    }

    /** The project, or a message saying which variable to set: the cloud adapters cannot work without one. */
    public String requireProject() {
        return project.orElseThrow(() -> new Invalid(PROJECT + ": set it to the Google Cloud project id"
                + " (or let the runtime set GOOGLE_CLOUD_PROJECT)"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        return optional(env, name).orElse(fallback);
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        return optional(env, name).map(Path::of);
    }

    private static <E extends Enum<E>> E choice(Map<String, String> env, String name, Class<E> type, E fallback) {
        Optional<String> v = optional(env, name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Invalid(name + ": must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    .toLowerCase(Locale.ROOT) + ", got \"" + v.get() + "\"");
        }
    }

    private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
        double v = number(env, name, fallback.toSeconds());
        if (!(v > 0)) {
            throw new Invalid(name + ": must be a positive number of seconds, got " + v);
        }
        return Duration.ofMillis(Math.round(v * 1000));
    }

    private static double number(Map<String, String> env, String name, double fallback) {
        Optional<String> v = optional(env, name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(v.get());
            if (!Double.isFinite(parsed)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new Invalid(name + ": must be a number, got \"" + v.get() + "\"");
        }
    }
}
