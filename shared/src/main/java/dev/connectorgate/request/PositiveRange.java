package dev.connectorgate.request;

import java.util.Optional;

/** A contract bound "number 0 < x <= high", checked on the double the model will hold. */
record PositiveRange(long high) {

    String range() {
        return "0 < x <= " + high;
    }

    String typeExpectation() {
        return "must be a number " + range();
    }

    /**
     * What the number breaks, or empty when it is within the range.
     *
     * <p>Checked after rounding to a double, so 1e-400 (rounds to 0) is refused rather than handed to a model that
     * needs a positive value; a huge exponent rounds to infinity and is refused as too large.
     */
    Optional<String> violation(String jsonNumber) {
        double value = value(jsonNumber);
        return value > 0 && value <= high ? Optional.empty() : Optional.of("must be " + range());
    }

    double value(String jsonNumber) {
        return Double.parseDouble(jsonNumber);
    }
}
