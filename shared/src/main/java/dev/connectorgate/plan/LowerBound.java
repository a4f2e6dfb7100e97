package dev.connectorgate.plan;

import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A proven lower bound on the makespan of any plan that fits: what the gate reports as {@code lowerBoundSeconds} and
 * what planners are judged against.
 *
 * <p>Every argument below holds for every plan that {@link PlanCheck} accepts, so the bound is the largest of them.
 * Bandwidth is compared with PlanCheck's own slack ({@link PlanCheck#EPSILON_MBPS}) added to the headroom, so a plan
 * that squeezes into that slack is still bounded; times are whole milliseconds, so real-valued bounds round up.
 *
 * <ol>
 *   <li><b>Dependency chains.</b> An instance of S can only start at some t ≥ the finish of S's dependencies where the
 *       headroom alone, with nothing else running, has room for it over all of [t, t + d). So S's first start is at
 *       least the first such t after its dependencies' earliest finish (its <em>head</em>). All S's instances start
 *       after the head; at most c = ⌊max headroom after the head / mbps⌋ of them can overlap, and intervals with at most
 *       c overlapping split into c tracks of disjoint intervals (interval graphs are perfect), one of which holds
 *       ⌈n / c⌉ of them: S finishes no earlier than head + ⌈n / c⌉ × d. Likewise the number running at t is at most
 *       ⌊headroom(t) / mbps⌋, so ∫ from the head to the finish of that count is at least n × d. Successors' heads
 *       chain on the larger of the two finishes; a <em>tail</em> (the same round count after a finish, down the
 *       longest successor chain, using the overall max headroom) must fit after it.</li>
 *   <li><b>Demand over headroom.</b> At every instant the bandwidth running is at most the headroom, so Σ n × mbps × d
 *       ≤ ∫ max(0, headroom). Stronger, with any dual-feasible function f (Σ xᵢ ≤ 1 ⇒ Σ f(xᵢ) ≤ 1, f non-decreasing)
 *       and sizes as fractions of the max headroom C: the startups running at t and a dummy of size 1 − headroom(t)/C
 *       together fit in C, so Σ f(mbps / C) over the running ones ≤ 1 − f(1 − headroom(t)/C). Integrating, the
 *       weighted demand must fit under that capacity curve. f = identity is the plain area bound; the Fekete–Schepers
 *       functions count that, say, only 3 startups of 40 Mbps fit in 140 Mbps. Sizes are shaved down a little before f
 *       so that rounding can only weaken the bound.</li>
 *   <li><b>Heads and tails.</b> The startups of services whose head is ≥ τ and tail is ≥ σ all run inside [τ, T − σ],
 *       so the capacity curve must hold their weighted demand there: T ≥ σ + the time capacity from τ on reaches it.</li>
 * </ol>
 */
public final class LowerBound {
    /** Headroom is taken as this much larger: the slack PlanCheck itself allows. */
    private static final double SLACK_MBPS = PlanCheck.EPSILON_MBPS;
    /** Fractions are shaved by this before a dual-feasible function, so noise never rounds a weight up. */
    private static final double SHAVE = 1e-9;
    /** Thresholds of heads and tails tried, each way: any subset is valid, this keeps the work quadratic in a constant. */
    private static final int MAX_THRESHOLDS = 24;
    /** Fekete–Schepers functions u^(k) for k = 1..this. */
    private static final int MAX_FS_K = 20;
    /** Distinct startup sizes tried as thresholds ε of the big/small dual-feasible function. */
    private static final int MAX_EPSILONS = 40;

    private LowerBound() {
    }

    /** The bound and, for decision reasons, which argument gives it. */
    public record Bound(long millis, String reason) {
    }

    /** A lower bound in ms on the makespan of any plan that fits; Long.MAX_VALUE when no plan can fit. */
    public static long millis(PlanningProblem problem) {
        return explain(problem).millis();
    }

    /** The bound with a short sentence saying which argument binds, e.g. "dependency chain api → worker takes 14 s". */
    public static Bound explain(PlanningProblem problem) {
        if (problem.services().isEmpty()) {
            return new Bound(0, "nothing to start");
        }
        return new Computation(problem).run();
    }

    /** The state of one computation: the headroom with slack as arrays, and the per-service heads and tails. */
    private static final class Computation {
        private final ServiceGraph graph;
        private final int n;
        private final long[] segStart;
        private final double[] segRoom;
        private final double maxRoom;
        private final long[] duration;
        private final double[] mbps;
        private final int[] count;
        private final long[] head;
        private final long[] finish;
        private final long[] tail;
        private final int[] headFrom;
        private final int[] tailTo;

