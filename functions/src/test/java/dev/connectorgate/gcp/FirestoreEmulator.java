package dev.connectorgate.gcp;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.connectorgate.local.GcloudEmulator;
import java.nio.file.Path;
import java.time.Duration;
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

    private final GcloudEmulator emulator;
    private final Firestore firestore;

    private FirestoreEmulator(GcloudEmulator emulator) {
        this.emulator = emulator;
        this.firestore = client();
    }

    /** The running emulator, started on the first call. Fails the calling test, saying why, when it cannot start. */
    public static synchronized FirestoreEmulator get() {
        if (instance == null) {
            GcloudEmulator.missingTools().ifPresent(m -> fail("the Firestore emulator tests need the emulator: " + m));
            String hostPort = GcloudEmulator.freeLoopbackHostPort();
            Path log = Path.of("target", "firestore-emulator-" + hostPort.substring(hostPort.indexOf(':') + 1)
                    + ".log").toAbsolutePath();
            try {
                instance = new FirestoreEmulator(GcloudEmulator.start(GcloudEmulator.Kind.FIRESTORE, hostPort, log,
                        STARTUP));
            } catch (GcloudEmulator.StartFailed e) {
                return fail(e.getMessage());
            }
            FirestoreEmulator started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "firestore-emulator-stop"));
        }
        return instance;
    }

    /** host:port of the emulator, as {@code FIRESTORE_EMULATOR_HOST} wants it. */
    public String hostPort() {
        return emulator.hostPort();
    }

    /** One client shared by the tests of this JVM (a client is a channel pool: make few). */
    public Firestore firestore() {
        return firestore;
    }

    /** A new client of this emulator, for tests that model separate function instances. The caller closes it. */
    public Firestore client() {
        return client(hostPort());
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

    /** Stops the emulator (shutdown request, then its whole process group), then the shared client. */
    public void stop() {
        // The emulator first: closing a client can wait on calls in flight, and a shutdown hook that hangs is
        // killed by surefire before it gets to the emulator.
        emulator.stop();
        firestore.shutdownNow();
    }
}
