package dev.connectorgate.request;

import java.math.BigDecimal;
import java.util.Optional;

/** A contract bound "integer low..high", checked exactly on the number as written (1800.0 is an integer, 1800.5 not). */
record IntegerRange(long low, long high) {
    /** Exact decimal arithmetic is quadratic in the digits; no honest integer needs more than this. */
    static final int MAX_CHARS = 100;

    String range() {
        return low + ".." + high;
    }

    String typeExpectation() {
        return "must be an integer " + range();
    }

    /** What the number breaks, or empty when it is an integer within the range. */
    Optional<String> violation(String jsonNumber) {
        if (jsonNumber.length() > MAX_CHARS) {
            return Optional.of(typeExpectation() + " written in at most " + MAX_CHARS + " characters");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(jsonNumber);
        } catch (NumberFormatException e) {
            // Only an exponent beyond int range gets here: astronomically large or small, outside the range either way.
            return Optional.of("must be " + range());
        }
        if (value.compareTo(BigDecimal.valueOf(low)) < 0 || value.compareTo(BigDecimal.valueOf(high)) > 0) {
            return Optional.of("must be " + range());
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            return Optional.of(typeExpectation());
        }
        return Optional.empty();
    }

    /** The value of a number {@link #violation} accepted. */
    long value(String jsonNumber) {
        return new BigDecimal(jsonNumber).longValueExact();
    }
}
