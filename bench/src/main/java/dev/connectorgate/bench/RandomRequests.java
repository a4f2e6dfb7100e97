package dev.connectorgate.bench;

import dev.connectorgate.capacity.StepFunction;
import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.PlanningProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random planning problems shaped like real requests on real connectors, shared by both benchmarks.
 *
 * <p>Connectors are f1-micro (50 Mbps), e2-micro (100) or e2-standard-4 (1600) per instance × 2–10 instances × 0.8
 * utilization, minus a random baseline, sometimes minus a few reservation rectangles of earlier plans. A startup's
 * bandwidth is drawn from 5–150 Mbps but never above the connector's headroom once reservations end, so every
 * instance can fit somewhere.
 */
final class RandomRequests {
    private static final double[] PER_INSTANCE_MBPS = {50, 100, 1600};
    private static final double TARGET_UTILIZATION = 0.8;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private RandomRequests() {
    }

    /** A request with a service count skewed toward small (1–400) and instance counts skewed toward 1 (1–20). */
    static PlanningProblem mixed(SplittableRandom r) {
        int services = skewed(r, 400);
        StepFunction headroom = headroom(r);
        return new PlanningProblem(headroom, services(r, services, () -> skewed(r, 20), headroom.finalValue()),
                NO_DEADLINE);
    }

    /** Exactly this many services of exactly this many instances each, on a large connector. */
    static PlanningProblem sized(SplittableRandom r, int services, int instances) {
        double usable = 10 * PER_INSTANCE_MBPS[2] * TARGET_UTILIZATION;
        StepFunction headroom = StepFunction.constant(usable - r.nextDouble(0, 0.3) * usable);
        return new PlanningProblem(headroom, services(r, services, () -> instances, headroom.finalValue()),
                NO_DEADLINE);
    }

    // Log-uniform on 1..max: as many requests of 1–20 services as of 20–400.
    private static int skewed(SplittableRandom r, int max) {
        return (int) Math.min(max, Math.floor(Math.exp(r.nextDouble() * Math.log(max + 1))));
    }

    private static StepFunction headroom(SplittableRandom r) {
        double usable = PER_INSTANCE_MBPS[r.nextInt(PER_INSTANCE_MBPS.length)] * r.nextInt(2, 11) * TARGET_UTILIZATION;
        double room = usable - r.nextDouble(0, 0.6) * usable;
        List<StepFunction.Rectangle> reservations = new ArrayList<>();
        if (r.nextInt(3) == 0) {
            for (int k = r.nextInt(1, 4); k > 0; k--) {
                long from = r.nextLong(0, 60_000);
                reservations.add(new StepFunction.Rectangle(from, from + r.nextLong(5_000, 60_000),
                        r.nextDouble(0.1, 0.6) * room));
            }
        }
        return StepFunction.constantMinus(room, reservations);
    }

    private static List<ServiceSpec> services(SplittableRandom r, int n, java.util.function.IntSupplier instances,
            double maxMbps) {
        List<ServiceSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> deps = new ArrayList<>();
            // Sparse: about one service in four depends on one or two of the ten before it.
            if (i > 0 && r.nextInt(4) == 0) {
                for (int k = r.nextInt(1, 3); k > 0; k--) {
                    String dep = "svc-" + (i - 1 - r.nextInt(Math.min(i, 10)));
                    if (!deps.contains(dep)) {
                        deps.add(dep);
                    }
                }
            }
            double mbps = Math.round(r.nextDouble(5, Math.min(150, maxMbps)) * 10) / 10.0;
            double seconds = r.nextInt(20, 301) / 10.0;
            out.add(new ServiceSpec("svc-" + i, instances.getAsInt(), mbps, seconds, deps));
        }
        return out;
    }
}
