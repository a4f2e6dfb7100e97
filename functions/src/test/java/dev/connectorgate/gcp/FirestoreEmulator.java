package dev.connectorgate.gcp;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Firestore emulator for tests: one per test JVM, started on first use and stopped by a shutdown hook.
 *
 * <p>Test classes call {@link #get()} and isolate themselves with {@link #freshPrefix}, which is cheaper than a new
 * emulator or wiping the data. {@code gcloud emulators firestore start} is a wrapper that leaves its Java child
 * running when it is killed alone, so it is started with {@code setsid} in a process group of its own, and stopping
 * it ends the whole group. Its output goes to {@code target/firestore-emulator-PORT.log}.
 */
public final class FirestoreEmulator {
    public static final String PROJECT_ID = "connector-gate-test";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static FirestoreEmulator instance;

    private final Process process;
    private final String hostPort;
    private final Firestore firestore;

    private FirestoreEmulator(Process process, String hostPort) {
        this.process = process;
        this.hostPort = hostPort;
        this.firestore = client();
    }

    /** The running emulator, started on the first call. Fails the calling test when it cannot start. */
    public static synchronized FirestoreEmulator get() {
        if (instance == null) {
            instance = start();
            FirestoreEmulator started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "firestore-emulator-stop"));
        }
        return instance;
    }

    /** host:port of the emulator, as {@code FIRESTORE_EMULATOR_HOST} wants it. */
    public String hostPort() {
        return hostPort;
    }

    /** One client shared by the tests of this JVM (a client is a channel pool: make few). */
    public Firestore firestore() {
        return firestore;
    }

    /** A new client of this emulator, for tests that model separate function instances. The caller closes it. */
    public Firestore client() {
        return client(hostPort);
    }

    /**
     * A client of an emulator at host:port. setEmulatorHost brings its own plaintext channel and emulator credentials;
     * adding NoCredentials would be wrong: with those the client dials its default host, firestore.googleapis.com.
     */
    public static Firestore client(String hostPort) {
        return FirestoreOptions.newBuilder().setProjectId(PROJECT_ID).setEmulatorHost(hostPort).build().getService();
    }

    /** A collection prefix no other test of this JVM or an earlier run uses. */
    public static String freshPrefix(String name) {
        return name + "-" + Long.toString(System.currentTimeMillis(), 36) + "-" + PREFIXES.incrementAndGet();
    }

    private static FirestoreEmulator start() {
        if (!onPath("gcloud") || !onPath("setsid")) {
            fail("the Firestore emulator tests need `gcloud` (with the cloud-firestore-emulator component) and "
                    + "`setsid` on the PATH; install the Google Cloud CLI: gcloud components install "
                    + "cloud-firestore-emulator, or apt-get install google-cloud-cli-firestore-emulator");
        }
        int port = freePort();
        String hostPort = "127.0.0.1:" + port;
        Path log = Path.of("target", "firestore-emulator-" + port + ".log").toAbsolutePath();
        Process p;
        try {
            Files.createDirectories(log.getParent());
            p = new ProcessBuilder("setsid", "gcloud", "emulators", "firestore", "start", "--host-port=" + hostPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("could not start the Firestore emulator: " + e, e);
        }
        FirestoreEmulator emulator = null;
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail("the Firestore emulator exited with status " + p.exitValue() + " before it answered; its log, "
                        + log + ":\n" + tail(log));
            }
            if (answers(hostPort)) {
                emulator = new FirestoreEmulator(p, hostPort);
                break;
            }
            sleep(250);
        }
        if (emulator == null) {
            terminate(p, hostPort);
            fail("the Firestore emulator did not answer on " + hostPort + " within " + STARTUP.toSeconds()
                    + " s; its log, " + log + ":\n" + tail(log));
        }
        return emulator;
    }

    /** Stops the emulator: asks it to shut down, then ends its process group, then kills what is left. */
    public void stop() {
        // The emulator first: closing a client can wait on calls in flight, and a shutdown hook that hangs is
        // killed by surefire before it gets to the emulator.
        terminate(process, hostPort);
        firestore.shutdownNow();
    }

    private static void terminate(Process process, String hostPort) {
        post(hostPort, "/shutdown");
        // setsid ran in a child that leads no group, so it exec'd in place: the gcloud pid is the group id.
        long group = process.pid();
        signalGroup(group, "TERM");
        if (!waitFor(process, Duration.ofSeconds(10))) {
            signalGroup(group, "KILL");
            waitFor(process, Duration.ofSeconds(5));
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean waitFor(Process process, Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS)
                    && process.descendants().noneMatch(ProcessHandle::isAlive);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void signalGroup(long group, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + group).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // No kill command: the descendants are still destroyed one by one afterwards.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean answers(String hostPort) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + hostPort + "/")).timeout(Duration.ofSeconds(2))
                            .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void post(String hostPort, String path) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // Already down, or not answering: the process group is ended next either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free loopback port for the Firestore emulator: " + e, e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the Firestore emulator", e);
        }
    }
}
