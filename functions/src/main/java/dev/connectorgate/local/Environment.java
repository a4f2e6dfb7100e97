package dev.connectorgate.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.connectorgate.json.StrictJson;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The world the embedded default serves, read from a scenario's {@code environment.json} (contract: "Local replay"):
 * the connectors with their baseline load, and the policy.
 */
public record Environment(Map<String, Entry> connectors, Policy policy) {

    /** One connector as the file describes it, with the load the embedded default reports for it. */
    public record Entry(Connector connector, double baselineMbps) {
    }

    /** A file that cannot be used, with a message that says what is wrong and where. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    public Optional<Entry> connector(String name) {
        return Optional.ofNullable(connectors.get(name));
    }

    public static Environment read(Path file) throws Invalid {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Invalid(file + ": cannot read: " + e.getMessage());
        }
        try {
            return parse(text);
        } catch (Invalid e) {
            throw new Invalid(file + ": " + e.getMessage());
        }
    }

    public static Environment parse(String text) throws Invalid {
        StrictJson.Parsed parsed = StrictJson.parse(text);
        if (!parsed.ok()) {
            throw new Invalid("not JSON: " + parsed.problem());
        }
        if (!parsed.value().isJsonObject()) {
            throw new Invalid("must be a JSON object with \"connectors\" and \"policy\"");
        }
        JsonObject root = parsed.value().getAsJsonObject();
        Map<String, Entry> connectors = new LinkedHashMap<>();
        JsonElement list = root.get("connectors");
        if (list == null || !list.isJsonArray() || list.getAsJsonArray().isEmpty()) {
            throw new Invalid("connectors: must be a non-empty array");
        }
        JsonArray array = list.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            Entry entry = connector(array.get(i), "connectors[" + i + "]");
            if (connectors.put(entry.connector().name(), entry) != null) {
                throw new Invalid("connectors[" + i + "].name: duplicate " + entry.connector().name());
            }
        }
        return new Environment(Map.copyOf(connectors), policy(root.get("policy")));
    }

    private static Entry connector(JsonElement e, String path) throws Invalid {
        if (!e.isJsonObject()) {
            throw new Invalid(path + ": must be an object");
        }
        JsonObject o = e.getAsJsonObject();
        String name = string(o, "name", path);
        String type = o.has("machineType") ? string(o, "machineType", path) : "e2-micro";
        MachineType machineType = MachineType.fromWire(type).orElseThrow(() -> new Invalid(path
                + ".machineType: must be f1-micro, e2-micro or e2-standard-4, got " + type));
        int min = integer(o, "minInstances", path, 2);
        int max = integer(o, "maxInstances", path, Math.max(min + 1, 3));
        int running = integer(o, "instances", path, min);
        ConnectorState state = o.has("state") ? ConnectorState.fromWire(string(o, "state", path))
                : ConnectorState.READY;
        double baseline = number(o, "baselineMbps", path, 0);
        if (baseline < 0) {
            throw new Invalid(path + ".baselineMbps: must be >= 0, got " + baseline);
        }
        return new Entry(new Connector(name, machineType, min, max, running, state), baseline);
    }

    private static Policy policy(JsonElement e) throws Invalid {
        Policy d = Policy.DEFAULT;
        if (e == null || e.isJsonNull()) {
            return d;
        }
        if (!e.isJsonObject()) {
            throw new Invalid("policy: must be an object");
        }
        JsonObject o = e.getAsJsonObject();
        try {
            return new Policy(number(o, "targetUtilization", "policy", d.targetUtilization()),
                    number(o, "defaultStartupMbps", "policy", d.defaultStartupMbps()),
                    number(o, "defaultStartupSeconds", "policy", d.defaultStartupSeconds()),
                    (long) number(o, "leaseSeconds", "policy", d.leaseSeconds()),
                    (long) number(o, "waitRecheckSeconds", "policy", d.waitRecheckSeconds()));
        } catch (IllegalArgumentException bad) {
            throw new Invalid("policy: " + bad.getMessage());
        }
    }

    private static String string(JsonObject o, String field, String path) throws Invalid {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new Invalid(path + "." + field + ": must be a string");
        }
        return e.getAsString();
    }

    private static int integer(JsonObject o, String field, String path, int fallback) throws Invalid {
        double v = number(o, field, path, fallback);
        if (v != Math.rint(v) || v < 0 || v > 1000) {
            throw new Invalid(path + "." + field + ": must be a whole number 0..1000, got " + v);
        }
        return (int) v;
    }

    private static double number(JsonObject o, String field, String path, double fallback) throws Invalid {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new Invalid(path + "." + field + ": must be a number, got " + e);
        }
        return e.getAsDouble();
    }
}
