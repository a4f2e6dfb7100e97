package dev.connectorgate.gcp;

import com.google.api.gax.rpc.ApiException;
import io.grpc.Status;

/** Renders a Google API failure for a decision's reason or a log line: the status code, then what the server said. */
final class ApiErrors {
    private ApiErrors() {}

    /** E.g. {@code PERMISSION_DENIED: permission denied on resource}, without the exception class names gax adds. */
    static String describe(ApiException e) {
        String code = e.getStatusCode().getCode().name();
        // The gRPC status rides in the cause; fromThrowable walks the chain to it (UNKNOWN when there is none).
        String detail = Status.fromThrowable(e).getDescription();
        if (detail == null || detail.isBlank()) {
            detail = e.getMessage();
        }
        return detail == null || detail.isBlank() ? code : code + ": " + detail;
    }
}
