package dev.connectorgate.plan;

import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The gate's planner: staggers startups into waves that never exceed the headroom, finishing as early as it can.
 *
 * <p>It is a serial schedule-generation scheme over services on a mutable headroom profile: each service, once its
 * dependencies are placed, gets as many instances as fit at the earliest start with room for one, and the rest ramped
 * at later starts. That runs under several priority rules, each followed by forward–backward improvement
 * (right-justify against the makespan in reversed time, then left-justify in the order of those backward starts, while
 * the makespan shrinks). The best plan wins, earlier rules first on ties. Small requests that still miss the deadline
 * or the lower bound are searched exhaustively over instance orders. Everything is a function of the input: no clock,
 * no randomness, so the same problem always gets the same plan.
 */
public final class WavePlanner implements Planner {
    /** Requests with at most this many instances in all may be searched exhaustively. */
    private static final int EXHAUSTIVE_MAX_INSTANCES = 8;
    /** Placements the exhaustive search may try, so its worst case stays a few milliseconds. */
    private static final int EXHAUSTIVE_MAX_NODES = 200_000;
    /** Forward–backward rounds per rule; improvement almost always stops well before. */
    private static final int MAX_IMPROVEMENT_ROUNDS = 8;
    /**
     * A plan within this fraction of the proven lower bound ends the search: on large requests that is where the
     * heuristics land anyway, and each further pass would cost a full placement of every instance.
     */
    private static final double GOOD_ENOUGH = 1e-3;
    /**
     * Profile steps (segments looked at, HeadroomProfile.steps()) after which no further pass starts: about
     * 10 ms of work. It counts work, not time, so the plan stays a function of the input; the first rule always runs.
     */
    private static final long STEP_BUDGET = 3_000_000;

    @Override
    public String name() {
        return "wave";
    }

    @Override
    public Optional<Plan> plan(PlanningProblem problem) {
        List<ServiceSpec> services = problem.services();
        if (services.isEmpty()) {
            return Optional.of(Plan.of(services, List.of()));
        }
        long lowerBound = LowerBound.millis(problem);
        if (lowerBound == Long.MAX_VALUE) {
            return Optional.empty();
        }
        Search search = new Search(problem, lowerBound);
        Schedule best = search.heuristics();
        boolean shortOfGoal = best == null || best.makespan > problem.deadlineMillis() || best.makespan > lowerBound;
        if (shortOfGoal && search.totalInstances <= EXHAUSTIVE_MAX_INSTANCES) {
            Schedule exact = search.exhaustive(best);
            if (exact != null) {
                best = exact;
            }
        }
        return best == null ? Optional.empty() : Optional.of(search.toPlan(best));
    }

    /** A schedule under construction: batches as parallel arrays, and each service's finish. */
    private static final class Schedule implements HeadroomProfile.Batches {
        int[] service = new int[64];
        long[] start = new long[64];
        int[] instances = new int[64];
        int size;
        final long[] finish;
        long makespan;
        private int current;

        Schedule(int services) {
            finish = new long[services];
        }

        @Override
        public void add(long at, int n) {
            if (size == service.length) {
                service = Arrays.copyOf(service, size * 2);
                start = Arrays.copyOf(start, size * 2);
                instances = Arrays.copyOf(instances, size * 2);
            }
            service[size] = current;
            start[size] = at;
            instances[size] = n;
            size++;
        }
    }

    /** One planning run: the problem as arrays, the priority rules and the improvement passes. */
    private static final class Search {
        private final PlanningProblem problem;
        private final long lowerBound;
        private final long goodEnough;
        private final HeadroomProfile base;
        private long steps;
        private final int n;
        private final int[][] preds;
        private final int[][] succs;
        private final long[] duration;
        private final double[] mbps;
        private final int[] count;
        private final int totalInstances;

