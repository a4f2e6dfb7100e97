package dev.connectorgate.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.monitoring.v3.MetricServiceClient;
import com.google.cloud.vpcaccess.v1.Connector;
import com.google.cloud.vpcaccess.v1.GetConnectorRequest;
import com.google.cloud.vpcaccess.v1.VpcAccessProto;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import com.google.monitoring.v3.ListTimeSeriesRequest;
import com.google.monitoring.v3.ListTimeSeriesResponse;
import com.google.monitoring.v3.MetricServiceProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An in-process gRPC server speaking the two Google RPCs the gate makes, {@code VpcAccessService.GetConnector} and
 * {@code MetricService.ListTimeSeries}, for the real Google clients to call.
 *
 * <p>The services are declared from Google's own proto descriptors (service and method names, request and response
 * types) rather than the generated {@code *Grpc} stubs: the Monitoring stub artifact of the pinned version is not
 * served by the registry here, and the descriptors pin the wire names just as well. A method the client calls by a
 * different name would answer UNIMPLEMENTED and fail the tests.
 */
final class FakeGoogleApis implements AutoCloseable {
    final Unary<GetConnectorRequest, Connector> getConnector = new Unary<>();
    final Unary<ListTimeSeriesRequest, ListTimeSeriesResponse> listTimeSeries = new Unary<>();

    private final String serverName = InProcessServerBuilder.generateName();
    private final ScheduledExecutorService late = Executors.newSingleThreadScheduledExecutor();
    private final Server server;

    FakeGoogleApis() throws IOException {
        server = InProcessServerBuilder.forName(serverName)
                .directExecutor()
                .addService(service(VpcAccessProto.getDescriptor(), "VpcAccessService", "GetConnector",
                        GetConnectorRequest.getDefaultInstance(), Connector.getDefaultInstance(), getConnector))
                .addService(service(MetricServiceProto.getDescriptor(), "MetricService", "ListTimeSeries",
                        ListTimeSeriesRequest.getDefaultInstance(), ListTimeSeriesResponse.getDefaultInstance(),
                        listTimeSeries))
                .build()
                .start();
    }

    /** The real VPC Access client, built as production builds it, over an in-process channel to this server. */
    VpcAccessServiceClient vpcAccessClient(Duration timeout) throws IOException {
        return GcpClients.vpcAccess(timeout, channels(), NoCredentialsProvider.create());
    }

    /** The real Monitoring client, built as production builds it, over an in-process channel to this server. */
    MetricServiceClient monitoringClient(Duration timeout) throws IOException {
        return GcpClients.monitoring(timeout, channels(), NoCredentialsProvider.create());
    }

    private TransportChannelProvider channels() {
        return FixedTransportChannelProvider.create(
                GrpcTransportChannel.create(InProcessChannelBuilder.forName(serverName).directExecutor().build()));
    }

    @Override
    public void close() throws InterruptedException {
        late.shutdownNow();
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Reads a fixture under {@code src/test/resources/gcp/} in the proto's JSON form. */
    static <B extends Message.Builder> B fixture(String file, B builder) {
        String path = "/gcp/" + file;
        try (InputStream in = FakeGoogleApis.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            JsonFormat.parser().merge(new InputStreamReader(in, StandardCharsets.UTF_8), builder);
            return builder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <Q extends Message, R extends Message> ServerServiceDefinition service(
            Descriptors.FileDescriptor file, String serviceName, String methodName, Q request, R response,
            Unary<Q, R> handler) {
        Descriptors.ServiceDescriptor service = file.findServiceByName(serviceName);
        Descriptors.MethodDescriptor method = service.findMethodByName(methodName);
        if (!method.getInputType().equals(request.getDescriptorForType())
                || !method.getOutputType().equals(response.getDescriptorForType())) {
            throw new IllegalStateException(method.getFullName() + " does not take and give the types declared");
        }
        MethodDescriptor<Q, R> descriptor = MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service.getFullName(), method.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
        return ServerServiceDefinition.builder(service.getFullName())
                .addMethod(descriptor, ServerCalls.asyncUnaryCall(handler::handle))
                .build();
    }

    /** One unary method: records every request it receives and answers as the test last told it to. */
    final class Unary<Q, R> {
        private final List<Q> requests = new CopyOnWriteArrayList<>();
        private volatile Behaviour<Q, R> behaviour = (q, out) -> out.onError(
                Status.FAILED_PRECONDITION.withDescription("the test set no answer").asRuntimeException());

        /** Answers each request with what {@code answer} makes of it. */
        void answer(Function<Q, R> answer) {
            behaviour = (q, out) -> {
                out.onNext(answer.apply(q));
                out.onCompleted();
            };
        }

        void answer(R response) {
            answer(q -> response);
        }

        void fail(Status status) {
            behaviour = (q, out) -> out.onError(status.asRuntimeException());
        }

        /** Answers only after {@code delay}, from another thread, so the caller's own deadline is what ends it. */
        void answerAfter(Duration delay, R response) {
            behaviour = (q, out) -> late.schedule(() -> {
                try {
                    out.onNext(response);
                    out.onCompleted();
                } catch (RuntimeException cancelledMeanwhile) {
                    // The client gave up first, which is the point of the delay; nothing is listening.
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        List<Q> requests() {
            return List.copyOf(requests);
        }

        private void handle(Q request, StreamObserver<R> out) {
            requests.add(request);
            behaviour.respond(request, out);
        }
    }

    @FunctionalInterface
    private interface Behaviour<Q, R> {
        void respond(Q request, StreamObserver<R> out);
    }
}
