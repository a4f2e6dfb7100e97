package dev.connectorgate.functions;

import com.google.cloud.functions.CloudEventsFunction;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubEnvelope;
import dev.connectorgate.events.PubSubMessage;
import dev.connectorgate.ports.EventLog;
import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.Map;

/**
 * What the gate's Pub/Sub-triggered functions share: unwrap the message from the CloudEvent, hand it to the service,
 * publish what comes back. Returning normally acknowledges the message; only a failure a retry can cure (a publish
 * that failed) escapes as an exception.
 */
abstract class PubSubFunction implements CloudEventsFunction {
    protected final GateRuntime runtime;

    protected PubSubFunction(GateRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public final void accept(CloudEvent event) {
        byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
        PubSubEnvelope.Decoded decoded = PubSubEnvelope.decode(data);
        List<GateDecision> decisions;
        if (decoded instanceof PubSubEnvelope.Decoded.Message m) {
            PubSubMessage message = m.message();
            if (message.messageId() == null) {
                // Hand-written events may omit it; the CloudEvent id is Pub/Sub's message id on real deliveries.
                message = new PubSubMessage(message.data(), message.attributes(), event.getId(),
                        message.publishTime(), message.orderingKey());
            }
            decisions = handle(message);
        } else {
            PubSubEnvelope.Decoded.Malformed bad = (PubSubEnvelope.Decoded.Malformed) decoded;
            String id = bad.messageId() != null ? bad.messageId() : event.getId();
            decisions = malformed(id, bad.reason());
        }
        decisions.forEach(runtime.publisher()::publish);
    }

    /** Handles a well-formed message; returns the decisions to publish. */
    protected abstract List<GateDecision> handle(PubSubMessage message);

    /** An envelope that could not be read: logged and acknowledged unless the topic owes an answer. */
    protected List<GateDecision> malformed(String messageId, String reason) {
        runtime.log().log(EventLog.Severity.WARNING, "message dropped: " + reason,
                Map.of("messageId", String.valueOf(messageId), "function", getClass().getSimpleName()));
        return List.of();
    }
}
