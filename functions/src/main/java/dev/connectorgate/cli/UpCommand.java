package dev.connectorgate.cli;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import dev.connectorgate.functions.AlertFunction;
import dev.connectorgate.functions.BuildEventFunction;
import dev.connectorgate.functions.DeploymentRequestFunction;
import dev.connectorgate.functions.GateConfig;
import dev.connectorgate.functions.GateRuntime;
import dev.connectorgate.functions.TickFunction;
import dev.connectorgate.gcp.PubSubEmulatorChannel;
import dev.connectorgate.local.Environment;
import dev.connectorgate.local.GcloudEmulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code gate up}: the gate's four functions on this machine, wired the way they are in the cloud, with the Pub/Sub
 * and Firestore emulators in place of Google's services.
 *
 * <p>It starts both emulators (each in a process group of its own), creates the topics, serves each function from
 * the deploy jar under the Functions Framework invoker on the embedded default's environment file with the ledger on
 * Firestore, and bridges every input topic to its function as Eventarc would. It runs until SIGINT or SIGTERM, when
 * a shutdown hook stops everything it started, in reverse order.
 */
final class UpCommand {
    static final String DEFAULT_HOST_PORT = "127.0.0.1:8085";
    /** The line a script waits for: printed once every part answers. */
    static final String READY_LINE = "connector-gate is up";
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}");
    private static final Duration EMULATOR_STARTUP = Duration.ofSeconds(90);
    private static final Duration FUNCTION_STARTUP = Duration.ofSeconds(90);
    // A stop during the start waits this long for the step in progress, so what it starts is stopped too.
    private static final Duration START_STEP_WAIT = Duration.ofSeconds(30);

    /** An input topic and the function production triggers from it. */
    private record Trigger(String topic, Class<?> function) {}

    /** Where the built pieces are, found from the code this runs from ({@code functions/target/...}). */
    private record Layout(Path repo, Path jar, Path invoker) {}

    private final PrintStream out;
    private final PrintStream err;
    private final Deque<Stoppable> started = new ArrayDeque<>();
    private final Map<Trigger, FunctionProcess> functions = new LinkedHashMap<>();
    // Added by the threads that start the emulators, read by the one that watches them.
    private final List<GcloudEmulator> emulators = new CopyOnWriteArrayList<>();
    private final CountDownLatch startFinished = new CountDownLatch(1);
    private volatile boolean stopping;

    /** Something started that must be stopped again, with a name for the message when it will not. */
    private record Stoppable(String name, Runnable stop) {}

    private UpCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs until the process is told to stop; returns only when starting failed or a part died. */
    static int run(List<String> argv, PrintStream out, PrintStream err) throws UsageError {
        Args args = Args.parse(argv, Set.of("--env", "--host-port", "--project"), Set.of());
        if (!args.positional().isEmpty()) {
            throw new UsageError("up takes no positional arguments, got " + args.positional().get(0));
        }
        String hostPort = args.value("--host-port") == null ? DEFAULT_HOST_PORT : args.value("--host-port");
        if (!HOST_PORT.matcher(hostPort).matches()) {
            throw new UsageError("--host-port must be HOST:PORT, e.g. " + DEFAULT_HOST_PORT + ", got " + hostPort);
        }
        if (GcloudEmulator.listening(hostPort)) {
            throw new UsageError(hostPort + " is in use (an emulator left running?): stop it or choose --host-port");
        }
        String project = args.value("--project") == null ? GateRuntime.LOCAL_PROJECT : args.value("--project");
        Layout layout = layout();
        Path envFile = args.value("--env") != null ? Path.of(args.value("--env")).toAbsolutePath()
                : layout.repo().resolve("test-events").resolve("staging-surge").resolve("environment.json");
        try {
            Environment.read(envFile);
        } catch (Environment.Invalid e) {
            throw new UsageError(e.getMessage());
        }
        GateConfig config;
        try {
            config = GateConfig.from(System.getenv());
        } catch (GateConfig.Invalid e) {
            throw new UsageError(e.getMessage());
        }
        if (GcloudEmulator.missingTools().isPresent()) {
            err.println("gate: " + GcloudEmulator.missingTools().get());
            return ExitStatus.INTERNAL;
        }
        UpCommand up = new UpCommand(out, err);
        Runtime.getRuntime().addShutdownHook(new Thread(up::stop, "gate-up-stop"));
        Exception failure = null;
        try {
            up.start(layout, envFile, hostPort, project, config);
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            up.startFinished.countDown();
        }
        if (failure != null) {
            if (!up.stopping) {
                err.println("gate: up: " + failure.getMessage());
            }
            up.stop();
            return ExitStatus.INTERNAL;
        }
        return up.watch();
    }

    private void start(Layout layout, Path envFile, String pubsubHostPort, String project, GateConfig config)
            throws IOException {
        Path logs = Files.createTempDirectory("connector-gate-up-");
        out.println("connector-gate: starting the emulators and the functions; logs in " + logs);
        CompletableFuture<GcloudEmulator> pubsubStart = CompletableFuture.supplyAsync(() -> emulator(
                GcloudEmulator.Kind.PUBSUB, pubsubHostPort, logs.resolve("pubsub-emulator.log")));
        CompletableFuture<GcloudEmulator> firestoreStart = CompletableFuture.supplyAsync(() -> emulator(
                GcloudEmulator.Kind.FIRESTORE, GcloudEmulator.freeLoopbackHostPort(),
                logs.resolve("firestore-emulator.log")));
        // Both finish, started or failed, before either failure is reported: none may start after the stop.
        CompletableFuture.allOf(pubsubStart, firestoreStart).exceptionally(failed -> null).join();
        GcloudEmulator pubsub = join(pubsubStart);
        GcloudEmulator firestore = join(firestoreStart);

        List<Trigger> triggers = List.of(new Trigger(config.requestsTopic(), DeploymentRequestFunction.class),
                new Trigger(config.alertsTopic(), AlertFunction.class),
                new Trigger(config.buildsTopic(), BuildEventFunction.class),
                new Trigger(config.ticksTopic(), TickFunction.class));
        Map<Trigger, SubscriptionName> subscriptions;
        try (PubSubEmulatorChannel channel = PubSubEmulatorChannel.open(pubsub.hostPort())) {
            subscriptions = createTopics(channel, project, config.decisionsTopic(), triggers);
        }

        Map<String, String> env = new LinkedHashMap<>();
        env.put(GateConfig.ENVIRONMENT_FILE, envFile.toString());
        env.put(GateConfig.LEDGER, "firestore");
        env.put(GateRuntime.FIRESTORE_EMULATOR_HOST, firestore.hostPort());
        env.put(GateConfig.PUBSUB_EMULATOR_HOST, pubsub.hostPort());
        env.put(GateConfig.PROJECT, project);
        for (Trigger t : triggers) {
            FunctionProcess f = FunctionProcess.start(layout.invoker(), layout.jar(), t.function(),
                    GcloudEmulator.freeLoopbackPort(), env, logs.resolve(t.function().getSimpleName() + ".log"));
            track(f.name(), f::stop);
            functions.put(t, f);
        }
        awaitFunctions();

        PubSubBridge bridge = new PubSubBridge(pubsub.hostPort(), project, out);
        track("the bridge", bridge::close);
        functions.forEach((t, f) -> bridge.start(new PubSubBridge.Route(t.topic(), subscriptions.get(t), f.name(),
                f.uri())));
        printHowToReachIt(layout, envFile, pubsub, firestore, project, config.requestsTopic(),
                config.decisionsTopic(), logs);
    }

    /** Creates every topic of the contract and one pull subscription per input topic, for the bridge. */
    private static Map<Trigger, SubscriptionName> createTopics(PubSubEmulatorChannel channel, String project,
            String decisionsTopic, List<Trigger> triggers) throws IOException {
        Map<Trigger, SubscriptionName> subscriptions = new LinkedHashMap<>();
        try (TopicAdminClient topics = TopicAdminClient.create(TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(channel.channels()).setCredentialsProvider(channel.credentials())
                .build());
                SubscriptionAdminClient subs = SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
                        .setTransportChannelProvider(channel.channels())
                        .setCredentialsProvider(channel.credentials()).build())) {
            topics.createTopic(TopicName.of(project, decisionsTopic));
            for (Trigger t : triggers) {
                TopicName topic = TopicName.of(project, t.topic());
                topics.createTopic(topic);
                SubscriptionName name = SubscriptionName.of(project, t.topic() + "-gate-up");
                subs.createSubscription(Subscription.newBuilder().setName(name.toString())
                        .setTopic(topic.toString()).setAckDeadlineSeconds(PubSubBridge.ACK_DEADLINE_SECONDS).build());
                subscriptions.put(t, name);
            }
        }
        return subscriptions;
    }

    private GcloudEmulator emulator(GcloudEmulator.Kind kind, String hostPort, Path log) {
        GcloudEmulator e = GcloudEmulator.start(kind, hostPort, log, EMULATOR_STARTUP);
        track("the " + kind.label() + " emulator", e::stop);
        emulators.add(e);
        return e;
    }

    /** Puts a started part on the list to stop; told to stop already, it stops it now and ends the start. */
    private void track(String name, Runnable stop) {
        synchronized (started) {
            if (!stopping) {
                started.push(new Stoppable(name, stop));
                return;
            }
        }
        stop.run();
        throw new IllegalStateException("stopped while starting");
    }

    /** Waits until every function accepts connections; one that exits first fails the start, naming its log. */
    private void awaitFunctions() {
        long deadline = System.nanoTime() + FUNCTION_STARTUP.toNanos();
        List<FunctionProcess> waiting = new ArrayList<>(functions.values());
        while (!waiting.isEmpty()) {
            for (FunctionProcess f : List.copyOf(waiting)) {
                if (!f.isAlive()) {
                    throw new IllegalStateException(f.name() + " exited with status " + f.exitValue()
                            + " while starting; see " + f.log());
                }
                if (GcloudEmulator.listening(f.hostPort())) {
                    waiting.remove(f);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waiting.get(0).name() + " did not serve within "
                        + FUNCTION_STARTUP.toSeconds() + " s; see " + waiting.get(0).log());
            }
            pause(Duration.ofMillis(200));
        }
    }

    /** Keeps running while every part does; returns, and so ends the process, when one of them dies. */
    private int watch() {
        while (!stopping) {
            for (FunctionProcess f : functions.values()) {
                if (!f.isAlive() && !stopping) {
                    err.println("gate: up: " + f.name() + " exited with status " + f.exitValue() + "; see " + f.log()
                            + "; stopping everything");
                    return ExitStatus.INTERNAL;
                }
            }
            for (GcloudEmulator e : emulators) {
                if (!e.isAlive() && !stopping) {
                    err.println("gate: up: the " + e.kind().label() + " emulator exited; see " + e.log()
                            + "; stopping everything");
                    return ExitStatus.INTERNAL;
                }
            }
            pause(Duration.ofSeconds(1));
        }
        return ExitStatus.OK;
    }

    /** Stops what was started, the last first; safe to call twice (the hook runs after a failed start too). */
    private void stop() {
        synchronized (started) {
            stopping = true;
        }
        try {
            // A signal during the start: let the step in progress finish, so that what it starts is on the list.
            startFinished.await(START_STEP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Deque<Stoppable> toStop;
        synchronized (started) {
            toStop = new ArrayDeque<>(started);
            started.clear();
        }
        if (toStop.isEmpty()) {
            return;
        }
        err.println("connector-gate: stopping");
        for (Stoppable s : toStop) {
            try {
                s.stop().run();
            } catch (RuntimeException e) {
                err.println("gate: up: stopping " + s.name() + " failed: " + e);
            }
        }
        err.println("connector-gate: stopped");
    }

    private void printHowToReachIt(Layout layout, Path envFile, GcloudEmulator pubsub, GcloudEmulator firestore,
            String project, String requestsTopic, String decisionsTopic, Path logs) {
        String ps = pubsub.hostPort();
        out.println();
        out.println("  Pub/Sub emulator    " + ps + "   project " + project);
        out.println("  Firestore emulator  " + firestore.hostPort() + "   (the ledger)");
        out.println("  environment         " + envFile);
        functions.forEach((t, f) -> out.println(String.format("  %-26s %-17s <- %s", f.name(), f.hostPort(),
                t.topic())));
        out.println("  logs                " + logs);
        out.println();
        out.println("Talk to it from another shell:");
        out.println("  export PUBSUB_EMULATOR_HOST=" + ps);
        out.println("  export CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB=http://" + ps + "/");
        out.println("  export CLOUDSDK_AUTH_DISABLE_CREDENTIALS=true CLOUDSDK_CORE_PROJECT=" + project);
        out.println("  export CLOUDSDK_CONFIG=$(mktemp -d)   # a throwaway gcloud configuration");
        out.println("  # subscribe first: a subscription gets only what is published after it exists");
        out.println("  gcloud pubsub subscriptions create my-decisions --topic=" + decisionsTopic);
        Path request = layout.repo().resolve("test-events").resolve("staging-surge").resolve("request.json");
        out.println("  gcloud pubsub topics publish " + requestsTopic + " --message=\"$(cat " + request
                + ")\" --attribute=requestId=staging-7f3c");
        out.println("  gcloud pubsub subscriptions pull my-decisions --auto-ack --limit=10 --format=json");
        out.println();
        out.println(READY_LINE);
        out.println("(Ctrl-C stops the functions and both emulators)");
        out.flush();
    }

    /** Finds the repository and the built jars from where this class was loaded: {@code functions/target/}. */
    private static Layout layout() throws UsageError {
        Path code;
        try {
            code = Path.of(GateCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | SecurityException e) {
            throw new IllegalStateException("cannot tell where the gate's jar is: " + e, e);
        }
        // The shaded jar and target/classes both sit directly in functions/target.
        Path target = code.toAbsolutePath().getParent();
        Path jar = target.resolve("connector-gate.jar");
        Path invoker = target.resolve("invoker").resolve("java-function-invoker.jar");
        for (Path p : List.of(jar, invoker)) {
            if (!Files.isRegularFile(p)) {
                throw new UsageError(p + " is not built yet: run mvn -q -B -DskipTests package first");
            }
        }
        return new Layout(target.getParent().getParent(), jar, invoker);
    }

    private static GcloudEmulator join(CompletableFuture<GcloudEmulator> start) {
        try {
            return start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
