package dev.connectorgate.ports;

import java.util.Map;

/** Port: structured log events (production: JSON lines Cloud Logging understands; replay: standard error). */
public interface EventLog {
    /** Cloud Logging's severities, the ones the gate uses. */
    enum Severity { DEBUG, INFO, NOTICE, WARNING, ERROR }

    void log(Severity severity, String message, Map<String, ?> fields);
}