        Computation(PlanningProblem problem) {
            graph = new ServiceGraph(problem.services());
            n = graph.size();
            StepFunction h = problem.headroom();
            segStart = new long[h.size()];
            segRoom = new double[h.size()];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < h.size(); i++) {
                segStart[i] = h.startAt(i);
                segRoom[i] = h.valueAtIndex(i) + SLACK_MBPS;
                max = Math.max(max, segRoom[i]);
            }
            maxRoom = max;
            duration = new long[n];
            mbps = new double[n];
            count = new int[n];
            for (int i = 0; i < n; i++) {
                ServiceSpec s = graph.service(i);
                duration[i] = s.startupMillis();
                mbps[i] = s.startupMbps();
                count[i] = s.instances();
            }
            head = new long[n];
            finish = new long[n];
            tail = new long[n];
            headFrom = new int[n];
            tailTo = new int[n];
        }

        Bound run() {
            int[] topo = graph.topologicalOrder();
            for (int i : topo) {
                long ready = 0;
                headFrom[i] = -1;
                for (int p : graph.predecessors(i)) {
                    if (finish[p] > ready || headFrom[i] < 0 && finish[p] == ready) {
                        ready = finish[p];
                        headFrom[i] = p;
                    }
                }
                head[i] = firstWindow(ready, duration[i], mbps[i]);
                if (head[i] < 0) {
                    return never(i, ready, false);
                }
                long tracks = (long) Math.floor(maxFrom(head[i]) / mbps[i]);
                long byTracks = head[i] + ceilDiv(count[i], tracks) * duration[i];
                long byCounts = finishByCounts(head[i], (double) count[i] * duration[i], mbps[i]);
                if (byCounts < 0) {
                    return never(i, ready, true);
                }
                finish[i] = Math.max(byTracks, byCounts);
            }
            for (int k = topo.length - 1; k >= 0; k--) {
                int i = topo[k];
                tailTo[i] = -1;
                for (int s : graph.successors(i)) {
                    long t = roundsAnywhere(s) + tail[s];
                    if (t > tail[i]) {
                        tail[i] = t;
                        tailTo[i] = s;
                    }
                }
            }
            Bound best = chainBound();
            Bound energy = energyBound();
            return energy.millis() > best.millis() ? energy : best;
        }

        // ⌈n / c⌉ rounds of d: a service's shortest span anywhere, with the max headroom.
        private long roundsAnywhere(int i) {
            return ceilDiv(count[i], (long) Math.floor(maxRoom / mbps[i])) * duration[i];
        }

        private Bound never(int i, long ready, boolean forAll) {
            ServiceSpec s = graph.service(i);
            String after = ready > 0 ? " from " + Numbers.fmt(Numbers.seconds(ready)) + " s on" : "";
            return new Bound(Long.MAX_VALUE, s.name() + " needs " + Numbers.fmt(s.startupMbps()) + " Mbps per instance for "
                    + Numbers.fmt(s.startupSeconds()) + " s; headroom" + after + " never has room for "
                    + (forAll ? "all " + count[i] + " instances" : "one"));
        }

