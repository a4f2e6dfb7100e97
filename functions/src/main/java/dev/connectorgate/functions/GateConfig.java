package dev.connectorgate.functions;

import dev.connectorgate.model.Policy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting the functions read, from environment variables, read once at the composition root. The names and
 * defaults here are the ones the README documents and Terraform sets.
 */
public record GateConfig(
        String requestsTopic, String decisionsTopic, String alertsTopic, String buildsTopic, String ticksTopic,
        Policy policy, Optional<Path> environmentFile, Optional<Path> decisionsFile) {

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
    /** Set to run on the embedded default: connectors and load from this environment.json, ledger in memory. */
    public static final String ENVIRONMENT_FILE = "GATE_ENVIRONMENT_FILE";
    /** With the embedded default: append published decisions to this file as JSON lines. */
    public static final String DECISIONS_FILE = "GATE_DECISIONS_FILE";

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
        } catch (IllegalArgumentException e) {
            throw e instanceof Invalid ? e : new Invalid("policy settings: " + e.getMessage());
        }
        return new GateConfig(text(env, REQUESTS_TOPIC, "gate-requests"), text(env, DECISIONS_TOPIC, "gate-decisions"),
                text(env, ALERTS_TOPIC, "connector-alerts"), text(env, BUILDS_TOPIC, "cloud-builds"),
                text(env, TICKS_TOPIC, "gate-ticks"), policy, path(env, ENVIRONMENT_FILE), path(env, DECISIONS_FILE));
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v.trim()));
    }

    private static double number(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new Invalid(name + ": must be a number, got \"" + v + "\"");
        }
    }
}
