package dev.connectorgate.functions;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubMessage;
import java.util.List;

/** Entry point for {@code gate-requests}: decides each deployment request and publishes the decision. */
public final class DeploymentRequestFunction extends PubSubFunction {

    /** The Functions Framework's constructor: configuration from the environment, read once. */
    public DeploymentRequestFunction() {
        this(GateRuntime.fromEnvironment(System.getenv()));
    }

    public DeploymentRequestFunction(GateRuntime runtime) {
        super(runtime);
    }

    @Override
    protected List<GateDecision> handle(PubSubMessage message) {
        return runtime.service().onRequest(message);
    }

    /** A request whose envelope is unreadable is still answered: a REJECT without a requestId. */
    @Override
    protected List<GateDecision> malformed(String messageId, String reason) {
        return runtime.service().onUnreadableRequest(messageId, reason);
    }
}
