package dev.connectorgate.cli.chart;

import dev.connectorgate.capacity.Numbers;
import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Start;
import dev.connectorgate.plan.Wave;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The numbers both charts draw, computed once from a {@link ChartInput}: the stacked layers over time, the time range
 * and the peaks; plus the tick and label helpers they share, so the terminal and the SVG never disagree.
 *
 * <p>Layers stack bottom-up in a fixed order: baseline, reserved (other rollouts), then this plan's waves by offset.
 */
final class ChartModel {
    /** The time range when nothing at all happens over time, so an empty picture still has a readable axis. */
    private static final long EMPTY_RANGE_MILLIS = 10_000;
    /** Shortest time range drawn: below it tick labels would need more decimals than {@link Numbers#fmt} gives. */
    private static final long MIN_RANGE_MILLIS = 1_000;
    /** Air to the right of the last event, so the final drop of the stack is visible. */
    private static final double TIME_MARGIN = 1.05;

    /** One wave of the plan: its place in the legend and its usage over time. */
    record WaveLayer(int number, long offsetMillis, List<Start> starts, StepFunction usage, double peakMbps) {

        /** "wave 2 @ 6 s". */
        String label() {
            return "wave " + number + " @ " + Numbers.fmt(Numbers.seconds(offsetMillis)) + " s";
        }

        /** "api ×1, worker ×2", or as many entries as fit in maxChars followed by "+N more". */
        String services(int maxChars) {
            List<String> entries = new ArrayList<>(starts.size());
            starts.forEach(s -> entries.add(s.service() + " ×" + s.instances()));
            return joinTruncated(entries, maxChars);
        }
    }

    final ChartInput input;
    final double baselineMbps;
    final double usableMbps;
    final double connectorMbps;
    final StepFunction reserved;
    final List<WaveLayer> waves;
    /** The x range drawn, [0, rangeMillis). */
    final long rangeMillis;
    /** Every instant in [0, rangeMillis) where some layer changes, ascending, starting with 0. */
    final long[] breakpoints;
    /** Largest baseline + reserved + plan over the range. */
    final double peakMbps;

    ChartModel(ChartInput in) {
        this.input = in;
        this.baselineMbps = in.capacity().baselineMbps();
        this.usableMbps = in.capacity().usableMbps();
        this.connectorMbps = in.capacity().connectorMbps();
        this.reserved = in.capacity().reserved();
        this.waves = waveLayers(in);
        this.rangeMillis = range(in.plan().makespanMillis(), lastChange(reserved));

        TreeSet<Long> points = new TreeSet<>();
        points.add(0L);
        addBreakpoints(points, reserved);
        waves.forEach(w -> addBreakpoints(points, w.usage()));
        this.breakpoints = points.stream().filter(t -> t < rangeMillis).mapToLong(Long::longValue).toArray();

        double peak = 0;
        for (long t : breakpoints) {
            peak = Math.max(peak, totalAt(t));
        }
        this.peakMbps = peak;
    }

    private static List<WaveLayer> waveLayers(ChartInput in) {
        Map<String, ServiceSpec> byName = new HashMap<>();
        in.services().forEach(s -> byName.put(s.name(), s));
        List<WaveLayer> out = new ArrayList<>();
        for (Wave w : in.plan().waves()) {
            List<StepFunction.Rectangle> rects = new ArrayList<>();
            for (Start s : w.starts()) {
                ServiceSpec spec = byName.get(s.service());
                rects.add(new StepFunction.Rectangle(s.offsetMillis(), s.offsetMillis() + spec.startupMillis(),
                        s.instances() * spec.startupMbps()));
            }
            StepFunction usage = StepFunction.sumOf(rects);
            out.add(new WaveLayer(out.size() + 1, w.startOffsetMillis(), w.starts(), usage, usage.maxFrom(0)));
        }
        return out;
    }

    /** When the reservations have all ended (0 if there are none); a reservation that never ends counts as none. */
    private static long lastChange(StepFunction f) {
        return f.finalValue() == 0 ? f.lastBreakpoint() : 0;
    }

    private static long range(long makespanMillis, long reservedEndMillis) {
        long end = Math.max(makespanMillis, reservedEndMillis);
        if (end == 0) {
            return EMPTY_RANGE_MILLIS;
        }
        return Math.max(MIN_RANGE_MILLIS, (long) Math.ceil(end * TIME_MARGIN));
    }

