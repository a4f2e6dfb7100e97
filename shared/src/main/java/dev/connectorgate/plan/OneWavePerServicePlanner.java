package dev.connectorgate.plan;

import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Baseline: one service at a time in request order, each starting when the previous one has finished (and its
 * dependencies have), ramped inside its own wave when its instances do not all fit at once.
 *
 * <p>What a cautious operator does by hand; the gate's {@link WavePlanner} is measured against it.
 */
public final class OneWavePerServicePlanner implements Planner {
    @Override
    public String name() {
        return "one-wave-per-service";
    }

    @Override
    public Optional<Plan> plan(PlanningProblem problem) {
        ServiceGraph graph = new ServiceGraph(problem.services());
        HeadroomProfile profile = new HeadroomProfile(problem.headroom());
        long[] finish = new long[graph.size()];
        List<Start> starts = new ArrayList<>();
        long previous = 0;
        // Request order, except that a service named as a dependency of an earlier one goes first (stable).
        for (int i : graph.topologicalOrder()) {
            long ready = previous;
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
            previous = end;
        }
        return Optional.of(Plan.of(problem.services(), starts));
    }
}
