package dev.connectorgate.simulate;

import java.util.Objects;

/**
 * What happened to one batch of a plan in the simulator: instances of one service started together, which in the
 * fluid model get the same rate at every moment and so start, progress and finish together.
 *
 * @param service        the service the instances belong to
 * @param instances      how many instances the batch holds (each counts once in rates and percentiles)
 * @param plannedSeconds the batch's offset in the plan, seconds from the decision
 * @param startSeconds   when it actually started: the planned offset, or later if a dependency finished late
 * @param finishSeconds  when its startup volume had been moved
 * @param nominalSeconds the service's startupSeconds: how long a startup takes at its full startupMbps
 * @param succeeded      the startup took at most nominal + grace
 */
public record StartupOutcome(String service, int instances, double plannedSeconds, double startSeconds,
        double finishSeconds, double nominalSeconds, boolean succeeded) {

    public StartupOutcome {
        Objects.requireNonNull(service, "service");
        if (instances < 1) {
            throw new IllegalArgumentException("a batch has at least one instance, got " + instances);
        }
    }

    /** How long the startup took, from its actual start: what the grace is measured against. */
    public double startupSeconds() {
        return finishSeconds - startSeconds;
    }

    /** How much later than planned it started because a dependency finished late; 0 when it started on time. */
    public double lateStartSeconds() {
        return startSeconds - plannedSeconds;
    }
}
