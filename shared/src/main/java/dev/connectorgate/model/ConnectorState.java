package dev.connectorgate.model;

/** Lifecycle states of a Serverless VPC Access connector, as the VPC Access API reports them. */
public enum ConnectorState {
    READY,
    CREATING,
    UPDATING,
    DELETING,
    ERROR,
    STATE_UNSPECIFIED;

    /** Unknown spellings map to STATE_UNSPECIFIED rather than failing: the API may add states. */
    public static ConnectorState fromWire(String s) {
        if (s == null) {
            return STATE_UNSPECIFIED;
        }
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return STATE_UNSPECIFIED;
        }
    }
}
