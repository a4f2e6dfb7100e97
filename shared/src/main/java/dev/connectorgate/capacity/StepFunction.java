package dev.connectorgate.capacity;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable piecewise-constant function of time offset (milliseconds from "now", t >= 0).
 *
 * <p>{@code value(t) = values[i]} for {@code starts[i] <= t < starts[i+1]}; the last value holds forever. Headroom and
 * reserved bandwidth are both of this shape, because every reservation is a sum of rectangles.
 */
public final class StepFunction {
    private final long[] starts;
    private final double[] values;

    private StepFunction(long[] starts, double[] values) {
        this.starts = starts;
        this.values = values;
    }

    public static StepFunction constant(double value) {
        return new StepFunction(new long[] {0}, new double[] {value});
    }

    /** Builds from breakpoints; merges equal neighbours. starts must begin at 0 and ascend strictly. */
    public static StepFunction of(long[] starts, double[] values) {
        Objects.requireNonNull(starts);
        Objects.requireNonNull(values);
        if (starts.length == 0 || starts.length != values.length || starts[0] != 0) {
            throw new IllegalArgumentException("breakpoints must start at 0 and match values");
        }
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] <= starts[i - 1]) {
                throw new IllegalArgumentException("breakpoints must ascend strictly");
            }
        }
        return compact(starts.clone(), values.clone(), starts.length);
    }

    /** The sum of rectangles [from, to) × height: reserved bandwidth over time. */
    public static StepFunction sumOf(List<Rectangle> rectangles) {
        return constantMinus(0, rectangles).times(-1);
    }

    /** A constant minus the sum of rectangles [from, to) × height: how headroom is made from reservations. */
    public static StepFunction constantMinus(double constant, List<Rectangle> rectangles) {
        if (rectangles.isEmpty()) {
            return constant(constant);
        }
        long[] times = new long[rectangles.size() * 2 + 1];
        int n = 0;
        times[n++] = 0;
        for (Rectangle r : rectangles) {
            times[n++] = Math.max(0, r.fromMillis());
            times[n++] = Math.max(0, r.toMillis());
        }
        long[] sorted = Arrays.stream(times, 0, n).sorted().distinct().toArray();
        double[] delta = new double[sorted.length];
        for (Rectangle r : rectangles) {
            long from = Math.max(0, r.fromMillis());
            long to = Math.max(0, r.toMillis());
            if (to <= from) {
                continue;
            }
            delta[Arrays.binarySearch(sorted, from)] -= r.height();
            delta[Arrays.binarySearch(sorted, to)] += r.height();
        }
        double[] vals = new double[sorted.length];
        double level = constant;
        for (int i = 0; i < sorted.length; i++) {
            level += delta[i];
            vals[i] = level;
        }
        return compact(sorted, vals, sorted.length);
    }

    private static StepFunction compact(long[] starts, double[] values, int n) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w > 0 && values[w - 1] == values[i]) {
                continue;
            }
            starts[w] = starts[i];
            values[w] = values[i];
            w++;
        }
        return new StepFunction(Arrays.copyOf(starts, w), Arrays.copyOf(values, w));
    }

    public double valueAt(long t) {
        int i = Arrays.binarySearch(starts, t);
        if (i < 0) {
            i = -i - 2;
        }
        return values[Math.max(0, i)];
    }

    /** The smallest value over [from, to). */
    public double minOver(long from, long to) {
        double min = valueAt(from);
        int i = Arrays.binarySearch(starts, from);
        i = i < 0 ? -i - 1 : i + 1;
        for (; i < starts.length && starts[i] < to; i++) {
            min = Math.min(min, values[i]);
        }
        return min;
    }

    /** The largest value over [from, infinity). */
    public double maxFrom(long from) {
        double max = valueAt(from);
        int i = Arrays.binarySearch(starts, from);
        i = i < 0 ? -i - 1 : i + 1;
        for (; i < starts.length; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }

    /** The offset after which the function never changes again. */
    public long lastBreakpoint() {
        return starts[starts.length - 1];
    }

    public double finalValue() {
        return values[values.length - 1];
    }

    public int size() {
        return starts.length;
    }

    public long startAt(int i) {
        return starts[i];
    }

    public double valueAtIndex(int i) {
        return values[i];
    }

    /** This function times a constant (+0.0 keeps negative zero out of the values). */
    public StepFunction times(double c) {
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * c + 0.0;
        }
        return new StepFunction(starts.clone(), v);
    }

    /** This function plus a constant. */
    public StepFunction plus(double c) {
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] += c;
        }
        return new StepFunction(starts.clone(), v);
    }

    /** The same function seen from a later "now": value'(t) = value(t + shift). */
    public StepFunction shiftedLeft(long shift) {
        if (shift <= 0) {
            return this;
        }
        int first = Arrays.binarySearch(starts, shift);
        first = first < 0 ? -first - 2 : first;
        int n = starts.length - first;
        long[] s = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = i == 0 ? 0 : starts[first + i] - shift;
            v[i] = values[first + i];
        }
        return new StepFunction(s, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepFunction f && Arrays.equals(starts, f.starts) && Arrays.equals(values, f.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StepFunction[");
        for (int i = 0; i < starts.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(starts[i]).append("ms→").append(values[i]);
        }
        return sb.append(']').toString();
    }

    /** A rectangle of bandwidth over a time interval in milliseconds: [fromMillis, toMillis) × height Mbps. */
    public record Rectangle(long fromMillis, long toMillis, double height) {
    }
}
