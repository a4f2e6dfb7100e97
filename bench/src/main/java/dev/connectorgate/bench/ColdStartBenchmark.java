package dev.connectorgate.bench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Cold start of the gate's DeploymentRequestFunction under the real Functions Framework invoker, on the shaded jar,
 * beside a hello-world CloudEventsFunction on the same invoker in the same run: process start → port open, process
 * start → first decision answered, and a second (warm) POST, as median / min / max over alternating runs.
 *
 * <p>Run from the repository root after {@code mvn -q -B -DskipTests package}:
 * {@code java -cp bench/target/benchmarks.jar dev.connectorgate.bench.ColdStartBenchmark [--runs 7]
 * [--jvm-options "..."] [--cds DIR] [--classes]}. {@code --jvm-options} reaches both functions as JAVA_TOOL_OPTIONS,
 * the one place a Cloud Functions deployment can put JVM flags; {@code --cds DIR} first records an AppCDS archive per
 * function in a training run, then measures with it; {@code --classes} adds one untimed run per function that counts
 * the classes loaded by the first answer, by where they came from.
 */
public final class ColdStartBenchmark {
    private static final String GATE_TARGET = "dev.connectorgate.functions.DeploymentRequestFunction";
    private static final String HELLO_TARGET = "dev.connectorgate.bench.HelloFunction";
    private static final String SCENARIO = "test-events/staging-surge";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Gson GSON = new Gson();
    /** Children still alive, so that an interrupted benchmark (Ctrl-C, run-all's trap) leaves none behind. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    private final Options options;
    private final EventFile request;
    // HTTP/1.1 only: the default would first try an h2c upgrade, which is not what Eventarc sends.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ColdStartBenchmark(Options options) {
        this.options = options;
        this.request = EventFile.read(options.repo.resolve(SCENARIO).resolve("01-staging-rollout.json"));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ColdStartBenchmark::stop)));
        new ColdStartBenchmark(options).run();
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("cold-start-");
        // Private copies: a build rewriting target/ meanwhile would otherwise fail a run halfway through a jar.
        Path jars = Files.createDirectories(work.resolve("jars"));
        options.invoker = Files.copy(options.invoker, jars.resolve(options.invoker.getFileName()));
        Function hello = new Function("hello", Files.copy(options.helloJar, jars.resolve("hello.jar")), HELLO_TARGET);
        Function gate = new Function("gate", Files.copy(options.gateJar, jars.resolve("gate.jar")), GATE_TARGET);
        String jvmOptions = options.jvmOptions;
        if (options.cdsDir != null) {
            Files.createDirectories(options.cdsDir);
            hello = hello.withArchive(train(hello, work));
            gate = gate.withArchive(train(gate, work));
        }
        // One unrecorded pair first: it pages the jars into the file cache and warms this JVM's HTTP client, neither
        // of which a real cold start on a fresh instance would charge to the function.
        once(hello, work, "warmup", List.of());
        once(gate, work, "warmup", List.of());
        List<Sample> helloRuns = new ArrayList<>();
        List<Sample> gateRuns = new ArrayList<>();
        for (int i = 0; i < options.runs; i++) {
            // Alternating, so a change in the machine's load during the run falls on both functions alike.
            helloRuns.add(once(hello, work, "run" + i, List.of()));
            gateRuns.add(once(gate, work, "run" + i, List.of()));
        }
        printTable(jvmOptions, helloRuns, gateRuns);
        if (options.classes) {
            System.out.println();
            System.out.println("classes loaded by the first answer (one untimed run each, -Xlog:class+load)");
            for (Function f : List.of(hello, gate)) {
                Path log = work.resolve(f.name + "-classes.log");
                once(f, work, "classes", List.of("-Xlog:class+load:file=" + log));
                printClasses(f, log);
            }
        }
        // Only after success: a failure's message names the run's directory, whose logs say what went wrong.
        deleteTree(work);
    }

    /** One cold start: launch, wait for the port, first POST, second POST, stop. Every wait is bounded. */
    private Sample once(Function f, Path work, String label, List<String> extraJvmOptions) throws Exception {
        Path dir = Files.createDirectories(work.resolve(f.name + "-" + label));
        Path decisions = dir.resolve("decisions.jsonl");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-jar", options.invoker.toString(), "--classpath", f.jar.toString(),
                "--target", f.target, "--port", Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .redirectError(dir.resolve("stderr.log").toFile());
        Map<String, String> env = builder.environment();
        // Nothing from the caller's shell may send the gate to the emulators or to Google: the embedded default only.
        env.keySet().removeIf(k -> k.startsWith("GATE_") || k.endsWith("_EMULATOR_HOST")
                || k.equals("JAVA_TOOL_OPTIONS"));
        env.put("GATE_ENVIRONMENT_FILE", options.repo.resolve(SCENARIO).resolve("environment.json").toString());
        env.put("GATE_DECISIONS_FILE", decisions.toString());
        String toolOptions = f.archive == null ? options.jvmOptions
                : (options.jvmOptions + " -XX:SharedArchiveFile=" + f.archive).trim();
        if (!toolOptions.isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", toolOptions);
        }
        long start = System.nanoTime();
        Process process = builder.start();
        LIVE.add(process);
        try {
            awaitPort(f, process, port, start, dir);
            long portOpen = System.nanoTime();
            int status = post(port, request.id(), request.data());
            long firstAnswer = System.nanoTime();
            double cpuMs = process.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
            check(f, status, decisions, 1, dir);
            long warmStart = System.nanoTime();
            int warmStatus = post(port, request.id() + "-warm", warmData());
            long warmAnswer = System.nanoTime();
            check(f, warmStatus, decisions, 2, dir);
            return new Sample(millis(portOpen - start), millis(firstAnswer - start), cpuMs,
                    millis(warmAnswer - warmStart));
        } finally {
            stop(process);
            LIVE.remove(process);
        }
    }

