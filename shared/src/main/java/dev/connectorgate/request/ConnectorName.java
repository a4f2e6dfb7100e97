package dev.connectorgate.request;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The contract's connector name, {@code projects/P/locations/L/connectors/C}, checked segment by segment.
 *
 * <p>Each segment follows Google's own rule rather than a loose {@code [A-Za-z0-9._-]+}: reservations are keyed by
 * this name, so a spelling the VPC Access API would never return (a project number for the project id, a zone for
 * the region) must be refused here rather than silently counted apart from the connector's other reservations.
 */
final class ConnectorName {
    static final String SHAPE = "projects/PROJECT/locations/REGION/connectors/NAME";

    private record Segment(String collection, String expected, Pattern pattern) {}

    // Odd path positions hold the ids; the even ones must be these collection names.
    private static final List<Segment> SEGMENTS = List.of(
            new Segment("projects",
                    "project must be a project id, optionally domain-scoped (example.com:my-project)",
                    Pattern.compile("([a-z0-9][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]")),
            new Segment("locations",
                    "location must be a region such as us-central1",
                    Pattern.compile("[a-z][-a-z0-9]{0,61}[0-9]")),
            new Segment("connectors",
                    "connector id must match [a-z][-a-z0-9]{0,23}[a-z0-9] (at most 25 characters)",
                    Pattern.compile("[a-z][-a-z0-9]{0,23}[a-z0-9]")));

    private ConnectorName() {}

    /** Reports each bad segment of {@code name} (or its shape, when the segments cannot be told apart). */
    static boolean check(String path, String name, Problems problems) {
        String[] parts = name.split("/", -1);
        if (!hasShape(parts)) {
            problems.add(path, "must be " + SHAPE + ", got " + Problems.quote(name));
            return false;
        }
        boolean valid = true;
        for (int i = 0; i < SEGMENTS.size(); i++) {
            Segment segment = SEGMENTS.get(i);
            String id = parts[2 * i + 1];
            if (!segment.pattern().matcher(id).matches()) {
                problems.add(path, segment.expected() + ", got " + Problems.quote(id));
                valid = false;
            }
        }
        return valid;
    }

    private static boolean hasShape(String[] parts) {
        if (parts.length != 2 * SEGMENTS.size()) {
            return false;
        }
        for (int i = 0; i < SEGMENTS.size(); i++) {
            if (!parts[2 * i].equals(SEGMENTS.get(i).collection())) {
                return false;
            }
        }
        return true;
    }
}
