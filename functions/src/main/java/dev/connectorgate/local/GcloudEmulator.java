package dev.connectorgate.local;

import java.io.File;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Google Cloud emulator (Pub/Sub or Firestore) run through the gcloud CLI in a process group of its own, for
 * {@code gate up} and the tests.
 *
 * <p>{@code gcloud ... start} is a wrapper that spawns the emulator as a Java child, and killing the wrapper alone
 * leaves the child serving. So the wrapper is started under {@code setsid}: a child of the JVM leads no process
 * group, so setsid makes a new session in place, and the wrapper's pid is the id of a group that holds the emulator
 * too. {@link #stop} ends that whole group.
 */
public final class GcloudEmulator implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Which emulator, and the gcloud words that start it. */
    public enum Kind {
        PUBSUB("Pub/Sub", List.of("beta", "emulators", "pubsub", "start")),
        FIRESTORE("Firestore", List.of("emulators", "firestore", "start"));

        private final String label;
        private final List<String> command;

        Kind(String label, List<String> command) {
            this.label = label;
            this.command = command;
        }

        public String label() {
            return label;
        }
    }

    /** The emulator did not start or did not answer in time; the message quotes the end of its log. */
    public static final class StartFailed extends RuntimeException {
        StartFailed(String message) {
            super(message);
        }
    }

    private final Kind kind;
    private final String hostPort;
    private final Process process;
    private final Path log;

    private GcloudEmulator(Kind kind, String hostPort, Process process, Path log) {
        this.kind = kind;
        this.hostPort = hostPort;
        this.process = process;
        this.log = log;
    }

    /** What is missing to run emulators here, in words a person can act on; empty when nothing is. */
    public static Optional<String> missingTools() {
        List<String> missing = new ArrayList<>();
        for (String command : List.of("gcloud", "setsid")) {
            if (!onPath(command)) {
                missing.add(command);
            }
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" and ", missing) + " not found on the PATH: the emulators need the Google"
                + " Cloud CLI with its emulator components (gcloud components install beta pubsub-emulator"
                + " cloud-firestore-emulator, or apt-get install google-cloud-cli-pubsub-emulator"
                + " google-cloud-cli-firestore-emulator) and setsid (util-linux)");
    }

    /**
     * Starts the emulator on {@code hostPort}, its output appended to {@code log}, and returns once it answers HTTP;
     * on failure or timeout it is stopped again and {@link StartFailed} says why.
     */
    public static GcloudEmulator start(Kind kind, String hostPort, Path log, Duration startup) {
        missingTools().ifPresent(m -> {
            throw new StartFailed("cannot start the " + kind.label() + " emulator: " + m);
        });
        List<String> command = new ArrayList<>(List.of("setsid", "gcloud"));
        command.addAll(kind.command);
        command.add("--host-port=" + hostPort);
        Process process;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new StartFailed("cannot start the " + kind.label() + " emulator: " + e);
        }
        GcloudEmulator emulator = new GcloudEmulator(kind, hostPort, process, log);
        long deadline = System.nanoTime() + startup.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                emulator.stop();
                throw new StartFailed("the " + kind.label() + " emulator exited with status " + process.exitValue()
                        + " before it answered on " + hostPort + "; the end of its log " + log + ":\n"
                        + emulator.logTail());
            }
            if (emulator.answers()) {
                return emulator;
            }
            if (Thread.currentThread().isInterrupted()) {
                emulator.stop();
                throw new StartFailed("interrupted while waiting for the " + kind.label() + " emulator");
            }
            pause(Duration.ofMillis(250));
        }
        emulator.stop();
        throw new StartFailed("the " + kind.label() + " emulator did not answer on " + hostPort + " within "
                + startup.toSeconds() + " s; the end of its log " + log + ":\n" + emulator.logTail());
    }

    /** {@code 127.0.0.1:N} with N a port nothing listens on now. */
    public static String freeLoopbackHostPort() {
        return "127.0.0.1:" + freeLoopbackPort();
    }

    /** A loopback port nothing listens on now; whoever binds it next is expected to do so a moment later. */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Whether something accepts TCP connections on {@code host:port}. */
    public static boolean listening(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Kind kind() {
        return kind;
    }

    /** host:port, as PUBSUB_EMULATOR_HOST and FIRESTORE_EMULATOR_HOST want it. */
    public String hostPort() {
        return hostPort;
    }

    public Path log() {
        return log;
    }

    /** The process group's id: the gcloud wrapper's pid, since setsid ran in place. */
    public long processGroup() {
        return process.pid();
    }

    /** Whether the wrapper still runs: it exits when its emulator does. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the emulator answers HTTP on its port (both answer {@code GET /} with 200 once serving). */
    public boolean answers() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + hostPort + "/")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Ends the emulator: Firestore is asked to shut down first; then the process group gets SIGTERM, and SIGKILL if
     * it lingers; whatever descendant is left after that is killed one by one. Returns once nothing of it runs.
     */
    public void stop() {
        List<ProcessHandle> started = process.descendants().collect(Collectors.toList());
        if (kind == Kind.FIRESTORE && process.isAlive()) {
            requestShutdown();
        }
        signalGroup("TERM");
        if (!ended(started, STOP_GRACE)) {
            signalGroup("KILL");
            started.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            ended(started, Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean ended(List<ProcessHandle> started, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        while (started.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(Duration.ofMillis(100));
        }
        return true;
    }

    private void signalGroup(String signal) {
        ProcessGroups.signal(processGroup(), signal);
    }

    private void requestShutdown() {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/shutdown"))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // Not answering any more: the process group is ended next either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
