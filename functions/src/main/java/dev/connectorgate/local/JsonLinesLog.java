package dev.connectorgate.local;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.connectorgate.ports.EventLog;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured logs as one JSON object per line with {@code severity} and {@code message}: the shape Cloud Logging
 * parses from a function's output, and readable in a terminal too.
 */
public final class JsonLinesLog implements EventLog {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private final PrintStream out;
    private final Clock clock;
    private final Severity threshold;

    public JsonLinesLog(PrintStream out, Clock clock, Severity threshold) {
        this.out = out;
        this.clock = clock;
        this.threshold = threshold;
    }

    @Override
    public void log(Severity severity, String message, Map<String, ?> fields) {
        if (severity.ordinal() < threshold.ordinal()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("severity", severity.name());
        line.put("message", message);
        line.put("time", clock.instant().toString());
        fields.forEach((k, v) -> {
            if (v != null) {
                line.put(k, v);
            }
        });
        synchronized (out) {
            out.println(GSON.toJson(line));
        }
    }
}
