package dev.connectorgate.functions;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubMessage;
import java.util.List;

/**
 * Entry point for {@code gate-ticks}, fed every minute by Cloud Scheduler: waits past their deadline become BLOCK
 * even when no other event arrives, and waits whose reason cleared without an event (a connector back to READY)
 * are decided. The message content does not matter.
 */
public final class TickFunction extends PubSubFunction {

    public TickFunction() {
        this(GateRuntime.fromEnvironment(System.getenv()));
    }

    public TickFunction(GateRuntime runtime) {
        super(runtime);
    }

    @Override
    protected List<GateDecision> handle(PubSubMessage message) {
        return runtime.service().onTick(message);
    }

    @Override
    protected List<GateDecision> malformed(String messageId, String reason) {
        return runtime.service().onTick(new PubSubMessage(new byte[0], java.util.Map.of(), messageId, null, null));
    }
}
