package dev.connectorgate.cli;

import dev.connectorgate.functions.GateConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the gate's functions served by the Functions Framework invoker in a child process of {@code gate up}: the
 * deploy jar, the entry point production runs, its output in a log file of its own.
 */
final class FunctionProcess {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private FunctionProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code target} of {@code jar} under the invoker on {@code port}; it serves a moment later. */
    static FunctionProcess start(Path invokerJar, Path jar, Class<?> target, int port, Map<String, String> env,
            Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(java(), "-jar", invokerJar.toString(),
                "--classpath", jar.toString(), "--target", target.getName(), "--port", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // gate up's functions publish to the emulator; a decisions file inherited from the shell would divert them.
        builder.environment().remove(GateConfig.DECISIONS_FILE);
        builder.environment().putAll(env);
        return new FunctionProcess(target.getSimpleName(), port, log, builder.start());
    }

    String name() {
        return name;
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    URI uri() {
        return URI.create("http://" + hostPort() + "/");
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status of a process that has ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL after a grace; returns once the process is gone. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The Java running {@code gate up}, so the functions do not depend on whatever is first on the PATH. */
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
