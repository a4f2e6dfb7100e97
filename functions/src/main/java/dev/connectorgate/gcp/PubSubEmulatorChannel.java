package dev.connectorgate.gcp;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A plaintext gRPC channel to the Pub/Sub emulator, for every Pub/Sub client the gate builds when
 * {@code PUBSUB_EMULATOR_HOST} is set.
 *
 * <p>The Java Pub/Sub client does not read that variable by itself (unlike Firestore's): without this it would go to
 * Google with TLS and application default credentials. Clients built on a {@link FixedTransportChannelProvider} do
 * not close its channel, so this object owns it and closes it after them.
 */
public final class PubSubEmulatorChannel implements AutoCloseable {
    private final String hostPort;
    private final ManagedChannel channel;

    private PubSubEmulatorChannel(String hostPort, ManagedChannel channel) {
        this.hostPort = hostPort;
        this.channel = channel;
    }

    /** A channel to {@code host:port}; it connects lazily, on the first call. */
    public static PubSubEmulatorChannel open(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        return new PubSubEmulatorChannel(hostPort, ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build());
    }

    public String hostPort() {
        return hostPort;
    }

    /** For a client's {@code setChannelProvider} / {@code setTransportChannelProvider}. */
    public TransportChannelProvider channels() {
        return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    }

    /** The emulator checks no credentials, and fetching application default ones would fail on a laptop. */
    public CredentialsProvider credentials() {
        return NoCredentialsProvider.create();
    }

    /**
     * Ends the channel after the clients on it have finished their own work (a publisher flushes when shut down).
     * Calls still in flight are cancelled: a long pull would otherwise hold the close up to its deadline.
     */
    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
