package dev.connectorgate.request;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a request's services array: each entry's fields, unique names, dependsOn references and cycles. */
final class Services {
    static final int MAX_SERVICES = 500;
    /** A Cloud Run service name. */
    static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,47}[a-z0-9])?");
    private static final IntegerRange INSTANCES = new IntegerRange(1, 1000);
    private static final PositiveRange STARTUP_MBPS = new PositiveRange(100_000);
    private static final PositiveRange STARTUP_SECONDS = new PositiveRange(3600);

    private final Policy policy;
    private final Problems problems;

    private Services(Policy policy, Problems problems) {
        this.policy = policy;
        this.problems = problems;
    }

    /** The services that are valid, in request order; everything wrong with the others goes to {@code problems}. */
    static List<ServiceSpec> read(Fields request, Policy policy, Problems problems) {
        Optional<JsonElement> services = request.required("services");
        if (services.isEmpty()) {
            return List.of();
        }
        if (!services.get().isJsonArray()) {
            problems.wrong("services", "must be an array of 1.." + MAX_SERVICES + " services", services.get());
            return List.of();
        }
        return new Services(policy, problems).read(services.get().getAsJsonArray());
    }

    private List<ServiceSpec> read(JsonArray entries) {
        if (entries.isEmpty() || entries.size() > MAX_SERVICES) {
            problems.add("services", "must have 1.." + MAX_SERVICES + " entries, got " + entries.size());
        }
        // Names first, so a dependsOn may refer forward and a duplicate can point back at its first occurrence.
        List<String> names = namesAsWritten(entries);
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null) {
                firstIndex.putIfAbsent(names.get(i), i);
            }
        }
        Dependencies dependencies = new Dependencies(firstIndex.keySet());
        List<ServiceSpec> specs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "services[" + i + "]";
            JsonElement entry = entries.get(i);
            if (!entry.isJsonObject()) {
                problems.wrong(path, "must be an object", entry);
                continue;
            }
            Fields fields = new Fields(entry.getAsJsonObject(), path, problems);
            Optional<String> name = uniqueName(fields, i, firstIndex);
            service(fields, name, names.get(i), dependencies).ifPresent(specs::add);
        }
        dependencies.reportCycles(problems);
        return specs;
    }

    private static List<String> namesAsWritten(JsonArray entries) {
        List<String> names = new ArrayList<>();
        for (JsonElement entry : entries) {
            JsonElement name = entry.isJsonObject() ? entry.getAsJsonObject().get("name") : null;
            boolean isString = name != null && name.isJsonPrimitive() && name.getAsJsonPrimitive().isString();
            names.add(isString ? name.getAsString() : null);
        }
        return names;
    }

    private Optional<String> uniqueName(Fields fields, int index, Map<String, Integer> firstIndex) {
        return fields.matching("name", NAME).filter(name -> {
            int first = firstIndex.get(name);
            if (first != index) {
                problems.add(fields.path("name"),
                        "must be unique in the request, got " + Problems.quote(name) + " already used by services["
                                + first + "]");
            }
            return first == index;
        });
    }

    private Optional<ServiceSpec> service(Fields fields, Optional<String> name, String nameAsWritten,
            Dependencies dependencies) {
        Optional<Long> instances = fields.integer("instances", INSTANCES);
        Optional<Double> mbps = fields.number("startupMbps", STARTUP_MBPS, policy.defaultStartupMbps());
        Optional<Double> seconds = fields.number("startupSeconds", STARTUP_SECONDS, policy.defaultStartupSeconds());
        List<String> dependsOn = fields.optional("dependsOn")
                .map(value -> dependencies.read(fields.path("dependsOn"), value, nameAsWritten, problems))
                .orElse(List.of());
        if (nameAsWritten != null) {
            dependencies.declare(nameAsWritten, dependsOn);
        }
        if (name.isEmpty() || instances.isEmpty() || mbps.isEmpty() || seconds.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceSpec(name.get(), Math.toIntExact(instances.get()), mbps.get(), seconds.get(),
                dependsOn));
    }
}
