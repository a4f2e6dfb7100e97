package dev.connectorgate.plan;

import java.util.Optional;

/**
 * Baseline: one service at a time in request order, each starting when the previous one has finished (and its
 * dependencies have), ramped inside its own wave when its instances do not all fit at once.
 *
 * <p>What a cautious operator does by hand; the gate's {@link WavePlanner} is measured against it.
 */
public final class OneWavePerServicePlanner implements Planner {
    // Batches of one service: each starts when the one before it has finished, exactly the cautious rollout.
    private final Planner oneAtATime = new FixedBatchPlanner("one-wave-per-service", services -> 1);

    @Override
    public String name() {
        return oneAtATime.name();
    }

    @Override
    public Optional<Plan> plan(PlanningProblem problem) {
        return oneAtATime.plan(problem);
    }
}
