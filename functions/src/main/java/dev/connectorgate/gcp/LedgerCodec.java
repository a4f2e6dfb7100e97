package dev.connectorgate.gcp;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.ledger.WaitingRequest;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Incident;
import dev.connectorgate.model.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Firestore form of the ledger's records and the encoding of the keys that become document ids.
 *
 * <p>Records become plain field maps (what {@code DocumentSnapshot.getData()} gives back), so the codec is tested
 * without Firestore. Instants are stored as RFC 3339 strings, not Firestore timestamps: those keep microseconds only,
 * and a reservation read back must equal the one written. A reservation's rectangles are one compact JSON string
 * rather than an array: a 500-service plan has thousands of them, and every array element would be an index entry
 * (Firestore allows 40,000 per document).
 */
final class LedgerCodec {
    private LedgerCodec() {
    }

    /**
     * A document id for any key: letters, digits and '-' stay, every other byte of its UTF-8 becomes %XX, and the
     * empty key becomes "%". Connector names hold '/', which would open a subcollection; escaping '.' and '_' as
     * well rules out Firestore's reserved ids ".", ".." and "__x__". The mapping is one-to-one.
     */
    static String docId(String key) {
        if (key.isEmpty()) {
            return "%";
        }
        StringBuilder sb = new StringBuilder(key.length());
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    static Map<String, Object> reservation(Reservation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", r.requestId());
        m.put("buildId", r.buildId());
        m.put("connector", r.connector());
        m.put("decidedAt", r.decidedAt().toString());
        m.put("expiresAt", r.expiresAt().toString());
        // Not read back (it follows from the rest): there for people looking at the console.
        m.put("endsAt", r.endsAt().toString());
        JsonArray usage = new JsonArray();
        for (StepFunction.Rectangle rect : r.usage()) {
            JsonArray a = new JsonArray();
            a.add(rect.fromMillis());
            a.add(rect.toMillis());
            a.add(rect.height());
            usage.add(a);
        }
        m.put("usage", usage.toString());
        return m;
    }

    static Reservation reservation(Map<String, Object> m) {
        List<StepFunction.Rectangle> usage = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(text(m, "usage")).getAsJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            usage.add(new StepFunction.Rectangle(a.get(0).getAsLong(), a.get(1).getAsLong(), a.get(2).getAsDouble()));
        }
        return new Reservation(text(m, "requestId"), text(m, "buildId"), text(m, "connector"),
                instant(m, "decidedAt"), usage, instant(m, "expiresAt"));
    }

    static Map<String, Object> incident(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("incidentId", i.incidentId());
        m.put("connector", i.connector());
        m.put("open", i.open());
        m.put("startedAt", i.startedAt() == null ? null : i.startedAt().toString());
        m.put("endedAt", i.endedAt() == null ? null : i.endedAt().toString());
        m.put("summary", i.summary());
        return m;
    }

    static Incident incident(Map<String, Object> m) {
        return new Incident(text(m, "incidentId"), text(m, "connector"), Boolean.TRUE.equals(m.get("open")),
                nullableInstant(m, "startedAt"), nullableInstant(m, "endedAt"), text(m, "summary"));
    }

    /** A waiting request; its connector is a field of its own so that it can be queried. */
    static Map<String, Object> waiting(WaitingRequest w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", w.request().requestId());
        m.put("connector", w.connector());
        m.put("queuedAt", w.queuedAt().toString());
        m.put("deadline", w.deadline().toString());
        m.put("request", request(w.request()));
        return m;
    }

    @SuppressWarnings("unchecked")
    static WaitingRequest waiting(Map<String, Object> m) {
        return new WaitingRequest(request((Map<String, Object>) m.get("request")), instant(m, "queuedAt"),
                instant(m, "deadline"));
    }

    static Map<String, Object> request(DeploymentRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requestId", r.requestId());
        m.put("buildId", r.buildId());
        m.put("connector", r.connector());
        m.put("deadlineSeconds", r.deadlineSeconds());
        List<Map<String, Object>> services = new ArrayList<>();
        for (ServiceSpec s : r.services()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("name", s.name());
            sm.put("instances", (long) s.instances());
            sm.put("startupMbps", s.startupMbps());
            sm.put("startupSeconds", s.startupSeconds());
            sm.put("dependsOn", s.dependsOn());
            services.add(sm);
        }
        m.put("services", services);
        return m;
    }

    @SuppressWarnings("unchecked")
    static DeploymentRequest request(Map<String, Object> m) {
        List<ServiceSpec> services = new ArrayList<>();
        for (Map<String, Object> sm : (List<Map<String, Object>>) m.get("services")) {
            services.add(new ServiceSpec(text(sm, "name"), Math.toIntExact(number(sm, "instances").longValue()),
                    number(sm, "startupMbps").doubleValue(), number(sm, "startupSeconds").doubleValue(),
                    (List<String>) sm.get("dependsOn")));
        }
        return new DeploymentRequest(text(m, "requestId"), text(m, "buildId"), text(m, "connector"),
                number(m, "deadlineSeconds").longValue(), services);
    }

    private static String text(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("ledger document field " + field + ": expected a string, got " + v);
        }
        return s;
    }

    // Firestore returns whole numbers as Long and others as Double, whichever Java type was written.
    private static Number number(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("ledger document field " + field + ": expected a number, got " + v);
        }
        return n;
    }

    private static Instant instant(Map<String, Object> m, String field) {
        return Instant.parse(text(m, field));
    }

    private static Instant nullableInstant(Map<String, Object> m, String field) {
        return m.get(field) == null ? null : instant(m, field);
    }
}
