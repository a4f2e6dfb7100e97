package dev.connectorgate.plan;

import dev.connectorgate.capacity.StepFunction;
import java.util.Arrays;

/**
 * A mutable headroom curve that planners carve startups out of: sorted segments (start, room) over primitive arrays.
 *
 * <p>Room only ever goes down while a plan is built, so a copy of the curve is taken per pass and thrown away after.
 * A big plan cuts the curve into a hundred thousand segments, so they are kept in chunks of at most {@value #CAP}:
 * a new breakpoint shifts one chunk, not the whole curve, and a search skips a chunk whose largest room is too small
 * without looking at its segments (searches start at a service's ready time and would otherwise walk every full
 * segment before the frontier).
 */
final class HeadroomProfile {
    /**
     * Slack for comparing room with a startup's bandwidth, so float noise in the inputs never rejects an exact fit
     * (3 × 40 Mbps in 120 Mbps). Ten times below {@link PlanCheck#EPSILON_MBPS}, so what fits here fits there too.
     */
    static final double TOLERANCE_MBPS = 1e-7;

    private static final int CAP = 64;

    /** Receives the batches of one placement, in ascending start order. */
    interface Batches {
        void add(long start, int instances);
    }

    private long[][] times;
    private double[][] room;
    private int[] length;
    private double[] maxRoom;
    private int chunks;
    /** Segments and chunks stepped over so far: a deterministic measure of the work done, for planners' budgets. */
    private long steps;

    HeadroomProfile(StepFunction headroom) {
        long[] t = new long[headroom.size()];
        double[] r = new double[headroom.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = headroom.startAt(i);
            r[i] = headroom.valueAtIndex(i);
        }
        fill(t, r, t.length);
    }

    private HeadroomProfile(long[] t, double[] r, int n) {
        fill(t, r, n);
    }

    private HeadroomProfile(HeadroomProfile o) {
        chunks = o.chunks;
        times = new long[o.times.length][];
        room = new double[o.room.length][];
        for (int c = 0; c < chunks; c++) {
            times[c] = o.times[c].clone();
            room[c] = o.room[c].clone();
        }
        length = o.length.clone();
        maxRoom = o.maxRoom.clone();
    }

    private void fill(long[] t, double[] r, int n) {
        int half = CAP / 2;
        chunks = (n + half - 1) / half;
        int slots = Math.max(4, chunks * 2);
        times = new long[slots][];
        room = new double[slots][];
        length = new int[slots];
        maxRoom = new double[slots];
        for (int c = 0; c < chunks; c++) {
            int from = c * half;
            int len = Math.min(half, n - from);
            times[c] = new long[CAP];
            room[c] = new double[CAP];
            System.arraycopy(t, from, times[c], 0, len);
            System.arraycopy(r, from, room[c], 0, len);
            length[c] = len;
            refresh(c);
        }
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
        long[] t = new long[n];
        double[] r = new double[n];
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
        return new HeadroomProfile(this);
    }

    long steps() {
        return steps;
    }

    private void refresh(int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length[c]; i++) {
            max = Math.max(max, room[c][i]);
        }
        maxRoom[c] = max;
    }

    // The last chunk whose first breakpoint is at or before t (t ≥ 0 = the very first breakpoint).
    private int chunkOf(long t) {
        int lo = 0;
        int hi = chunks - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (times[mid][0] <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private int indexIn(int c, long t) {
        int i = Arrays.binarySearch(times[c], 0, length[c], t);
        return i >= 0 ? i : -i - 2;
    }

    /**
     * The earliest start ≥ from whose window [start, start + duration) has room for one startup of mbps, or -1 when
     * there is none (room past the last breakpoint is too small).
     */
    long earliestFit(long from, long duration, double mbps) {
        double need = mbps - TOLERANCE_MBPS;
        int c = chunkOf(from);
        int i = indexIn(c, from);
        long t = from;
        // Each segment is looked at once: one without room moves the candidate start past it; so does a whole chunk.
        while (times[c][i] < t + duration) {
            steps++;
            if (i == 0 && maxRoom[c] < need) {
                if (c == chunks - 1) {
                    return -1;
                }
                c++;
                t = times[c][0];
                continue;
            }
            boolean lastInChunk = i + 1 == length[c];
            if (room[c][i] < need) {
                if (lastInChunk && c == chunks - 1) {
                    return -1;
                }
                t = lastInChunk ? times[c + 1][0] : times[c][i + 1];
            }
            if (!lastInChunk) {
                i++;
            } else if (c + 1 < chunks) {
                c++;
                i = 0;
            } else {
                break;
            }
        }
        return t;
    }

    /** How many startups of mbps fit at once over [start, start + duration). */
    int fitCount(long start, long duration, double mbps) {
        int c = chunkOf(start);
        int i = indexIn(c, start);
        double min = Double.POSITIVE_INFINITY;
        while (true) {
            steps++;
            min = Math.min(min, room[c][i]);
            if (++i == length[c]) {
                if (++c == chunks) {
                    break;
                }
                i = 0;
            }
            if (times[c][i] >= start + duration) {
                break;
            }
        }
        double n = Math.floor((min + TOLERANCE_MBPS) / mbps);
        return n >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** Takes mbps out of the room over [from, to). */
    void take(long from, long to, double mbps) {
        split(from);
        split(to);
        int c = chunkOf(from);
        int i = indexIn(c, from);
        while (c < chunks && times[c][i] < to) {
            steps++;
            room[c][i] -= mbps;
            if (++i == length[c]) {
                refresh(c);
                c++;
                i = 0;
            }
        }
        if (c < chunks && i > 0) {
            refresh(c);
        }
    }

    // Makes t a breakpoint, with the same room on both sides.
    private void split(long t) {
        int c = chunkOf(t);
        int i = Arrays.binarySearch(times[c], 0, length[c], t);
        if (i >= 0) {
            return;
        }
        int at = -i - 1;
        if (length[c] == CAP) {
            splitChunk(c);
            if (at > CAP / 2) {
                at -= CAP / 2;
                c++;
            }
        }
        int n = length[c];
        System.arraycopy(times[c], at, times[c], at + 1, n - at);
        System.arraycopy(room[c], at, room[c], at + 1, n - at);
        times[c][at] = t;
        room[c][at] = room[c][at - 1];
        length[c] = n + 1;
    }

    // Moves the upper half of a full chunk into a new chunk right after it.
    private void splitChunk(int c) {
        if (chunks == times.length) {
            int grown = chunks * 2;
            times = Arrays.copyOf(times, grown);
            room = Arrays.copyOf(room, grown);
            length = Arrays.copyOf(length, grown);
            maxRoom = Arrays.copyOf(maxRoom, grown);
        }
        System.arraycopy(times, c + 1, times, c + 2, chunks - c - 1);
        System.arraycopy(room, c + 1, room, c + 2, chunks - c - 1);
        System.arraycopy(length, c + 1, length, c + 2, chunks - c - 1);
        System.arraycopy(maxRoom, c + 1, maxRoom, c + 2, chunks - c - 1);
        chunks++;
        int half = CAP / 2;
        times[c + 1] = new long[CAP];
        room[c + 1] = new double[CAP];
        System.arraycopy(times[c], half, times[c + 1], 0, CAP - half);
        System.arraycopy(room[c], half, room[c + 1], 0, CAP - half);
        length[c] = half;
        length[c + 1] = CAP - half;
        refresh(c);
        refresh(c + 1);
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
