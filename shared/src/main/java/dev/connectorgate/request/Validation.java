package dev.connectorgate.request;

import dev.connectorgate.model.DeploymentRequest;
import java.util.List;
import java.util.Objects;

/** The outcome of validating a DeploymentRequest payload: the request itself, or every problem with it. */
public sealed interface Validation {

    /** The payload was a valid request; policy defaults are already filled in. */
    record Valid(DeploymentRequest request) implements Validation {
        public Valid {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * The payload was not a valid request.
     *
     * @param requestId what could be read validly, for the REJECT to echo; null when it could not
     * @param buildId   likewise; the requestId when buildId was absent
     * @param connector likewise
     * @param problems  one contract reason per problem, never empty
     */
    record Invalid(String requestId, String buildId, String connector, List<String> problems) implements Validation {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid request names at least one problem");
            }
        }
    }
}
