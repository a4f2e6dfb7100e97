package dev.connectorgate.ledger;

import dev.connectorgate.model.DeploymentRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * A request answered WAIT, queued until its reason clears or its deadline passes.
 *
 * @param queuedAt when it first got WAIT: waiting requests are decided in this order
 * @param deadline queuedAt + deadlineSeconds: past it the request becomes BLOCK
 */
public record WaitingRequest(DeploymentRequest request, Instant queuedAt, Instant deadline) {
    public WaitingRequest {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(queuedAt, "queuedAt");
        Objects.requireNonNull(deadline, "deadline");
    }

    public static WaitingRequest queued(DeploymentRequest request, Instant at) {
        return new WaitingRequest(request, at, at.plusSeconds(request.deadlineSeconds()));
    }

    public String connector() {
        return request.connector();
    }
}
