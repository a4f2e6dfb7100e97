package dev.connectorgate.plan;

import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * Baseline: fixed batches of a quarter of the services (rounded up) in request order, each batch starting when the
 * previous batch has finished; inside a batch every service starts as soon as it fits and its dependencies are done.
 *
 * <p>The usual hand-rolled "deploy 25% at a time" rollout; the gate's {@link WavePlanner} is measured against it.
 * {@link OneWavePerServicePlanner} is the same rollout with batches of one service.
 */
public final class FixedBatchPlanner implements Planner {
    private static final double QUARTER = 0.25;

    private final String name;
    private final IntUnaryOperator batchSize;

    /** Batches of a quarter of the services, rounded up. */
    public FixedBatchPlanner() {
        this("fixed-25%-batches", services -> (int) Math.ceil(services * QUARTER));
    }

    /** @param batchSize how many services a batch holds, given how many the request has */
    FixedBatchPlanner(String name, IntUnaryOperator batchSize) {
        this.name = name;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Plan> plan(PlanningProblem problem) {
        ServiceGraph graph = new ServiceGraph(problem.services());
        HeadroomProfile profile = new HeadroomProfile(problem.headroom());
        int[] order = graph.topologicalOrder();
        int batch = Math.max(1, batchSize.applyAsInt(order.length));
        long[] finish = new long[graph.size()];
        List<Start> starts = new ArrayList<>();
        long batchStart = 0;
        for (int from = 0; from < order.length; from += batch) {
            long batchEnd = batchStart;
            for (int k = from; k < Math.min(order.length, from + batch); k++) {
                int i = order[k];
                long ready = batchStart;
                // A member depending on another member of the same batch waits for it: finish[] is already set.
                for (int p : graph.predecessors(i)) {
                    ready = Math.max(ready, finish[p]);
                }
                ServiceSpec s = graph.service(i);
                long end = profile.place(ready, s.startupMillis(), s.startupMbps(), s.instances(),
                        (at, n) -> starts.add(new Start(s.name(), at, n)));
                if (end < 0) {
                    return Optional.empty();
                }
                finish[i] = end;
                batchEnd = Math.max(batchEnd, end);
            }
            batchStart = batchEnd;
        }
        return Optional.of(Plan.of(problem.services(), starts));
    }
}