    /**
     * The second request is a new one (its own message and request ids): a redelivery of the first would be answered
     * from the ledger without planning, which is not what a warm instance usually does.
     */
    private JsonObject warmData() {
        JsonObject payload = JsonParser.parseString(new String(request.messageData(), StandardCharsets.UTF_8))
                .getAsJsonObject();
        String requestId = payload.get("requestId").getAsString() + "-warm";
        payload.addProperty("requestId", requestId);
        JsonObject data = request.data().deepCopy();
        JsonObject message = data.getAsJsonObject("message");
        message.addProperty("data", Base64.getEncoder().encodeToString(
                GSON.toJson(payload).getBytes(StandardCharsets.UTF_8)));
        message.addProperty("messageId", request.id() + "-warm");
        message.getAsJsonObject("attributes").addProperty("requestId", requestId);
        return data;
    }

    /**
     * A 2xx, and for the gate the decision on file: the function appends it before answering, so a missing line
     * means the answer was not a decision and the timing would measure something else.
     */
    private void check(Function f, int status, Path decisions, int expectedLines, Path dir) throws IOException {
        if (status / 100 != 2) {
            throw new IllegalStateException(f.name + " answered HTTP " + status + "; output in " + dir);
        }
        if (f.target.equals(GATE_TARGET)) {
            List<String> lines = Files.exists(decisions) ? Files.readAllLines(decisions) : List.of();
            if (lines.size() != expectedLines || !lines.get(expectedLines - 1).contains("\"verdict\"")) {
                throw new IllegalStateException("gate answered " + status + " but wrote " + lines.size()
                        + " decision line(s), expected " + expectedLines + "; output in " + dir);
            }
        }
    }

