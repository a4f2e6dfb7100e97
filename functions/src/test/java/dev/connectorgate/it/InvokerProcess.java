package dev.connectorgate.it;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One function of the shaded deploy jar served by the real Functions Framework invoker in a child process, on the
 * embedded default: what a developer runs locally, driven over HTTP the way Eventarc delivers Pub/Sub messages.
 */
final class InvokerProcess implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Gson GSON = new Gson();

    private final String target;
    private final Process process;
    private final int port;
    private final Path decisionsFile;
    private final Path stdout;
    private final Path stderr;
    // HTTP/1.1 only: the default would try an h2c upgrade, which is not what Eventarc sends.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private InvokerProcess(String target, Process process, int port, Path decisionsFile, Path stdout, Path stderr) {
        this.target = target;
        this.process = process;
        this.port = port;
        this.decisionsFile = decisionsFile;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code target} on a free loopback port with the given environment file, keeping its decisions and its
     * output in {@code workDir}, and returns once it accepts connections.
     */
    static InvokerProcess start(Class<?> target, Path environmentFile, Path workDir) throws IOException {
        String name = target.getSimpleName();
        Path decisions = workDir.resolve(name + "-decisions.jsonl");
        Path out = workDir.resolve(name + "-stdout.log");
        Path err = workDir.resolve(name + "-stderr.log");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-jar", requiredFile("gate.invoker").toString(),
                "--classpath", requiredFile("gate.jar").toString(), "--target", target.getName(),
                "--port", Integer.toString(port))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.put("GATE_ENVIRONMENT_FILE", environmentFile.toString());
        env.put("GATE_DECISIONS_FILE", decisions.toString());
        InvokerProcess invoker = new InvokerProcess(name, builder.start(), port, decisions, out, err);
        try {
            invoker.awaitAcceptingConnections();
        } catch (RuntimeException | Error e) {
            invoker.close();
            throw e;
        }
        return invoker;
    }

    /** POSTs a scenario file as a binary-mode CloudEvent; returns the HTTP status. */
    int post(EventFile event) {
        return post(event.id(), event.source(), event.type(), event.time(), event.data());
    }

    /** POSTs a binary-mode CloudEvent: attributes as {@code ce-} headers, the Pub/Sub envelope as the JSON body. */
    int post(String id, String source, String type, String time, JsonObject data) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(30))
                .header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-source", source)
                .header("ce-type", type)
                .header("ce-time", time)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(data), StandardCharsets.UTF_8))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new AssertionError("POST of event " + id + " to " + target + " failed: " + e + diagnostics(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while posting event " + id, e);
        }
    }

    /** Every decision line the function has published so far, in order; none before the first. */
    List<String> decisionLines() {
        return Files.exists(decisionsFile) ? lines(decisionsFile) : List.of();
    }

    /** What the function has written to standard output: its structured log. */
    List<String> stdoutLines() {
        return lines(stdout);
    }

    /** The invoker's output, for a failure message: without it a failed start or a 500 says nothing. */
    String diagnostics() {
        return "\n--- " + target + " stdout (" + stdout + ")\n" + String.join("\n", lines(stdout))
                + "\n--- " + target + " stderr (" + stderr + ")\n" + String.join("\n", lines(stderr));
    }

    /** Ends the invoker and waits for it: a polite stop first, then a forced one, so no test leaks a process. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitAcceptingConnections() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(target + " invoker exited with status " + process.exitValue()
                        + " before serving" + diagnostics());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(Duration.ofMillis(100));
            }
        }
        throw new AssertionError(target + " invoker did not accept connections on port " + port + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s" + diagnostics());
    }

    /** A port nothing listens on now; the invoker binds it a moment later (a start failure shows in its output). */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** The same Java that runs the tests, so the invoker does not depend on whatever is first on PATH. */
    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path requiredFile(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException("system property " + property + " must name a built file, got " + value
                    + ": run the ITs through mvn verify");
        }
        return Path.of(value);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
