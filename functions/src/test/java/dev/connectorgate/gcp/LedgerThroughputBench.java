package dev.connectorgate.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import dev.connectorgate.admission.GateService;
import dev.connectorgate.decision.Gate;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubMessage;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.Load;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.model.Policy;
import dev.connectorgate.plan.WavePlanner;
import dev.connectorgate.ports.ConnectorLookup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Decisions per second through GateService on the Firestore ledger, against the emulator: a measurement, not a test
 * with a threshold. Its name keeps it out of surefire's default run; run it with
 *
 * <pre>
 * mvn -B -pl functions -am test -Dtest=LedgerThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     [-Dbench.threads=1,4,16] [-Dbench.requests=96]
 * </pre>
 *
 * <p>Each run decides {@code bench.requests} fresh requests (one service, one instance, 10 Mbps for 1 s, so every
 * one is admitted and reserves) with N threads, each thread a function instance with a ledger of its own, on one
 * connector and spread over 8. The wall clock is the gate's clock, so reservations end and are pruned as in service.
 */
class LedgerThroughputBench {
    private static final String PROJECT = "projects/netra-bench/locations/us-central1/connectors/";

    @Test
    void measureDecisionsPerSecond() throws Exception {
        int[] threadCounts = Arrays.stream(System.getProperty("bench.threads", "1,4,16").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int requests = Integer.getInteger("bench.requests", 96);
        Firestore db = FirestoreEmulator.get().firestore();
        // A first run warms the emulator and the JIT up; it is not reported.
        run(db, 8, 4, 96);
        List<String> rows = new ArrayList<>();
        for (int connectors : new int[] {1, 8}) {
            for (int threads : threadCounts) {
                rows.add(run(db, connectors, threads, requests));
            }
        }
        System.out.println("LedgerThroughputBench (Firestore emulator, " + Runtime.getRuntime().availableProcessors()
                + " CPUs, " + requests + " requests per run)");
        System.out.println("connectors threads decisions/s  p50 ms  p95 ms  max ms");
        rows.forEach(System.out::println);
    }

    private static String run(Firestore db, int connectors, int threads, int requests) throws Exception {
        String prefix = FirestoreEmulator.freshPrefix("bench");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[requests];
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(pool.submit(() -> {
                GateService instance = service(new FirestoreLedger(db, prefix));
                go.await();
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    String connector = PROJECT + "bench-" + (i % connectors);
                    long started = System.nanoTime();
                    GateDecision d = instance.onRequest(message("m" + i, request("r" + i, connector))).get(0);
                    latencies[i] = System.nanoTime() - started;
                    assertThat(d.verdict().admits()).as("request %d: %s", i, d.reasons()).isTrue();
                }
                return null;
            }));
        }
        long started = System.nanoTime();
        go.countDown();
        try {
            for (Future<?> f : running) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return String.format("%10d %7d %13.1f %7d %7d %7d", connectors, threads, requests / seconds,
                millis(sorted[sorted.length / 2]), millis(sorted[(int) Math.ceil(sorted.length * 0.95) - 1]),
                millis(sorted[sorted.length - 1]));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static GateService service(FirestoreLedger ledger) {
        Clock clock = Clock.systemUTC();
        return new GateService(new Gate(new WavePlanner(), Policy.DEFAULT), ledger,
                name -> name.startsWith(PROJECT)
                        ? new ConnectorLookup.Found(new Connector(name, MachineType.E2_MICRO, 2, 3, 2,
                                ConnectorState.READY))
                        : new ConnectorLookup.NotFound(name),
                c -> Optional.of(new Load(20, clock.instant(), "bench")), clock, (s, m, f) -> { });
    }

    private static PubSubMessage message(String id, String json) {
        return new PubSubMessage(json.getBytes(StandardCharsets.UTF_8), Map.of(), id, null, null);
    }

    private static String request(String id, String connector) {
        return "{\"requestId\":\"" + id + "\",\"connector\":\"" + connector + "\",\"deadlineSeconds\":86400,"
                + "\"services\":[{\"name\":\"api\",\"instances\":1,\"startupMbps\":10,\"startupSeconds\":1}]}";
    }
}