    /** Trains an AppCDS archive for one function: a full cold start whose loaded classes are dumped at exit. */
    private Path train(Function f, Path work) throws Exception {
        Path archive = options.cdsDir.resolve(f.name + ".jsa").toAbsolutePath();
        Files.deleteIfExists(archive);
        once(f, work, "cds-training", List.of("-XX:ArchiveClassesAtExit=" + archive));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run did not write " + archive);
        }
        return archive;
    }

    private void awaitPort(Function f, Process process, int port, long start, Path dir) {
        long deadline = start + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(f.name + " exited with status " + process.exitValue()
                        + " before serving; output in " + dir);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                return;
            } catch (IOException notYet) {
                // A short sleep: polling resolution bounds the port-open figure, and a busy loop would steal a core.
                sleepMillis(5);
            }
        }
        throw new IllegalStateException(f.name + " did not open port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; output in " + dir);
    }

    /** POSTs a binary-mode CloudEvent the way Eventarc delivers a Pub/Sub message; returns the HTTP status. */
    private int post(int port, String id, JsonObject data) throws IOException, InterruptedException {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(REQUEST_TIMEOUT)
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", request.source())
                .header("ce-type", request.type())
                .header("ce-time", request.time())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(data), StandardCharsets.UTF_8))
                .build();
        return http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void printTable(String jvmOptions, List<Sample> hello, List<Sample> gate) {
        System.out.printf(Locale.ROOT, "cold start under %s, %d runs each (alternating, after one warm-up pair)%n",
                options.invoker.getFileName(), options.runs);
        System.out.printf(Locale.ROOT, "  gate: %s from %s (%s); hello: %s from %s (%s)%n",
                simpleName(GATE_TARGET), options.gateJar.getFileName(), size(options.gateJar),
                simpleName(HELLO_TARGET), options.helloJar.getFileName(), size(options.helloJar));
        if (!jvmOptions.isBlank() || options.cdsDir != null) {
            System.out.println("  JAVA_TOOL_OPTIONS: " + (jvmOptions + (options.cdsDir == null ? ""
                    : " -XX:SharedArchiveFile=<per-function archive in " + options.cdsDir + ">")).trim());
        }
        System.out.printf(Locale.ROOT, "%-28s %-20s   %-20s   %s%n", "", "hello", "gate", "gate/hello");
        System.out.printf(Locale.ROOT, "%-28s %8s %5s %5s   %8s %5s %5s   %s%n", "", "median", "min", "max",
                "median", "min", "max", "(medians)");
        row("start -> port open (ms)", hello, gate, Sample::portOpenMs);
        row("start -> first answer (ms)", hello, gate, Sample::firstAnswerMs);
        row("CPU by first answer (ms)", hello, gate, Sample::cpuMs);
        row("second POST, warm (ms)", hello, gate, Sample::warmMs);
        double ratio = median(gate, Sample::firstAnswerMs) / median(hello, Sample::firstAnswerMs);
        // One line for scripts (bench/run-all.sh): the headline numbers without the table's layout.
        System.out.printf(Locale.ROOT, "summary cold-start gateFirstAnswerMs=%.0f helloFirstAnswerMs=%.0f ratio=%.2f"
                        + " gatePortOpenMs=%.0f gateCpuMs=%.0f helloCpuMs=%.0f gateWarmMs=%.1f%n",
                median(gate, Sample::firstAnswerMs), median(hello, Sample::firstAnswerMs), ratio,
                median(gate, Sample::portOpenMs), median(gate, Sample::cpuMs), median(hello, Sample::cpuMs),
                median(gate, Sample::warmMs));
    }

    private static void row(String label, List<Sample> hello, List<Sample> gate,
            ToDoubleFunction<Sample> metric) {
        double h = median(hello, metric);
        double g = median(gate, metric);
        System.out.printf(Locale.ROOT, "%-28s %8s %5s %5s   %8s %5s %5s   %s%n", label, fmt(h),
                fmt(min(hello, metric)), fmt(max(hello, metric)), fmt(g), fmt(min(gate, metric)),
                fmt(max(gate, metric)), String.format(Locale.ROOT, "%.2f", g / h));
    }

    /** Counts a class-load log's lines by origin: the function's jar, the invoker's jar, the JDK, generated. */
    private void printClasses(Function f, Path log) throws IOException {
        long functionJar = 0;
        long invokerJar = 0;
        long jdk = 0;
        long other = 0;
        List<String> lines = Files.readAllLines(log);
        for (String line : lines) {
            if (line.contains("source: file:" + f.jar.toAbsolutePath())) {
                functionJar++;
            } else if (line.contains("source: file:" + options.invoker.toAbsolutePath())) {
                invokerJar++;
            } else if (line.contains("source: jrt:/") || line.contains("source: shared objects file")) {
                jdk++;
            } else {
                other++;
            }
        }
        System.out.printf(Locale.ROOT, "  %-6s %5d classes: %5d from its jar, %4d from the invoker, %4d from the JDK,"
                + " %4d generated (lambdas, proxies) or other%n", f.name, lines.size(), functionJar, invokerJar, jdk, other);
    }

    /** Ends a child: politely first (the invoker stops Jetty), then forcibly; never waits unbounded. */
    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A loopback port nothing listens on now; the invoker binds it a moment later. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The Java running this benchmark, so both functions run on the same JVM whatever is first on PATH. */
    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double median(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        double[] v = samples.stream().mapToDouble(metric).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        return samples.stream().mapToDouble(metric).min().orElseThrow();
    }

    private static double max(List<Sample> samples, ToDoubleFunction<Sample> metric) {
        return samples.stream().mapToDouble(metric).max().orElseThrow();
    }

    private static String fmt(double ms) {
        return ms < 100 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.0f", ms);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String size(Path jar) {
        try {
            long bytes = Files.size(jar);
            return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                    : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * One measured cold start, in milliseconds from just before the process was launched; cpuMs is the CPU time all
     * the child's threads had used by the first answer (JIT and GC included), which a loaded machine inflates far
     * less than the wall clock.
     */
    private record Sample(double portOpenMs, double firstAnswerMs, double cpuMs, double warmMs) {
    }

    /** A function to start: its jar, its target class, and the AppCDS archive to start it with, if any. */
    private record Function(String name, Path jar, String target, Path archive) {
        Function(String name, Path jar, String target) {
            this(name, jar.toAbsolutePath(), target, null);
        }

        Function withArchive(Path archive) {
            return new Function(name, jar, target, archive);
        }
    }

    /** The scenario's structured-mode CloudEvent: attributes for the binary-mode headers, data for the body. */
    private record EventFile(String id, String source, String type, String time, JsonObject data) {
        static EventFile read(Path path) {
            try {
                JsonObject event = JsonParser.parseString(Files.readString(path)).getAsJsonObject();
                return new EventFile(event.get("id").getAsString(), event.get("source").getAsString(),
                        event.get("type").getAsString(), event.get("time").getAsString(),
                        event.getAsJsonObject("data"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] messageData() {
            return Base64.getDecoder().decode(data.getAsJsonObject("message").get("data").getAsString());
        }
    }

    /** Command-line options; paths default to the built tree, relative to the repository root. */
    private static final class Options {
        Path repo = Path.of("").toAbsolutePath();
        Path invoker;
        Path gateJar;
        Path helloJar;
        int runs = 7;
        String jvmOptions = "";
        Path cdsDir;
        boolean classes;

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> rest = new ArrayList<>(Arrays.asList(args));
            while (!rest.isEmpty()) {
                String flag = rest.remove(0);
                switch (flag) {
                    case "--classes" -> o.classes = true;
                    case "--runs", "--repo", "--invoker", "--gate-jar", "--hello-jar", "--jvm-options", "--cds" -> {
                        if (rest.isEmpty()) {
                            throw new IllegalArgumentException(flag + " needs a value");
                        }
                        String v = rest.remove(0);
                        switch (flag) {
                            case "--runs" -> o.runs = Integer.parseInt(v);
                            case "--repo" -> o.repo = Path.of(v).toAbsolutePath();
                            case "--invoker" -> o.invoker = Path.of(v);
                            case "--gate-jar" -> o.gateJar = Path.of(v);
                            case "--hello-jar" -> o.helloJar = Path.of(v);
                            case "--jvm-options" -> o.jvmOptions = v.trim();
                            default -> o.cdsDir = Path.of(v).toAbsolutePath();
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + flag + "; options: --runs N,"
                            + " --repo DIR, --invoker JAR, --gate-jar JAR, --hello-jar JAR, --jvm-options \"...\","
                            + " --cds DIR, --classes");
                }
            }
            if (o.runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1");
            }
            o.invoker = required(o.invoker != null ? o.invoker
                    : o.repo.resolve("functions/target/invoker/java-function-invoker.jar"));
            o.gateJar = required(o.gateJar != null ? o.gateJar : o.repo.resolve("functions/target/connector-gate.jar"));
            o.helloJar = required(o.helloJar != null ? o.helloJar : o.repo.resolve("bench/target/hello-function.jar"));
            return o;
        }

        private static Path required(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is not built: run mvn -q -B -DskipTests package first");
            }
            return file.toAbsolutePath();
        }
    }
}
