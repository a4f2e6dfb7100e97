package dev.connectorgate.model;

/**
 * The operator's rules for admission.
 *
 * @param targetUtilization     share of the connector's throughput the gate may plan with (0 < x <= 1)
 * @param defaultStartupMbps    startup bandwidth of an instance whose service does not say
 * @param defaultStartupSeconds startup duration of an instance whose service does not say
 * @param leaseSeconds          a reservation is dropped this long after its decision even if no build status comes
 * @param waitRecheckSeconds    the retry hint a WAIT carries: how soon a pipeline may look again
 */
public record Policy(
        double targetUtilization, double defaultStartupMbps, double defaultStartupSeconds, long leaseSeconds,
        long waitRecheckSeconds) {

    public static final Policy DEFAULT = new Policy(0.8, 30.0, 8.0, 3600, 60);

    public Policy {
        if (!(targetUtilization > 0 && targetUtilization <= 1)) {
            throw new IllegalArgumentException("targetUtilization must be in (0, 1], got " + targetUtilization);
        }
        if (!(defaultStartupMbps > 0 && defaultStartupMbps <= 100_000)) {
            throw new IllegalArgumentException("defaultStartupMbps must be in (0, 100000], got " + defaultStartupMbps);
        }
        if (!(defaultStartupSeconds > 0 && defaultStartupSeconds <= 3600)) {
            throw new IllegalArgumentException("defaultStartupSeconds must be in (0, 3600], got " + defaultStartupSeconds);
        }
        if (leaseSeconds < 1) {
            throw new IllegalArgumentException("leaseSeconds must be >= 1, got " + leaseSeconds);
        }
        if (waitRecheckSeconds < 1) {
            throw new IllegalArgumentException("waitRecheckSeconds must be >= 1, got " + waitRecheckSeconds);
        }
    }

    public Policy withTargetUtilization(double u) {
        return new Policy(u, defaultStartupMbps, defaultStartupSeconds, leaseSeconds, waitRecheckSeconds);
    }

    public Policy withDefaults(double mbps, double seconds) {
        return new Policy(targetUtilization, mbps, seconds, leaseSeconds, waitRecheckSeconds);
    }
}