    private static void addBreakpoints(TreeSet<Long> points, StepFunction f) {
        for (int i = 0; i < f.size(); i++) {
            points.add(f.startAt(i));
        }
    }

    /** This plan's use at t, all waves together. */
    double planAt(long t) {
        double sum = 0;
        for (WaveLayer w : waves) {
            sum += w.usage().valueAt(t);
        }
        return sum;
    }

    /** Heights of every layer at t, bottom-up: baseline, reserved, then each wave. */
    double[] stackAt(long t) {
        double[] layers = new double[2 + waves.size()];
        layers[0] = baselineMbps;
        layers[1] = Math.max(0, reserved.valueAt(t));
        for (int i = 0; i < waves.size(); i++) {
            layers[2 + i] = waves.get(i).usage().valueAt(t);
        }
        return layers;
    }

    /** The instant in [from, to) where the whole stack is highest, earliest on ties: where a peak cannot hide. */
    long worstInstant(long from, long to) {
        long best = from;
        double bestTotal = totalAt(from);
        for (long t : breakpoints) {
            if (t > from && t < to) {
                double total = totalAt(t);
                if (total > bestTotal) {
                    best = t;
                    bestTotal = total;
                }
            }
        }
        return best;
    }

    private double totalAt(long t) {
        return baselineMbps + Math.max(0, reserved.valueAt(t)) + planAt(t);
    }

    boolean overUsable() {
        return peakMbps > usableMbps + 1e-6;
    }

    /** "makespan 24 s · lower bound 24 s · peak 160 of 160 Mbps usable", with the excess when there is one. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        if (waves.isEmpty()) {
            sb.append("no starts planned");
        } else {
            sb.append("makespan ").append(Numbers.fmt(Numbers.seconds(input.plan().makespanMillis()))).append(" s");
        }
        sb.append(" · lower bound ").append(Numbers.fmt(Numbers.seconds(input.lowerBoundMillis()))).append(" s");
        sb.append(" · peak ").append(Numbers.fmt(peakMbps)).append(" of ").append(Numbers.fmt(usableMbps))
                .append(" Mbps usable");
        if (overUsable()) {
            sb.append(" · OVER by ").append(Numbers.fmt(peakMbps - usableMbps)).append(" Mbps");
        }
        return sb.toString();
    }

    /** "usable 160 Mbps = 200 × 0.8". */
    String usableLabel() {
        return "usable " + Numbers.fmt(usableMbps) + " Mbps = " + Numbers.fmt(connectorMbps) + " × "
                + Numbers.fmt(input.capacity().policy().targetUtilization());
    }

    String baselineLabel() {
        return "baseline " + Numbers.fmt(baselineMbps) + " Mbps";
    }

    String reservedLabel() {
        return "reserved by other rollouts, peak " + Numbers.fmt(Math.max(0, reserved.maxFrom(0))) + " Mbps";
    }

    /**
     * The smallest step of the 1-2-5 series at least {@code rough}: tick spacing a person reads without arithmetic.
     */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= rough * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    /**
     * Joins entries with ", ", keeping as many as fit in maxChars and ending with "+N more" for the rest. The first
     * entry is always kept, cut with "…" if it alone is too long, so a line never names nothing.
     */
    static String joinTruncated(List<String> entries, int maxChars) {
        String all = String.join(", ", entries);
        if (all.length() <= maxChars || entries.isEmpty()) {
            return all;
        }
        int kept = 1;
        int length = entries.get(0).length();
        while (kept < entries.size()
                && length + 2 + entries.get(kept).length() + moreTail(entries.size() - kept - 1) <= maxChars) {
            length += 2 + entries.get(kept).length();
            kept++;
        }
        String tail = kept < entries.size() ? ", +" + (entries.size() - kept) + " more" : "";
        String first = entries.get(0);
        int firstRoom = Math.max(1, maxChars - tail.length());
        if (kept == 1 && first.length() > firstRoom) {
            first = first.substring(0, firstRoom - 1) + "…";
        }
        List<String> shown = new ArrayList<>(entries.subList(0, kept));
        shown.set(0, first);
        return String.join(", ", shown) + tail;
    }

    private static int moreTail(int rest) {
        return rest == 0 ? 0 : (", +" + rest + " more").length();
    }
}
