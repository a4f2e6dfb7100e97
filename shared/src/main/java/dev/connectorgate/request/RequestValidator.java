package dev.connectorgate.request;

import com.google.gson.JsonObject;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Policy;
import dev.connectorgate.model.ServiceSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a DeploymentRequest payload at the edge, once, naming every problem in one pass (contract.md,
 * "DeploymentRequest").
 *
 * <p>Problems come in a fixed order: requestId, buildId, connector, deadlineSeconds, services; then each service in
 * index order (name, instances, startupMbps, startupSeconds, dependsOn); then dependsOn cycles. Never throws for any
 * payload: every input gives a {@link Validation}.
 */
public final class RequestValidator {
    public static final int MAX_PAYLOAD_BYTES = 1_048_576;
    /** requestId and buildId: a Cloud Build step passes $BUILD_ID. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final IntegerRange DEADLINE_SECONDS = new IntegerRange(1, 86_400);

    private RequestValidator() {}

    public static Validation validate(String payload, Policy policy) {
        return validate(payload.getBytes(StandardCharsets.UTF_8), policy);
    }

    public static Validation validate(byte[] payload, Policy policy) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(policy, "policy");
        Problems problems = new Problems();
        if (payload.length > MAX_PAYLOAD_BYTES) {
            problems.add("payload", "must be at most " + MAX_PAYLOAD_BYTES + " bytes (1 MiB), got " + payload.length
                    + " bytes");
            return new Validation.Invalid(null, null, null, problems.list());
        }
        return JsonPayload.parse(payload, problems)
                .map(request -> read(request, policy, problems))
                .orElseGet(() -> new Validation.Invalid(null, null, null, problems.list()));
    }

    private static Validation read(JsonObject json, Policy policy, Problems problems) {
        Fields fields = new Fields(json, "", problems);
        String requestId = fields.matching("requestId", ID).orElse(null);
        String buildId = fields.has("buildId") ? fields.matching("buildId", ID).orElse(null) : requestId;
        String connector = connector(fields, problems).orElse(null);
        Optional<Long> deadline =
                fields.integer("deadlineSeconds", DEADLINE_SECONDS, DeploymentRequest.DEFAULT_DEADLINE_SECONDS);
        List<ServiceSpec> services = Services.read(fields, policy, problems);
        if (!problems.isEmpty()) {
            return new Validation.Invalid(requestId, buildId, connector, problems.list());
        }
        return new Validation.Valid(new DeploymentRequest(requestId, buildId, connector, deadline.orElseThrow(),
                services));
    }

    private static Optional<String> connector(Fields fields, Problems problems) {
        return fields.string("connector", "must be a string " + ConnectorName.SHAPE)
                .filter(name -> ConnectorName.check("connector", name, problems));
    }
}