        private Bound chainBound() {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (finish[i] + tail[i] > finish[best] + tail[best]) {
                    best = i;
                }
            }
            long millis = finish[best] + tail[best];
            List<Integer> chain = new ArrayList<>();
            for (int i = best; i >= 0; i = headFrom[i]) {
                chain.add(0, i);
            }
            for (int i = tailTo[best]; i >= 0; i = tailTo[i]) {
                chain.add(i);
            }
            String secs = Numbers.fmt(Numbers.seconds(millis)) + " s";
            if (chain.size() == 1) {
                int i = chain.get(0);
                ServiceSpec s = graph.service(i);
                long rounds = (finish[i] - head[i] + duration[i] - 1) / Math.max(1, duration[i]);
                String wait = head[i] > 0 ? " after headroom first has room at " + Numbers.fmt(Numbers.seconds(head[i]))
                        + " s" : "";
                if (rounds > 1) {
                    long atOnce = (long) Math.floor(maxFrom(head[i]) / mbps[i]);
                    return new Bound(millis, s.name() + ": " + count[i] + " instances of " + Numbers.fmt(mbps[i])
                            + " Mbps, at most " + atOnce + " at a time, take at least " + rounds + " rounds of "
                            + Numbers.fmt(s.startupSeconds()) + " s" + wait + " (" + secs + ")");
                }
                return new Bound(millis, s.name() + " takes " + secs + wait);
            }
            StringBuilder names = new StringBuilder();
            boolean waits = false;
            for (int i : chain) {
                names.append(names.length() == 0 ? "" : " → ").append(graph.service(i).name());
                long ready = headFrom[i] < 0 ? 0 : finish[headFrom[i]];
                waits |= head[i] > ready;
            }
            return new Bound(millis, "dependency chain " + names + " takes " + secs
                    + (waits ? " (waiting for headroom to have room)" : ""));
        }

        private Bound energyBound() {
            double minMbps = Double.POSITIVE_INFINITY;
            for (double m : mbps) {
                minMbps = Math.min(minMbps, m);
            }
            long[] headCut = thresholds(head);
            long[] tailCut = thresholds(tail);
            int[] headBucket = buckets(head, headCut);
            int[] tailBucket = buckets(tail, tailCut);
            Bound best = new Bound(0, "");
            String bestKind = "";
            long bestTau = 0;
            long bestSigma = 0;
            for (Weighting w : weightings()) {
                double[] cap = new double[segStart.length];
                for (int i = 0; i < cap.length; i++) {
                    // Nothing runs where the room is below the smallest startup.
                    cap[i] = segRoom[i] < minMbps ? 0 : 1 - w.f.applyAsDouble(shaved(1 - segRoom[i] / maxRoom));
                }
                double[] prefix = new double[cap.length];
                for (int i = 1; i < cap.length; i++) {
                    prefix[i] = prefix[i - 1] + cap[i - 1] * (segStart[i] - segStart[i - 1]);
                }
                // demand[a][b]: weighted demand of services with head ≥ headCut[a] and tail ≥ tailCut[b].
                double[][] demand = new double[headCut.length + 1][tailCut.length + 1];
                for (int i = 0; i < n; i++) {
                    demand[headBucket[i]][tailBucket[i]] +=
                            w.f.applyAsDouble(shaved(mbps[i] / maxRoom)) * count[i] * (double) duration[i];
                }
                for (int a = headCut.length - 1; a >= 0; a--) {
                    for (int b = tailCut.length - 1; b >= 0; b--) {
                        demand[a][b] += demand[a + 1][b] + demand[a][b + 1] - demand[a + 1][b + 1];
                    }
                }
                for (int a = 0; a < headCut.length; a++) {
                    double before = integral(prefix, cap, headCut[a]);
                    for (int b = 0; b < tailCut.length; b++) {
                        if (demand[a][b] <= 0) {
                            continue;
                        }
                        long t = reach(prefix, cap, before + demand[a][b]);
                        long bound = t == Long.MAX_VALUE ? Long.MAX_VALUE : t + tailCut[b];
                        if (bound > best.millis()) {
                            best = new Bound(bound, "");
                            bestKind = w.name;
                            bestTau = headCut[a];
                            bestSigma = tailCut[b];
                        }
                    }
                }
            }
            return best.millis() == 0 ? best : new Bound(best.millis(), energyReason(best.millis(), bestKind, bestTau,
                    bestSigma));
        }

        private String energyReason(long millis, String kind, long tau, long sigma) {
            double demand = 0;
            for (int i = 0; i < n; i++) {
                if (head[i] >= tau && tail[i] >= sigma) {
                    demand += count[i] * mbps[i] * Numbers.seconds(duration[i]);
                }
            }
            StringBuilder sb = new StringBuilder();
            if (tau > 0) {
                sb.append("from ").append(Numbers.fmt(Numbers.seconds(tau))).append(" s, ");
            }
            sb.append("demand ").append(Numbers.fmt(demand)).append(" Mbps·s over headroom ")
                    .append(Numbers.fmt(maxRoom - SLACK_MBPS)).append(" Mbps");
            if (!kind.isEmpty()) {
                sb.append(", ").append(kind);
            }
            if (sigma > 0) {
                sb.append(", then ").append(Numbers.fmt(Numbers.seconds(sigma))).append(" s of dependent startups");
            }
            return sb.append(" (").append(Numbers.fmt(Numbers.seconds(millis))).append(" s)").toString();
        }

        private record Weighting(String name, DoubleUnaryOperator f) {
        }

        private List<Weighting> weightings() {
            List<Weighting> out = new ArrayList<>();
            out.add(new Weighting("", x -> x));
            String packing = "as startups of these sizes cannot fill it exactly";
            for (int k = 1; k <= MAX_FS_K; k++) {
                int kk = k;
                // Fekete–Schepers u^(k): x where (k+1)·x is whole, else ⌊(k+1)·x⌋ / k.
                out.add(new Weighting(packing, x -> {
                    double y = (kk + 1) * x;
                    return y == Math.rint(y) ? x : Math.floor(y) / kk;
                }));
            }
            double[] sizes = Arrays.stream(mbps).map(m -> shaved(m / maxRoom)).filter(x -> x > 0 && x <= 0.5)
                    .sorted().distinct().toArray();
            int step = Math.max(1, (sizes.length + MAX_EPSILONS - 1) / MAX_EPSILONS);
            for (int i = 0; i < sizes.length; i += step) {
                double eps = sizes[i];
                // Big/small: sizes above 1 − ε count whole, below ε not at all (no two bigs overlap a mid-sized one).
                out.add(new Weighting(packing, x -> x > 1 - eps ? 1 : x < eps ? 0 : x));
            }
            return out;
        }

        // Sorted distinct values including 0, thinned evenly to at most MAX_THRESHOLDS.
        private static long[] thresholds(long[] values) {
            long[] d = Arrays.stream(values).sorted().distinct().toArray();
            if (d[0] != 0) {
                long[] withZero = new long[d.length + 1];
                System.arraycopy(d, 0, withZero, 1, d.length);
                d = withZero;
            }
            if (d.length <= MAX_THRESHOLDS) {
                return d;
            }
            long[] out = new long[MAX_THRESHOLDS];
            for (int i = 0; i < MAX_THRESHOLDS; i++) {
                out[i] = d[(int) ((long) i * (d.length - 1) / (MAX_THRESHOLDS - 1))];
            }
            return out;
        }

        // For each value the last threshold at or below it.
        private static int[] buckets(long[] values, long[] cuts) {
            int[] out = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                int b = Arrays.binarySearch(cuts, values[i]);
                out[i] = b >= 0 ? b : -b - 2;
            }
            return out;
        }

        private static double shaved(double x) {
            return Math.max(0, x - SHAVE);
        }

        private double integral(double[] prefix, double[] cap, long t) {
            int i = segmentOf(t);
            return prefix[i] + cap[i] * (t - segStart[i]);
        }

        // The first whole ms by which the capacity integral reaches y (demand trimmed by a hair so rounding only
        // weakens the bound); Long.MAX_VALUE if it never does.
        private long reach(double[] prefix, double[] cap, double y) {
            double target = y - (1e-9 * Math.abs(y) + 1e-6);
            int last = prefix.length - 1;
            int i;
            if (target <= prefix[last]) {
                int lo = 0;
                int hi = last;
                while (lo < hi) {
                    int mid = (lo + hi + 1) >>> 1;
                    if (prefix[mid] < target) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                i = lo;
            } else {
                i = last;
            }
            if (target <= prefix[i]) {
                return segStart[i];
            }
            if (cap[i] <= 0) {
                return Long.MAX_VALUE;
            }
            double t = segStart[i] + (target - prefix[i]) / cap[i];
            return ceilMillis(t);
        }

        private int segmentOf(long t) {
            int i = Arrays.binarySearch(segStart, t);
            return i >= 0 ? i : -i - 2;
        }

        // First t ≥ from with room ≥ need over all [t, t + d), or -1.
        private long firstWindow(long from, long d, double need) {
            int k = segmentOf(from);
            long t = from;
            while (k < segStart.length && segStart[k] < t + d) {
                if (segRoom[k] < need) {
                    if (k == segStart.length - 1) {
                        return -1;
                    }
                    t = segStart[k + 1];
                }
                k++;
            }
            return t;
        }

        private double maxFrom(long t) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = segmentOf(t); k < segStart.length; k++) {
                max = Math.max(max, segRoom[k]);
            }
            return max;
        }

        // First F with ∫ from start to F of ⌊room / mbps⌋ ≥ work (instance·ms), or -1 if never.
        private long finishByCounts(long start, double work, double m) {
            double left = work;
            for (int k = segmentOf(start); k < segStart.length; k++) {
                long from = Math.max(start, segStart[k]);
                double c = Math.max(0, Math.floor(segRoom[k] / m));
                if (k == segStart.length - 1) {
                    return c <= 0 ? -1 : from + (long) Math.ceil(left / c);
                }
                double area = c * (segStart[k + 1] - from);
                if (area >= left) {
                    return c <= 0 ? from : from + (long) Math.ceil(left / c);
                }
                left -= area;
            }
            return -1;
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }

        private static long ceilMillis(double t) {
            return (long) Math.ceil(t - 1e-6 - 1e-12 * Math.abs(t));
        }
    }
}
