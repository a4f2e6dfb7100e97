package dev.connectorgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code gate up}'s usage errors, in process: they are refused before anything starts, with the reason on the first
 * line. Starting for real is GateUpIT's part.
 */
class UpCommandTest {

    private record Run(int status, String out, String err) {}

    private static Run gate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = GateCli.run(Arrays.asList(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void positionalArgumentIsAUsageError() {
        Run run = gate("up", "staging-surge");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.err()).startsWith("gate: up takes no positional arguments, got staging-surge");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void hostPortWithoutAPortIsAUsageError() {
        Run run = gate("up", "--host-port", "localhost");

        assertThat(run.status()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.err()).startsWith("gate: --host-port must be HOST:PORT");
    }

    @Test
    void hostPortSomethingListensOnIsRefusedBeforeAnythingStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = gate("up", "--host-port", "127.0.0.1:" + taken.getLocalPort());

            assertThat(run.status()).isEqualTo(ExitStatus.USAGE);
            assertThat(run.err()).startsWith("gate: 127.0.0.1:" + taken.getLocalPort() + " is in use");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void usageNamesTheUpCommand() {
        assertThat(gate("--help").out()).contains("gate up [--env FILE] [--host-port HOST:PORT] [--project ID]");
    }
}