        Search(PlanningProblem problem, long lowerBound) {
            this.problem = problem;
            this.lowerBound = lowerBound;
            goodEnough = lowerBound + (long) Math.floor(lowerBound * GOOD_ENOUGH);
            ServiceGraph graph = new ServiceGraph(problem.services());
            base = new HeadroomProfile(problem.headroom());
            n = graph.size();
            preds = new int[n][];
            succs = new int[n][];
            duration = new long[n];
            mbps = new double[n];
            count = new int[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                preds[i] = graph.predecessors(i);
                succs[i] = graph.successors(i);
                ServiceSpec s = graph.service(i);
                duration[i] = s.startupMillis();
                mbps[i] = s.startupMbps();
                count[i] = s.instances();
                total += count[i];
            }
            totalInstances = (int) Math.min(Integer.MAX_VALUE, total);
        }

        /** The best of every priority rule after improvement; null if none could place everything. */
        Schedule heuristics() {
            Schedule best = null;
            for (double[] key : rules()) {
                if (best != null && steps > STEP_BUDGET) {
                    break;
                }
                Schedule s = forward(orderBy(key));
                if (s == null) {
                    continue;
                }
                s = improve(s);
                if (best == null || s.makespan < best.makespan) {
                    best = s;
                }
                if (best.makespan <= goodEnough) {
                    break;
                }
            }
            return best;
        }

        /**
         * Priority keys, highest first. Longest remaining chain comes first because it usually binds; the others break
         * the ties that bin-packing effects create (big areas, wide startups, long startups, request order) and, when
         * headroom later shrinks for good, the services whose last chance comes earliest.
         */
        private List<double[]> rules() {
            double maxRoom = Double.NEGATIVE_INFINITY;
            StepFunction h = problem.headroom();
            for (int i = 0; i < h.size(); i++) {
                maxRoom = Math.max(maxRoom, h.valueAtIndex(i));
            }
            double[] ownSpan = new double[n];
            double[] area = new double[n];
            for (int i = 0; i < n; i++) {
                double atOnce = Math.max(1, Math.floor((maxRoom + HeadroomProfile.TOLERANCE_MBPS) / mbps[i]));
                ownSpan[i] = Math.ceil(count[i] / atOnce) * duration[i];
                area[i] = count[i] * mbps[i] * duration[i];
            }
            double[] tail = new double[n];
            double[] work = new double[n];
            int[] topo = new ServiceGraph(problem.services()).topologicalOrder();
            for (int k = n - 1; k >= 0; k--) {
                int i = topo[k];
                double t = 0;
                double w = 0;
                for (int s : succs[i]) {
                    t = Math.max(t, tail[s]);
                    w = Math.max(w, work[s]);
                }
                tail[i] = ownSpan[i] + t;
                work[i] = area[i] + w;
            }
            double[] wide = new double[n];
            double[] longest = new double[n];
            double[] request = new double[n];
            for (int i = 0; i < n; i++) {
                wide[i] = mbps[i];
                longest[i] = duration[i];
                request[i] = -i;
            }
            List<double[]> rules = new ArrayList<>(List.of(tail, work, area, wide, longest, ownSpan, request));
            double[] lastChance = lastChances();
            if (lastChance != null) {
                rules.add(0, lastChance);
            }
            return rules;
        }

