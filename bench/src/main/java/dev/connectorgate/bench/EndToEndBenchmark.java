package dev.connectorgate.bench;

import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.AckReplyConsumer;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Warm end-to-end latency and throughput of the whole local gate: starts {@code ./gate up}, publishes deployment
 * requests to {@code gate-requests} with the Java Pub/Sub client and times each one until the decision carrying its
 * requestId arrives on {@code gate-decisions}, first one request in flight at a time, then several.
 *
 * <p>Run from the repository root after {@code mvn -q -B -DskipTests package}:
 * {@code java -cp bench/target/benchmarks.jar dev.connectorgate.bench.EndToEndBenchmark [--requests 300]
 * [--warmup 20] [--concurrency 8] [--up-timeout 120] [--budget 240]}. The environment is written to a temporary
 * folder: one large connector, and every request is one instance of one service with a one-second startup, so each is
 * an ALLOW decided at once and none waits for capacity left by another. The last line is a one-line summary.
 */
public final class EndToEndBenchmark {
    private static final String PROJECT = "connector-gate-local";
    private static final String REQUESTS_TOPIC = "gate-requests";
    private static final String DECISIONS_TOPIC = "gate-decisions";
    private static final String READY_LINE = "connector-gate is up";
    // gate up's first line names the folder of its logs, one per function.
    private static final String LOGS_IN = "logs in ";
    private static final String CONNECTOR =
            "projects/connector-gate-bench/locations/us-central1/connectors/bench-connector";
    private static final int CONNECTOR_INSTANCES = 10;
    private static final double STARTUP_MBPS = 10;
    private static final int STARTUP_SECONDS = 1;
    // A decision later than this is counted lost: the bridge redelivers a failed delivery only after 5 s, and the
    // function's own publish gives up after 12 s.
    private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(45);
    // run-all.sh's timeout sends SIGKILL 10 s after SIGTERM: the shutdown hook must be done before.
    private static final Duration STOP_WITHIN_HOOK = Duration.ofSeconds(7);

    private final Options options;
    private final String runTag = Long.toString(System.currentTimeMillis(), 36);
    private final Map<String, CompletableFuture<Received>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger strangers = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();

    /** A decision as the subscriber got it: when (both clocks), its verdict and the gate's decidedAt. */
    private record Received(long nanos, Instant at, String verdict, Optional<Instant> decidedAt) {}

    /**
     * One request's timings: publish → decision received and publish → publish acknowledged on this JVM's monotonic
     * clock, and the wall-clock instants that split the latency at the gate's decidedAt.
     */
    private record Sample(String requestId, long latencyNanos, long ackNanos, Instant sentAt,
            Optional<Instant> decidedAt, Instant receivedAt, String verdict) {}

    /** What one phase measured; {@code cut} says it ended at the time bound before all its requests were sent. */
    private record Phase(String name, int concurrency, List<Sample> samples, int lost, long wallNanos, boolean cut) {}

    private EndToEndBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("EndToEndBenchmark: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new EndToEndBenchmark(options).run());
    }

