package dev.connectorgate.plan;

import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A schedule of startups: batches of instances at offsets. Its makespan is when the last instance has started up.
 *
 * <p>Starts are kept in a canonical order (offset, then request order of the service) so that equal plans are equal
 * values whatever order a planner produced them in.
 */
public record Plan(List<Start> starts, long makespanMillis) {

    public Plan {
        starts = List.copyOf(starts);
    }

    /** Builds a plan from starts, computing the makespan and the canonical order from the services. */
    public static Plan of(List<ServiceSpec> services, List<Start> starts) {
        Map<String, Integer> order = new HashMap<>();
        Map<String, Long> duration = new HashMap<>();
        for (int i = 0; i < services.size(); i++) {
            order.put(services.get(i).name(), i);
            duration.put(services.get(i).name(), services.get(i).startupMillis());
        }
        // Merge batches of one service at one offset: one entry per (offset, service).
        TreeMap<Long, TreeMap<Integer, Integer>> byOffset = new TreeMap<>();
        long makespan = 0;
        for (Start s : starts) {
            Integer idx = order.get(s.service());
            if (idx == null) {
                throw new IllegalArgumentException("start of unknown service " + s.service());
            }
            byOffset.computeIfAbsent(s.offsetMillis(), k -> new TreeMap<>()).merge(idx, s.instances(), Integer::sum);
            makespan = Math.max(makespan, s.offsetMillis() + duration.get(s.service()));
        }
        List<Start> canonical = new ArrayList<>(starts.size());
        byOffset.forEach((offset, entries) -> entries.forEach(
                (idx, n) -> canonical.add(new Start(services.get(idx).name(), offset, n))));
        return new Plan(canonical, makespan);
    }

    /** The starts grouped by offset, ascending. */
    public List<Wave> waves() {
        List<Wave> waves = new ArrayList<>();
        int i = 0;
        while (i < starts.size()) {
            long offset = starts.get(i).offsetMillis();
            int j = i;
            while (j < starts.size() && starts.get(j).offsetMillis() == offset) {
                j++;
            }
            waves.add(new Wave(offset, starts.subList(i, j)));
            i = j;
        }
        waves.sort(Comparator.comparingLong(Wave::startOffsetMillis));
        return waves;
    }
}
