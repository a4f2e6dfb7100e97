package dev.connectorgate.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A Cloud Monitoring incident on a connector, as last recorded: while one is open, the connector's requests WAIT.
 *
 * @param startedAt  when the incident opened (from the notification)
 * @param endedAt    when it closed, null while open
 * @param summary    what the alert said, for the WAIT reason
 */
public record Incident(String incidentId, String connector, boolean open, Instant startedAt, Instant endedAt,
        String summary) {
    public Incident {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(summary, "summary");
    }

    /**
     * The instant this notification describes: its close time if closed, else its open time. A message is stale
     * when this is older than what is recorded; a close always wins over an open at the same instant.
     */
    public Instant asOf() {
        if (!open && endedAt != null) {
            return endedAt;
        }
        return startedAt == null ? Instant.EPOCH : startedAt;
    }

    /** True when this notification should replace {@code recorded}: newer, or a close of the same moment. */
    public boolean supersedes(Incident recorded) {
        int cmp = asOf().compareTo(recorded.asOf());
        if (cmp != 0) {
            return cmp > 0;
        }
        return recorded.open && !open;
    }
}