        // Minus the latest start at which each service alone still fits, when headroom shrinks below some startup
        // for good; null when every startup fits in the final headroom (the usual case: there is no last chance).
        private double[] lastChances() {
            StepFunction h = problem.headroom();
            double finalRoom = h.finalValue() + HeadroomProfile.TOLERANCE_MBPS;
            boolean any = false;
            double[] key = new double[n];
            for (int i = 0; i < n; i++) {
                if (mbps[i] <= finalRoom) {
                    key[i] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                any = true;
                long latest = 0;
                for (int k = 0; k < h.size(); k++) {
                    long from = h.startAt(k);
                    long to = k + 1 < h.size() ? h.startAt(k + 1) : Long.MAX_VALUE;
                    if (h.valueAtIndex(k) + HeadroomProfile.TOLERANCE_MBPS >= mbps[i] && to - from >= duration[i]) {
                        latest = Math.max(latest, to - duration[i]);
                    }
                }
                key[i] = -latest;
            }
            return any ? key : null;
        }

        // Serial selection: among services whose dependencies are all placed, the highest key, then lowest index.
        private int[] orderBy(double[] key) {
            int[] missing = new int[n];
            boolean[] ready = new boolean[n];
            for (int i = 0; i < n; i++) {
                missing[i] = preds[i].length;
                ready[i] = missing[i] == 0;
            }
            int[] order = new int[n];
            for (int k = 0; k < n; k++) {
                int pick = -1;
                for (int i = 0; i < n; i++) {
                    if (ready[i] && (pick < 0 || key[i] > key[pick])) {
                        pick = i;
                    }
                }
                ready[pick] = false;
                order[k] = pick;
                for (int s : succs[pick]) {
                    if (--missing[s] == 0) {
                        ready[s] = true;
                    }
                }
            }
            return order;
        }

        /** Places services in this (dependency-respecting) order, each as early as it fits; null if one never fits. */
        private Schedule forward(int[] order) {
            HeadroomProfile profile = base.copy();
            Schedule s = new Schedule(n);
            try {
                for (int i : order) {
                    long ready = 0;
                    for (int p : preds[i]) {
                        ready = Math.max(ready, s.finish[p]);
                    }
                    if (!placeService(profile, s, i, ready)) {
                        return null;
                    }
                }
                return s;
            } finally {
                steps += profile.steps();
            }
        }

        private boolean placeService(HeadroomProfile profile, Schedule s, int i, long ready) {
            s.current = i;
            long end = profile.place(ready, duration[i], mbps[i], count[i], s);
            if (end < 0) {
                return false;
            }
            s.finish[i] = end;
            s.makespan = Math.max(s.makespan, end);
            return true;
        }

        /**
         * Forward–backward improvement. Backward: services in order of decreasing finish, each as late as it fits
         * before the makespan (a forward pass in reversed time, successors acting as dependencies). Forward again: in
         * order of the backward first starts. The reversed orders respect dependencies because a service always
         * finishes strictly after its dependencies do, and starts strictly before its own finish.
         */
        private Schedule improve(Schedule s) {
            Schedule cur = s;
            for (int round = 0; round < MAX_IMPROVEMENT_ROUNDS && cur.makespan > goodEnough && cur.makespan > 0
                    && steps <= STEP_BUDGET; round++) {
                long horizon = cur.makespan;
                HeadroomProfile reversed = HeadroomProfile.reversed(problem.headroom(), horizon);
                Schedule back = new Schedule(n);
                boolean placed = true;
                for (int i : byDescending(cur.finish)) {
                    long ready = 0;
                    for (int p : succs[i]) {
                        ready = Math.max(ready, back.finish[p]);
                    }
                    if (!placeService(reversed, back, i, ready)) {
                        placed = false;
                        break;
                    }
                }
                steps += reversed.steps();
                if (!placed) {
                    return cur;
                }
                // back.finish in reversed time is horizon minus the real first start: descending means starting earlier.
                Schedule next = forward(byDescending(back.finish));
                if (next == null || next.makespan >= cur.makespan) {
                    return cur;
                }
                cur = next;
            }
            return cur;
        }

        private int[] byDescending(long[] key) {
            Integer[] idx = new Integer[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> key[a] != key[b] ? Long.compare(key[b], key[a]) : Integer.compare(a, b));
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = idx[i];
            }
            return out;
        }

        /**
         * The optimum over all dependency-respecting orders of single instances, each placed as early as it fits (the
         * serial scheme reaches every active schedule, and some optimal plan is active). Branches on services, not
         * instances, so identical instances are not permuted; prunes what cannot beat the best so far. Null when
         * nothing beats the incumbent.
         */
        Schedule exhaustive(Schedule incumbent) {
            Exhaustive e = new Exhaustive(incumbent == null ? Long.MAX_VALUE : incumbent.makespan);
            e.dfs(base.copy(), 0, 0);
            if (e.bestStart == null) {
                return null;
            }
            Schedule s = new Schedule(n);
            for (int k = 0; k < totalInstances; k++) {
                s.current = e.bestService[k];
                s.add(e.bestStart[k], 1);
            }
            s.makespan = e.best;
            return s;
        }

