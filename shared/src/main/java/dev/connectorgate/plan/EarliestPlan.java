package dev.connectorgate.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The dependency-only earliest plan: every service, all its instances at once, as soon as its dependencies are done.
 *
 * <p>This is the plan an ALLOW admits: the gate delays nothing. It ignores capacity; {@link PlanCheck} says if it fits.
 */
public final class EarliestPlan {
    private EarliestPlan() {
    }

    public static Plan of(PlanningProblem problem) {
        ServiceGraph graph = new ServiceGraph(problem.services());
        long[] finish = new long[graph.size()];
        List<Start> starts = new ArrayList<>(graph.size());
        for (int i : graph.topologicalOrder()) {
            long start = 0;
            for (int p : graph.predecessors(i)) {
                start = Math.max(start, finish[p]);
            }
            finish[i] = start + graph.service(i).startupMillis();
            starts.add(new Start(graph.service(i).name(), start, graph.service(i).instances()));
        }
        return Plan.of(problem.services(), starts);
    }
}
