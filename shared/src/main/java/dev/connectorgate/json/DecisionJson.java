package dev.connectorgate.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.decision.CapacitySnapshot;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Remedy;
import dev.connectorgate.decision.Verdict;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import dev.connectorgate.plan.Wave;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The GateDecision wire format (contract: GateDecision), both ways. Written by hand rather than by reflection so the
 * field names, their order and which are null are exactly the contract's, whatever the records look like inside.
 */
public final class DecisionJson {
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private DecisionJson() {
    }

    /** One line of JSON. */
    public static String write(GateDecision d) {
        return GSON.toJson(toTree(d));
    }

    public static JsonObject toTree(GateDecision d) {
        JsonObject o = new JsonObject();
        o.addProperty("requestId", d.requestId());
        o.addProperty("buildId", d.buildId());
        o.addProperty("connector", d.connector());
        o.addProperty("verdict", d.verdict().name());
        o.add("reasons", strings(d.reasons()));
        o.addProperty("decidedAt", d.decidedAt().toString());
        o.add("capacity", capacity(d.capacity()));
        o.add("waves", waves(d.plan()));
        o.add("makespanSeconds", seconds(d.makespanMillis()));
        o.add("lowerBoundSeconds", seconds(d.lowerBoundMillis()));
        JsonArray remedies = new JsonArray();
        d.remedies().forEach(r -> remedies.add(remedy(r)));
        o.add("remedies", remedies);
        if (d.retryAfterSeconds() == null) {
            o.add("retryAfterSeconds", JsonNull.INSTANCE);
        } else {
            o.addProperty("retryAfterSeconds", d.retryAfterSeconds());
        }
        o.add("degraded", strings(d.degraded()));
        return o;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static JsonElement capacity(CapacitySnapshot c) {
        if (c == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.addProperty("connectorMbps", round(c.connectorMbps()));
        o.addProperty("usableMbps", round(c.usableMbps()));
        o.addProperty("baselineMbps", round(c.baselineMbps()));
        o.addProperty("reservedMbps", round(c.reservedMbps()));
        o.addProperty("headroomMbps", round(c.headroomMbps()));
        return o;
    }

    // Capacity figures are products of floats (2 × 100 × 0.8); three decimals keep 160.00000000000003 off the wire.
    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static JsonArray waves(Plan plan) {
        JsonArray a = new JsonArray();
        if (plan == null) {
            return a;
        }
        for (Wave w : plan.waves()) {
            JsonObject o = new JsonObject();
            o.addProperty("startOffsetSeconds", Numbers.seconds(w.startOffsetMillis()));
            JsonArray services = new JsonArray();
            for (Start s : w.starts()) {
                JsonObject e = new JsonObject();
                e.addProperty("name", s.service());
                e.addProperty("instances", s.instances());
                services.add(e);
            }
            o.add("services", services);
            a.add(o);
        }
        return a;
    }

    private static JsonElement seconds(Long millis) {
        return millis == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(Numbers.seconds(millis));
    }

    private static JsonObject remedy(Remedy r) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", r.kind());
        if (r instanceof Remedy.ScaleConnector s) {
            o.addProperty("machineType", s.machineType().wireName());
            o.addProperty("instances", s.instances());
        } else if (r instanceof Remedy.RetryAfter ra) {
            o.addProperty("seconds", ra.seconds());
        }
        o.addProperty("detail", r.detail());
        return o;
    }

    /** Reads a decision back (the ledger's stored copy, a test's expectation); throws on anything malformed. */
    public static GateDecision read(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Verdict verdict = Verdict.valueOf(o.get("verdict").getAsString());
        Plan plan = null;
        if (verdict.admits()) {
            List<Start> starts = new ArrayList<>();
            for (JsonElement w : o.getAsJsonArray("waves")) {
                long offset = Math.round(w.getAsJsonObject().get("startOffsetSeconds").getAsDouble() * 1000);
                for (JsonElement s : w.getAsJsonObject().getAsJsonArray("services")) {
                    JsonObject so = s.getAsJsonObject();
                    starts.add(new Start(so.get("name").getAsString(), offset, so.get("instances").getAsInt()));
                }
            }
            plan = new Plan(starts, millis(o.get("makespanSeconds")));
        }
        List<Remedy> remedies = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("remedies")) {
            remedies.add(readRemedy(e.getAsJsonObject()));
        }
        return new GateDecision(text(o, "requestId"), text(o, "buildId"), text(o, "connector"), verdict,
                readStrings(o.getAsJsonArray("reasons")), Instant.parse(o.get("decidedAt").getAsString()),
                readCapacity(o.get("capacity")), plan, nullableMillis(o.get("lowerBoundSeconds")), remedies,
                o.get("retryAfterSeconds") == null || o.get("retryAfterSeconds").isJsonNull() ? null
                        : o.get("retryAfterSeconds").getAsLong(),
                o.has("degraded") ? readStrings(o.getAsJsonArray("degraded")) : List.of());
    }

    private static Remedy readRemedy(JsonObject o) {
        String detail = text(o, "detail");
        switch (o.get("kind").getAsString()) {
            case "SCALE_CONNECTOR":
                return new Remedy.ScaleConnector(MachineType.fromWire(o.get("machineType").getAsString())
                        .orElseThrow(), o.get("instances").getAsInt(), detail);
            case "RETRY_AFTER":
                return new Remedy.RetryAfter(o.get("seconds").getAsLong(), detail);
            case "DIRECT_VPC_EGRESS":
                return new Remedy.DirectVpcEgress(detail);
            default:
                throw new IllegalArgumentException("unknown remedy kind " + o.get("kind"));
        }
    }

    private static CapacitySnapshot readCapacity(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        return new CapacitySnapshot(o.get("connectorMbps").getAsDouble(), o.get("usableMbps").getAsDouble(),
                o.get("baselineMbps").getAsDouble(), o.get("reservedMbps").getAsDouble(),
                o.get("headroomMbps").getAsDouble());
    }

    private static List<String> readStrings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static long millis(JsonElement e) {
        return Math.round(e.getAsDouble() * 1000);
    }

    private static Long nullableMillis(JsonElement e) {
        return e == null || e.isJsonNull() ? null : millis(e);
    }
}