        /** Depth-first search state for {@link #exhaustive}. */
        private final class Exhaustive {
            private final int[] left = count.clone();
            private final long[] finish = new long[n];
            private final int[] pathService = new int[totalInstances];
            private final long[] pathStart = new long[totalInstances];
            private int[] bestService;
            private long[] bestStart;
            private long best;
            private int nodes;

            Exhaustive(long incumbent) {
                best = incumbent;
            }

            void dfs(HeadroomProfile profile, int depth, long makespan) {
                if (depth == totalInstances) {
                    if (makespan < best) {
                        best = makespan;
                        bestService = pathService.clone();
                        bestStart = pathStart.clone();
                    }
                    return;
                }
                for (int i = 0; i < n && nodes < EXHAUSTIVE_MAX_NODES && best > lowerBound; i++) {
                    if (left[i] == 0 || !dependenciesDone(i)) {
                        continue;
                    }
                    long ready = 0;
                    for (int p : preds[i]) {
                        ready = Math.max(ready, finish[p]);
                    }
                    long at = profile.earliestFit(ready, duration[i], mbps[i]);
                    if (at < 0 || Math.max(makespan, at + duration[i]) >= best) {
                        continue;
                    }
                    nodes++;
                    HeadroomProfile next = profile.copy();
                    next.take(at, at + duration[i], mbps[i]);
                    long savedFinish = finish[i];
                    finish[i] = Math.max(finish[i], at + duration[i]);
                    left[i]--;
                    pathService[depth] = i;
                    pathStart[depth] = at;
                    dfs(next, depth + 1, Math.max(makespan, at + duration[i]));
                    left[i]++;
                    finish[i] = savedFinish;
                }
            }

            private boolean dependenciesDone(int i) {
                for (int p : preds[i]) {
                    if (left[p] > 0) {
                        return false;
                    }
                }
                return true;
            }
        }

        /**
         * The schedule in {@link Plan#of}'s canonical form (by offset, then request order; one start per service and
         * offset), built on the arrays: Plan.of's maps cost more than the whole placement on a 50 000-batch plan.
         */
        Plan toPlan(Schedule s) {
            List<ServiceSpec> services = problem.services();
            int[] idx = new int[s.size];
            for (int k = 0; k < s.size; k++) {
                idx[k] = k;
            }
            sortByStartThenService(idx, new int[s.size], 0, s.size, s.start, s.service);
            List<Start> starts = new ArrayList<>(s.size);
            for (int a = 0; a < s.size; ) {
                int k = idx[a];
                int n = 0;
                for (; a < s.size && s.start[idx[a]] == s.start[k] && s.service[idx[a]] == s.service[k]; a++) {
                    n += s.instances[idx[a]];
                }
                starts.add(new Start(services.get(s.service[k]).name(), s.start[k], n));
            }
            return new Plan(starts, s.makespan);
        }

        // Merge sort of batch indices by (start, service) on the primitive arrays.
        private static void sortByStartThenService(int[] idx, int[] tmp, int from, int to, long[] start, int[] svc) {
            if (to - from < 2) {
                return;
            }
            int mid = (from + to) >>> 1;
            sortByStartThenService(idx, tmp, from, mid, start, svc);
            sortByStartThenService(idx, tmp, mid, to, start, svc);
            int a = from;
            int b = mid;
            for (int k = from; k < to; k++) {
                boolean takeLeft = b >= to || a < mid && (start[idx[a]] < start[idx[b]]
                        || start[idx[a]] == start[idx[b]] && svc[idx[a]] <= svc[idx[b]]);
                tmp[k] = takeLeft ? idx[a++] : idx[b++];
            }
            System.arraycopy(tmp, from, idx, from, to - from);
        }
    }
}
