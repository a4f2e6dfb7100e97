package dev.connectorgate.plan;

import dev.connectorgate.capacity.StepFunction;
import java.util.Arrays;

/**
 * A mutable headroom curve that planners carve startups out of: sorted breakpoints and room over primitive arrays.
 *
 * <p>Room only ever goes down while a plan is built, so a copy of the curve is taken per pass and thrown away after.
 */
final class HeadroomProfile {
    /**
     * Slack for comparing room with a startup's bandwidth, so float noise in the inputs never rejects an exact fit
     * (3 × 40 Mbps in 120 Mbps). Ten times below {@link PlanCheck#EPSILON_MBPS}, so what fits here fits there too.
     */
    static final double TOLERANCE_MBPS = 1e-7;

    /** Receives the batches of one placement, in ascending start order. */
    interface Batches {
        void add(long start, int instances);
    }

    private long[] times;
    private double[] room;
    private int size;

    HeadroomProfile(StepFunction headroom) {
        size = headroom.size();
        times = new long[Math.max(16, size * 2)];
        room = new double[times.length];
        for (int i = 0; i < size; i++) {
            times[i] = headroom.startAt(i);
            room[i] = headroom.valueAtIndex(i);
        }
    }

    private HeadroomProfile(long[] times, double[] room, int size) {
        this.times = times;
        this.room = room;
        this.size = size;
    }

    /**
     * The curve seen backwards from {@code horizon}: room'(τ) = room(horizon − τ), with no room at all past the horizon
     * (that would be before offset 0). A real interval [a, b) becomes [horizon − b, horizon − a).
     */
    static HeadroomProfile reversed(StepFunction headroom, long horizon) {
        int last = 0;
        while (last + 1 < headroom.size() && headroom.startAt(last + 1) < horizon) {
            last++;
        }
        int n = last + 2;
        long[] t = new long[Math.max(16, n * 2)];
        double[] r = new double[t.length];
        for (int i = last, k = 0; i >= 0; i--, k++) {
            long end = i + 1 < headroom.size() ? Math.min(horizon, headroom.startAt(i + 1)) : horizon;
            t[k] = horizon - end;
            r[k] = headroom.valueAtIndex(i);
        }
        t[n - 1] = horizon;
        r[n - 1] = Double.NEGATIVE_INFINITY;
        return new HeadroomProfile(t, r, n);
    }

    HeadroomProfile copy() {
        return new HeadroomProfile(times.clone(), room.clone(), size);
    }

    /** Index of the segment holding t: the last breakpoint at or before it. */
    private int segmentOf(long t) {
        int i = Arrays.binarySearch(times, 0, size, t);
        return i >= 0 ? i : -i - 2;
    }

    /**
     * The earliest start ≥ from whose window [start, start + duration) has room for one startup of mbps, or -1 when
     * there is none (room past the last breakpoint is too small).
     */
    long earliestFit(long from, long duration, double mbps) {
        int k = segmentOf(from);
        long t = from;
        // Each segment is looked at once: a segment without room moves the candidate start past it.
        while (k < size && times[k] < t + duration) {
            if (room[k] + TOLERANCE_MBPS < mbps) {
                if (k == size - 1) {
                    return -1;
                }
                t = times[k + 1];
            }
            k++;
        }
        return t;
    }

    /** How many startups of mbps fit at once over [start, start + duration). */
    int fitCount(long start, long duration, double mbps) {
        int k = segmentOf(start);
        double min = room[k];
        for (k++; k < size && times[k] < start + duration; k++) {
            min = Math.min(min, room[k]);
        }
        double n = Math.floor((min + TOLERANCE_MBPS) / mbps);
        return n >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** Takes mbps out of the room over [from, to). */
    void take(long from, long to, double mbps) {
        int i = split(from);
        int j = split(to);
        for (int k = i; k < j; k++) {
            room[k] -= mbps;
        }
    }

    // Makes t a breakpoint (same room on both sides) and returns its index.
    private int split(long t) {
        int i = Arrays.binarySearch(times, 0, size, t);
        if (i >= 0) {
            return i;
        }
        int at = -i - 1;
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            room = Arrays.copyOf(room, size * 2);
        }
        System.arraycopy(times, at, times, at + 1, size - at);
        System.arraycopy(room, at, room, at + 1, size - at);
        times[at] = t;
        room[at] = room[at - 1];
        size++;
        return at;
    }

    /**
     * Places {@code instances} startups of one service from {@code from} on: as many as fit at the earliest start with
     * room for one, the rest ramped at later starts. Returns the finish of the last batch, or -1 if some never fit
     * (the profile is then partly used and should be dropped).
     */
    long place(long from, long duration, double mbps, int instances, Batches out) {
        int left = instances;
        long t = from;
        long finish = from;
        while (left > 0) {
            t = earliestFit(t, duration, mbps);
            if (t < 0) {
                return -1;
            }
            int n = Math.max(1, Math.min(left, fitCount(t, duration, mbps)));
            take(t, t + duration, n * mbps);
            out.add(t, n);
            left -= n;
            finish = t + duration;
        }
        return finish;
    }
}
