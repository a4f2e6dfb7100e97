package dev.connectorgate.functions;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubMessage;
import java.util.List;

/** Entry point for {@code cloud-builds}: a build's terminal status releases the capacity its rollout reserved. */
public final class BuildEventFunction extends PubSubFunction {

    public BuildEventFunction() {
        this(GateRuntime.fromEnvironment(System.getenv()));
    }

    public BuildEventFunction(GateRuntime runtime) {
        super(runtime);
    }

    @Override
    protected List<GateDecision> handle(PubSubMessage message) {
        return runtime.service().onBuild(message);
    }
}