    private int run() throws Exception {
        long started = System.nanoTime();
        long deadline = started + options.budget.toNanos();
        Path repo = options.repo;
        if (!Files.isExecutable(repo.resolve("gate")) || !Files.isRegularFile(
                repo.resolve("functions/target/connector-gate.jar"))) {
            System.err.println("EndToEndBenchmark: run it from the repository root after mvn -q -B -DskipTests"
                    + " package (no ./gate or functions/target/connector-gate.jar in " + repo + ")");
            return 2;
        }
        Path work = Files.createTempDirectory("end-to-end-");
        Path env = work.resolve("environment.json");
        Files.writeString(env, environment(), StandardCharsets.UTF_8);
        String hostPort = "127.0.0.1:" + freeLoopbackPort();

        GateUp up = new GateUp(repo, work);
        // Ctrl-C, or run-all.sh's timeout: gate up runs in a session of its own, so no signal to ours reaches it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> up.stop(STOP_WITHIN_HOOK), "end-to-end-stop"));
        System.err.println("end-to-end: starting ./gate up on " + hostPort + " (output in " + work + ")");
        Optional<String> notUp = up.start(hostPort, env, options.upTimeout);
        if (notUp.isPresent()) {
            System.err.println("end-to-end: " + notUp.get() + up.diagnostics());
            up.stop(STOP_WITHIN);
            return 1;
        }
        double upSeconds = (System.nanoTime() - started) / 1e9;
        System.err.println(String.format(Locale.ROOT, "end-to-end: gate up is up after %.1f s", upSeconds));

        List<Phase> phases = new ArrayList<>();
        String failure = null;
        ManagedChannel channel = ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build();
        TransportChannelProvider channels = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
        Subscriber subscriber = null;
        Publisher publisher = null;
        try {
            ProjectSubscriptionName subscription = ProjectSubscriptionName.of(PROJECT, "bench-decisions-" + runTag);
            try (SubscriptionAdminClient admin = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                    .setTransportChannelProvider(channels).setCredentialsProvider(NoCredentialsProvider.create())
                    .build())) {
                // First: a subscription gets only what is published after it exists.
                admin.createSubscription(Subscription.newBuilder().setName(subscription.toString())
                        .setTopic(TopicName.of(PROJECT, DECISIONS_TOPIC).toString()).setAckDeadlineSeconds(60)
                        .build());
            }
            subscriber = Subscriber.newBuilder(subscription, this::onDecision).setChannelProvider(channels)
                    .setCredentialsProvider(NoCredentialsProvider.create()).build();
            subscriber.startAsync().awaitRunning(30, TimeUnit.SECONDS);
            publisher = Publisher.newBuilder(TopicName.of(PROJECT, REQUESTS_TOPIC)).setChannelProvider(channels)
                    .setCredentialsProvider(NoCredentialsProvider.create())
                    // One message per publish call, sent at once: batching would add its delay to every latency.
                    .setBatchingSettings(BatchingSettings.newBuilder().setElementCountThreshold(1L)
                            .setRequestByteThreshold(1L).setDelayThresholdDuration(Duration.ofMillis(1)).build())
                    .build();

            Phase warmup = phase(publisher, "warm-up", options.warmup, 1, deadline);
            System.err.println("end-to-end: warm-up done: " + warmup.samples.size() + " decisions, " + warmup.lost
                    + " lost");
            if (warmup.samples.isEmpty()) {
                failure = "no decision arrived during the warm-up";
            } else {
                // The sequential phase is the slow one: bounded so the concurrent one still gets a quarter of the
                // time left.
                long now = System.nanoTime();
                phases.add(phase(publisher, "sequential", options.requests, 1, now + (deadline - now) / 4 * 3));
                phases.add(phase(publisher, "concurrent", options.requests, options.concurrency, deadline));
            }
        } catch (RuntimeException | TimeoutException e) {
            failure = "the Pub/Sub clients failed: " + e;
        } finally {
            if (publisher != null) {
                publisher.shutdown();
                publisher.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (subscriber != null) {
                subscriber.stopAsync();
                try {
                    subscriber.awaitTerminated(5, TimeUnit.SECONDS);
                } catch (TimeoutException | IllegalStateException e) {
                    // Stopping is best effort: the channel below is shut down anyway and gate up stops next.
                }
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        String stopped = up.stop(STOP_WITHIN);
        System.err.println("end-to-end: " + stopped);

        report(upSeconds, phases, stopped, (System.nanoTime() - started) / 1e9, up.decisionsLogged());
        if (failure != null) {
            System.err.println("end-to-end: " + failure + up.diagnostics());
            return 1;
        }
        return phases.stream().allMatch(p -> p.lost == 0) ? 0 : 1;
    }

    /**
     * Sends {@code count} fresh requests with {@code concurrency} in flight (each worker publishes its next only once
     * the decision for its last has arrived) and times each one; stops sending at {@code deadline}.
     */
    private Phase phase(Publisher publisher, String name, int count, int concurrency, long deadline)
            throws InterruptedException {
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger cut = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    if (System.nanoTime() > deadline) {
                        cut.incrementAndGet();
                        return;
                    }
                    Optional<Sample> s = one(publisher, name + "-" + i);
                    if (s.isPresent()) {
                        samples.add(s.get());
                    } else {
                        lost.incrementAndGet();
                    }
                }
            }, "end-to-end-" + name + "-" + w);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long wall = System.nanoTime() - t0;
        Phase phase = new Phase(name, concurrency, List.copyOf(samples), lost.get(), wall, cut.get() > 0);
        if (phase.cut) {
            System.err.println("end-to-end: " + name + " stopped at the time bound after " + samples.size()
                    + " decisions");
        }
        return phase;
    }

    /** One request, publish → its decision; empty when it was not published or its decision did not come. */
    private Optional<Sample> one(Publisher publisher, String suffix) {
        String requestId = "e2e-" + runTag + "-" + suffix;
        CompletableFuture<Received> decision = new CompletableFuture<>();
        // Registered before the publish: the decision may arrive before publish() returns its future.
        pending.put(requestId, decision);
        PubsubMessage message = PubsubMessage.newBuilder()
                .setData(ByteString.copyFromUtf8(request(requestId, "b-" + runTag + "-" + suffix)))
                .putAttributes("requestId", requestId)
                .build();
        Instant sentAt = Instant.now();
        long sent = System.nanoTime();
        try {
            publisher.publish(message).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long acked = System.nanoTime();
            Received r = decision.get(DECISION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(new Sample(requestId, r.nanos - sent, acked - sent, sentAt, r.decidedAt, r.at,
                    r.verdict));
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("end-to-end: " + requestId + ": " + (e instanceof TimeoutException
                    ? "no decision within " + DECISION_TIMEOUT.toSeconds() + " s" : "publish failed: " + e.getCause()));
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            pending.remove(requestId);
        }
    }

    /** The subscriber's callback: every message is acked; only one with a requestId we wait for counts. */
    private void onDecision(PubsubMessage m, AckReplyConsumer ack) {
        long now = System.nanoTime();
        Instant at = Instant.now();
        ack.ack();
        // The emulator applies no subscription filter, and a redelivery may repeat a decision: check it here.
        CompletableFuture<Received> waiting = pending.get(m.getAttributesOrDefault("requestId", ""));
        if (waiting == null) {
            strangers.incrementAndGet();
            return;
        }
        Optional<Instant> decidedAt;
        try {
            JsonObject d = JsonParser.parseString(m.getData().toStringUtf8()).getAsJsonObject();
            decidedAt = Optional.of(Instant.parse(d.get("decidedAt").getAsString()));
        } catch (RuntimeException e) {
            decidedAt = Optional.empty();
        }
        if (!waiting.complete(new Received(now, at, m.getAttributesOrDefault("verdict", "?"), decidedAt))) {
            duplicates.incrementAndGet();
        }
    }

    private void report(double upSeconds, List<Phase> phases, String stopped, double totalSeconds,
            Map<String, Instant> logged) {
        System.out.println("Warm end-to-end through ./gate up: publish to " + REQUESTS_TOPIC + " -> the decision with"
                + " that requestId received on " + DECISIONS_TOPIC + " (streaming pull)");
        System.out.println(String.format(Locale.ROOT, "  connector %s x %d (%.0f Mbps usable), no baseline; every"
                + " request: 1 service x 1 instance, %.0f Mbps for %d s, so each is an ALLOW and none waits for"
                + " capacity", "e2-standard-4", CONNECTOR_INSTANCES, CONNECTOR_INSTANCES * 1600 * 0.8, STARTUP_MBPS,
                STARTUP_SECONDS));
        System.out.println(String.format(Locale.ROOT, "  %d CPUs, load average %s, java %s; gate up ready after"
                + " %.1f s; warm-up %d requests; %s", Runtime.getRuntime().availableProcessors(), loadAverage(),
                System.getProperty("java.version"), upSeconds, options.warmup, stopped));
        System.out.println();
        System.out.println("                                 latency, publish -> decision received        "
                + "           its parts, p50/p90 ms");
        System.out.println("phase       in flight  decided  lost   p50 ms   p90 ms   p99 ms   max ms  decisions/s"
                + "     ack   to gate    ledger      back  verdicts");
        for (Phase p : phases) {
            System.out.println(String.format(Locale.ROOT,
                    "%-11s %9d %8s %5d %8s %8s %8s %8s %12s %7s %9s %9s %9s  %s",
                    p.name, p.concurrency, p.samples.size() + (p.cut ? "*" : ""), p.lost,
                    ms(p, 50, Sample::latencyNanos), ms(p, 90, Sample::latencyNanos), ms(p, 99, Sample::latencyNanos),
                    ms(p, 100, Sample::latencyNanos),
                    String.format(Locale.ROOT, "%.1f", p.samples.size() / (p.wallNanos / 1e9)),
                    ms(p, 50, Sample::ackNanos) + "/" + ms(p, 90, Sample::ackNanos),
                    part(p, s -> s.decidedAt.map(d -> Duration.between(s.sentAt, d))),
                    part(p, s -> s.decidedAt.flatMap(d -> Optional.ofNullable(logged.get(s.requestId))
                            .map(l -> Duration.between(d, l)))),
                    part(p, s -> Optional.ofNullable(logged.get(s.requestId))
                            .map(l -> Duration.between(l, s.receivedAt))),
                    verdicts(p)));
        }
        if (phases.stream().anyMatch(p -> p.cut)) {
            System.out.println("* stopped at the time bound (--budget " + options.budget.toSeconds() + " s) before"
                    + " all " + options.requests + " requests were sent");
        }
        System.out.println("  ack: publish -> the emulator acknowledged it. to gate: publish -> the decision's"
                + " decidedAt (emulator, the bridge's pull, its POST, the invoker);");
        System.out.println("  ledger: decidedAt -> the function logs 'request decided' (its ledger transactions on"
                + " the Firestore emulator); back: that log line -> received");
        System.out.println("  here (the function publishing to " + DECISIONS_TOPIC + ", the emulator, the streaming"
                + " pull). The parts come from wall clocks of one machine;");
        System.out.println("  their percentiles need not add up to the latency's.");
        if (logged.isEmpty()) {
            System.out.println("  (the function's log was not found: no ledger/back split)");
        }
        if (strangers.get() > 0 || duplicates.get() > 0) {
            System.out.println("  also received: " + strangers.get() + " decisions for no request in flight, "
                    + duplicates.get() + " repeated decisions");
        }
        System.out.println(String.format(Locale.ROOT, "  total %.0f s", totalSeconds));
        System.out.println(summary(phases));
        System.out.flush();
    }

    /** The one line run-all.sh shows: p50/p99 of both phases and the throughput with several in flight. */
    private static String summary(List<Phase> phases) {
        if (phases.isEmpty()) {
            return "summary end-to-end: not measured";
        }
        return "summary end-to-end: " + phases.stream().map(p -> String.format(Locale.ROOT,
                "%d in flight p50 %s ms p99 %s ms %.1f/s", p.concurrency, ms(p, 50, Sample::latencyNanos),
                ms(p, 99, Sample::latencyNanos), p.samples.size() / (p.wallNanos / 1e9)))
                .collect(Collectors.joining("; "));
    }

    private static String ms(Phase p, int percentile, ToLongFunction<Sample> nanos) {
        long[] sorted = p.samples.stream().mapToLong(nanos).sorted().toArray();
        return sorted.length == 0 ? "-" : String.format(Locale.ROOT, "%.0f", nearestRank(sorted, percentile) / 1e6);
    }

    /** p50/p90 of one part of the latency, over the samples for which both its ends are known. */
    private static String part(Phase p, Function<Sample, Optional<Duration>> part) {
        long[] sorted = p.samples.stream().map(part).flatMap(Optional::stream).mapToLong(Duration::toMillis)
                .sorted().toArray();
        return sorted.length == 0 ? "-" : nearestRank(sorted, 50) + "/" + nearestRank(sorted, 90);
    }

    /** The nearest-rank percentile: a value that was measured, never an interpolation. */
    private static long nearestRank(long[] sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static String verdicts(Phase p) {
        Map<String, Long> counts = new TreeMap<>(p.samples.stream()
                .collect(Collectors.groupingBy(Sample::verdict, Collectors.counting())));
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** One large connector and a policy whose defaults match the requests: every request fits at once. */
    private static String environment() {
        JsonObject connector = new JsonObject();
        connector.addProperty("name", CONNECTOR);
        connector.addProperty("machineType", "e2-standard-4");
        connector.addProperty("minInstances", CONNECTOR_INSTANCES);
        connector.addProperty("maxInstances", CONNECTOR_INSTANCES);
        connector.addProperty("instances", CONNECTOR_INSTANCES);
        connector.addProperty("state", "READY");
        connector.addProperty("baselineMbps", 0);
        JsonArray connectors = new JsonArray();
        connectors.add(connector);
        JsonObject policy = new JsonObject();
        policy.addProperty("targetUtilization", 0.8);
        policy.addProperty("defaultStartupMbps", STARTUP_MBPS);
        policy.addProperty("defaultStartupSeconds", STARTUP_SECONDS);
        JsonObject root = new JsonObject();
        root.add("connectors", connectors);
        root.add("policy", policy);
        return root.toString();
    }

    /**
     * One instance of one service, 10 Mbps for a second: its reservation ends a second after its decision, so even
     * all of a phase's requests together never come near the connector's 12 800 Mbps.
     */
    private static String request(String requestId, String buildId) {
        JsonObject service = new JsonObject();
        service.addProperty("name", "bench-service");
        service.addProperty("instances", 1);
        service.addProperty("startupMbps", STARTUP_MBPS);
        service.addProperty("startupSeconds", STARTUP_SECONDS);
        JsonArray services = new JsonArray();
        services.add(service);
        JsonObject request = new JsonObject();
        request.addProperty("requestId", requestId);
        request.addProperty("buildId", buildId);
        request.addProperty("connector", CONNECTOR);
        request.add("services", services);
        return request.toString();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * {@code ./gate up} as a child in a session and process group of its own (setsid), so that it and everything it
     * forked can be ended together, and so that a terminal's Ctrl-C reaches it only through our shutdown hook.
     */
    private static final class GateUp {
        private final Path repo;
        private final Path out;
        private final Path err;
        // Everything it started, with their groups: each emulator runs in a group of its own, not in gate up's.
        private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
        // Set once, before start() waits: the shutdown hook must be able to stop it while start() still waits.
        private volatile Process process;
        private String stopped;

        GateUp(Path repo, Path work) {
            this.repo = repo;
            this.out = work.resolve("gate-up.out");
            this.err = work.resolve("gate-up.err");
        }

        /** Starts it and waits for its ready line; empty when it is up, else why not. */
        Optional<String> start(String hostPort, Path env, Duration within)
                throws IOException, InterruptedException {
            ProcessBuilder builder = new ProcessBuilder("setsid", repo.resolve("gate").toString(), "up",
                    "--host-port", hostPort, "--env", env.toString(), "--project", PROJECT)
                    .directory(repo.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            // The gate reads its topics, ledger and decision sink from GATE_*: a GATE_DECISIONS_FILE or another
            // decisions topic left in this shell would send the decisions where this benchmark never looks.
            builder.environment().keySet().removeIf(k -> k.startsWith("GATE_") || k.endsWith("_EMULATOR_HOST"));
            synchronized (this) {
                process = builder.start();
            }
            long deadline = System.nanoTime() + within.toNanos();
            while (!read(out).contains(READY_LINE)) {
                remember();
                if (!process.isAlive()) {
                    return Optional.of("gate up exited with status " + process.exitValue() + " before it was up");
                }
                if (System.nanoTime() > deadline) {
                    return Optional.of("gate up was not up within " + within.toSeconds() + " s");
                }
                Thread.sleep(200);
            }
            remember();
            return Optional.empty();
        }

        /**
         * SIGTERM, then waits for gate up and every process it started to end; whatever is left after
         * {@code within} is killed with its process group. Says how it went; a second call only repeats that.
         */
        synchronized String stop(Duration within) {
            if (process == null) {
                return "gate up was not started";
            }
            if (stopped != null) {
                return stopped;
            }
            remember();
            long t0 = System.nanoTime();
            long deadline = t0 + within.toNanos();
            Set<Long> groups = groups();
            process.destroy();
            try {
                process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
                while (System.nanoTime() < deadline && anyAlive(groups)) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!process.isAlive() && !anyAlive(groups)) {
                stopped = String.format(Locale.ROOT, "gate up stopped on SIGTERM in %.1f s, nothing of it left",
                        seconds);
                return stopped;
            }
            groups.forEach(GateUp::killGroup);
            started.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            stopped = String.format(Locale.ROOT, "gate up not gone %.0f s after SIGTERM: its process groups %s were"
                    + " killed", seconds, groups);
            return stopped;
        }

        /** Notes the processes it has started so far, so they can be found after it is gone. */
        private void remember() {
            if (process != null && process.isAlive()) {
                started.add(process.toHandle());
                process.descendants().forEach(started::add);
            }
        }

        /** Gate up's group and its emulators', never this benchmark's own. */
        private Set<Long> groups() {
            Set<Long> groups = new LinkedHashSet<>(List.of(process.pid()));
            started.forEach(p -> processGroupOf(p.pid()).ifPresent(groups::add));
            processGroupOf(ProcessHandle.current().pid()).ifPresent(groups::remove);
            return groups;
        }

        private boolean anyAlive(Set<Long> groups) {
            // isAlive also checks the start time, so a pid reused by an unrelated process does not count.
            return started.stream().anyMatch(ProcessHandle::isAlive) || ProcessHandle.allProcesses()
                    .anyMatch(p -> processGroupOf(p.pid()).filter(groups::contains).isPresent());
        }

        /**
         * requestId → when DeploymentRequestFunction logged "request decided" for it: after its ledger transactions,
         * before it publishes the decision. Empty when its log cannot be read.
         */
        Map<String, Instant> decisionsLogged() {
            Map<String, Instant> logged = new ConcurrentHashMap<>();
            Optional<Path> logs = read(out).lines().filter(l -> l.contains(LOGS_IN)).findFirst()
                    .map(l -> Path.of(l.substring(l.indexOf(LOGS_IN) + LOGS_IN.length()).trim()));
            Path log = logs.map(d -> d.resolve("DeploymentRequestFunction.log")).orElse(null);
            if (log == null || !Files.isRegularFile(log)) {
                return logged;
            }
            try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                lines.forEach(line -> {
                    try {
                        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                        if (o.has("requestId") && o.has("time")
                                && o.get("message").getAsString().startsWith("request decided")) {
                            logged.putIfAbsent(o.get("requestId").getAsString(),
                                    Instant.parse(o.get("time").getAsString()));
                        }
                    } catch (RuntimeException notALogEntry) {
                        // The invoker's own lines (Jetty, SLF4J) share the file: only the gate's JSON counts.
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                return Map.of();
            }
            return logged;
        }

        String diagnostics() {
            return "\n--- gate up stdout (" + out + ")\n" + tail(read(out)) + "\n--- gate up stderr (" + err + ")\n"
                    + tail(read(err));
        }

        private static String tail(String text) {
            List<String> lines = Arrays.asList(text.split("\n"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        /** The process group of a running process, from {@code /proc/PID/stat} (gate up is Linux-only). */
        private static Optional<Long> processGroupOf(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing parenthesis.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Optional.of(Long.parseLong(fields[2]));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        private static void killGroup(long group) {
            try {
                new ProcessBuilder("kill", "-KILL", "--", "-" + group).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException e) {
                // The group is gone already, or there is no kill command: the handles are destroyed next.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The command line: {@code --requests}, {@code --warmup}, {@code --concurrency}, {@code --up-timeout},
     * {@code --budget} (seconds), {@code --repo}. */
    private record Options(Path repo, int requests, int warmup, int concurrency, Duration upTimeout,
            Duration budget) {
        static Options parse(String[] args) {
            Path repo = Path.of("").toAbsolutePath();
            int requests = 300;
            int warmup = 20;
            int concurrency = 8;
            int upTimeout = 120;
            // Under five minutes in all: gate up's start, both phases, and its stop after this.
            int budget = 240;
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--repo" -> repo = Path.of(value).toAbsolutePath();
                    case "--requests" -> requests = positive(flag, value);
                    case "--warmup" -> warmup = positive(flag, value);
                    case "--concurrency" -> concurrency = positive(flag, value);
                    case "--up-timeout" -> upTimeout = positive(flag, value);
                    case "--budget" -> budget = positive(flag, value);
                    default -> throw new IllegalArgumentException("unknown option " + flag + "; options: --requests"
                            + " N, --warmup N, --concurrency N, --up-timeout S, --budget S, --repo DIR");
                }
            }
            return new Options(repo, requests, warmup, concurrency, Duration.ofSeconds(upTimeout),
                    Duration.ofSeconds(budget));
        }

        private static int positive(String flag, String value) {
            try {
                int v = Integer.parseInt(value);
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // Said below, with the flag.
            }
            throw new IllegalArgumentException(flag + " must be a positive whole number, got " + value);
        }
    }
}
