package dev.connectorgate.simulate;

import dev.connectorgate.model.ServiceSpec;
import dev.connectorgate.plan.Plan;
import dev.connectorgate.plan.Start;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model of what happens on the connector when a plan's instances start: how long each startup really takes when
 * the link is shared, so plans can be compared on startup success rather than on the gate's own arithmetic.
 *
 * <p>The model is fluid and event-driven:
 * <ul>
 * <li>The link carries the connector's raw throughput, running instances × per-instance Mbps: not the gate's
 * target utilization, which is a safety margin of the gate, not a property of the link.</li>
 * <li>Each starting instance is a flow demanding its service's startupMbps and has a volume to move,
 * startupMbps × startupSeconds. The baseline load is one more flow demanding baselineMbps, which never ends.</li>
 * <li>The link is shared max–min fairly (water-filling): every flow gets an equal share, a flow demanding less than
 * its share keeps its demand, and what it leaves is split among the others the same way. An uncongested link gives
 * every flow its demand, so an instance on a plan that fits starts in exactly its nominal startupSeconds.</li>
 * <li>Rates are recomputed at every event, a batch starting or finishing, and are constant in between, so the times
 * are exact up to floating point: no time step.</li>
 * <li>A startup takes finish − actual start. It fails when that exceeds startupSeconds + grace (at exactly nominal +
 * grace it succeeds); comparisons allow one microsecond so float rounding cannot flip a startup that lands on the
 * boundary. A failed startup keeps its flow until its volume is moved: the model does not abort or retry it, which
 * flatters overloaded plans (a real probe timeout restarts the instance and adds load).</li>
 * </ul>
 *
 * <p>Starts come from the plan's offsets. The plan waited for each dependency's <em>nominal</em> finish; when a
 * dependency runs late here, its dependents start late too: a batch starts at max(its planned offset, the actual
 * finish of every instance of every service it depends on). The delay shows in the makespan and in
 * {@link StartupOutcome#lateStartSeconds()}, not in the startup time, which is measured from the actual start.
 *
 * <p>Instances of one batch are one flow group: equal demand, equal volume, equal start, so they always get equal
 * rates and finish together; that keeps events at two per batch however many instances a batch holds. Everything is
 * a function of the input, so the same plan always gives the same result.
 */
public final class ConnectorSimulator {
    /** The grace the issue sets by default: for 6 s profiles it is the seed's 8 s startup target. */
    public static final double DEFAULT_GRACE_SECONDS = 2.0;
    /** Tolerance, seconds, for "finished now" and for the grace boundary. */
    private static final double EPSILON_SECONDS = 1e-6;

    private final double linkMbps;
    private final double baselineMbps;
    private final double graceSeconds;

    /**
     * @param linkMbps     the connector's raw throughput (running instances × per-instance Mbps), &gt; 0
     * @param baselineMbps the load already on it that no plan accounts for, &gt;= 0
     * @param graceSeconds how much longer than nominal a startup may take and still succeed, &gt;= 0
     */
    public ConnectorSimulator(double linkMbps, double baselineMbps, double graceSeconds) {
        if (!(linkMbps > 0) || Double.isInfinite(linkMbps)) {
            throw new IllegalArgumentException("the link carries a finite throughput > 0 Mbps, got " + linkMbps);
        }
        if (!(baselineMbps >= 0) || Double.isInfinite(baselineMbps)) {
            throw new IllegalArgumentException("baselineMbps must be a finite number >= 0, got " + baselineMbps);
        }
        if (!(graceSeconds >= 0) || Double.isInfinite(graceSeconds)) {
            throw new IllegalArgumentException("the grace must be a finite number of seconds >= 0, got "
                    + graceSeconds);
        }
        this.linkMbps = linkMbps;
        this.baselineMbps = baselineMbps;
        this.graceSeconds = graceSeconds;
    }

    /**
     * Runs a plan of these services on the link.
     *
     * @param services the request's services (a plan's starts name them; dependsOn names services of this list)
     * @param plan     at least one start
     */
    public SimulationResult simulate(List<ServiceSpec> services, Plan plan) {
        if (plan.starts().isEmpty()) {
            throw new IllegalArgumentException("a plan to simulate has at least one start");
        }
        Map<String, ServiceSpec> byName = new HashMap<>();
        for (ServiceSpec s : services) {
            byName.put(s.name(), s);
        }
        // Instances of each service not finished yet: a dependent may start once all of its dependencies' are 0.
        Map<String, Integer> unfinished = new HashMap<>();
        List<Batch> pending = new ArrayList<>();
        for (Start st : plan.starts()) {
            ServiceSpec spec = byName.get(st.service());
            if (spec == null) {
                throw new IllegalArgumentException("the plan starts " + st.service() + ", not one of the services");
            }
            pending.add(new Batch(spec, st.instances(), st.offsetMillis() / 1000.0, pending.size()));
            unfinished.merge(spec.name(), st.instances(), Integer::sum);
        }
        pending.sort(Comparator.comparingDouble((Batch b) -> b.planned).thenComparingInt(b -> b.order));

        List<Batch> active = new ArrayList<>();
        List<Batch> started = new ArrayList<>();
        double now = 0;
        while (!pending.isEmpty() || !active.isEmpty()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                Batch b = it.next();
                if (b.planned <= now && ready(b, unfinished)) {
                    b.start = now;
                    active.add(b);
                    started.add(b);
                    it.remove();
                }
            }
            share(active);
            double next = Double.POSITIVE_INFINITY;
            for (Batch b : pending) {
                // A batch waiting for a dependency becomes ready only at a finish, which is an event anyway.
                if (b.planned > now && ready(b, unfinished)) {
                    next = Math.min(next, b.planned);
                }
            }
            for (Batch b : active) {
                next = Math.min(next, now + b.remaining / b.rate);
            }
            if (next == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("starts wait on dependencies that never finish: "
                        + pending.get(0).spec.name() + " depends on " + pending.get(0).spec.dependsOn());
            }
            double dt = next - now;
            for (var it = active.iterator(); it.hasNext(); ) {
                Batch b = it.next();
                if (now + b.remaining / b.rate <= next + EPSILON_SECONDS) {
                    b.finish = next;
                    unfinished.merge(b.spec.name(), -b.instances, Integer::sum);
                    it.remove();
                } else {
                    b.remaining -= b.rate * dt;
                }
            }
            now = next;
        }
        List<StartupOutcome> outcomes = new ArrayList<>(started.size());
        for (Batch b : started) {
            double took = b.finish - b.start;
            boolean ok = took <= b.spec.startupSeconds() + graceSeconds + EPSILON_SECONDS;
            outcomes.add(new StartupOutcome(b.spec.name(), b.instances, b.planned, b.start, b.finish,
                    b.spec.startupSeconds(), ok));
        }
        return new SimulationResult(outcomes, graceSeconds);
    }

    private static boolean ready(Batch b, Map<String, Integer> unfinished) {
        for (String dep : b.spec.dependsOn()) {
            if (unfinished.getOrDefault(dep, 0) > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Max–min fair rates for the active batches and the baseline flow: in order of rising demand, each flow takes its
     * demand if that is no more than an equal split of what is left, else every remaining flow takes that split.
     */
    private void share(List<Batch> active) {
        Batch[] byDemand = active.toArray(new Batch[0]);
        Arrays.sort(byDemand, Comparator.comparingDouble((Batch b) -> b.spec.startupMbps()));
        double left = linkMbps;
        long flows = 1;
        for (Batch b : byDemand) {
            flows += b.instances;
        }
        boolean baselineServed = baselineMbps == 0;
        if (baselineServed) {
            flows--;
        }
        int i = 0;
        while (i < byDemand.length) {
            double split = left / flows;
            double demand = byDemand[i].spec.startupMbps();
            // The baseline is a flow too: served in its place in the order of demands.
            if (!baselineServed && baselineMbps <= demand) {
                if (baselineMbps > split) {
                    break;
                }
                left -= baselineMbps;
                flows--;
                baselineServed = true;
                continue;
            }
            if (demand > split) {
                break;
            }
            byDemand[i].rate = demand;
            left -= demand * byDemand[i].instances;
            flows -= byDemand[i].instances;
            i++;
        }
        double split = flows == 0 ? 0 : left / flows;
        for (; i < byDemand.length; i++) {
            byDemand[i].rate = split;
        }
    }

    /** One start of the plan while it is simulated: its instances share one rate and one remaining volume each. */
    private static final class Batch {
        final ServiceSpec spec;
        final int instances;
        final double planned;
        final int order;
        double remaining;
        double rate;
        double start;
        double finish;

        Batch(ServiceSpec spec, int instances, double planned, int order) {
            this.spec = spec;
            this.instances = instances;
            this.planned = planned;
            this.order = order;
            this.remaining = spec.startupMbps() * spec.startupSeconds();
        }
    }
}
