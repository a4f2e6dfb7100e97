package dev.connectorgate.functions;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubMessage;
import java.util.List;

/** Entry point for {@code connector-alerts}: Cloud Monitoring incidents open and close a connector's waiting room. */
public final class AlertFunction extends PubSubFunction {

    public AlertFunction() {
        this(GateRuntime.fromEnvironment(System.getenv()));
    }

    public AlertFunction(GateRuntime runtime) {
        super(runtime);
    }

    @Override
    protected List<GateDecision> handle(PubSubMessage message) {
        return runtime.service().onAlert(message);
    }
}
