package dev.connectorgate.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object against the contract's rules, reporting each problem under its path.
 *
 * <p>Every reader returns empty when the field is unusable, having said why; callers keep going, so one pass finds
 * every problem. JSON null counts as absent, which is what makes an optional field null-tolerant.
 */
final class Fields {
    private final JsonObject object;
    private final String prefix;
    private final Problems problems;

    Fields(JsonObject object, String prefix, Problems problems) {
        this.object = object;
        this.prefix = prefix;
        this.problems = problems;
    }

    String path(String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    boolean has(String name) {
        JsonElement value = object.get(name);
        return value != null && !value.isJsonNull();
    }

    /** An optional field's value; empty when absent or null, which is no problem. */
    Optional<JsonElement> optional(String name) {
        return has(name) ? Optional.of(object.get(name)) : Optional.empty();
    }

    /** The field's value, or empty when it is missing or null (a problem: only required fields are read so). */
    Optional<JsonElement> required(String name) {
        JsonElement value = object.get(name);
        if (value == null || value.isJsonNull()) {
            problems.wrong(path(name), "required", value);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A required string, of any content; {@code expected} says what it should have been when it is not a string. */
    Optional<String> string(String name, String expected) {
        return required(name).flatMap(value -> {
            if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
                return Optional.of(value.getAsString());
            }
            problems.wrong(path(name), expected, value);
            return Optional.empty();
        });
    }

    /** A required string matching the whole of {@code pattern}. */
    Optional<String> matching(String name, Pattern pattern) {
        return string(name, "must be a string matching " + pattern).filter(text -> {
            boolean matches = pattern.matcher(text).matches();
            if (!matches) {
                problems.wrong(path(name), "must match " + pattern, object.get(name));
            }
            return matches;
        });
    }

    /** A required integer within the range. */
    Optional<Long> integer(String name, IntegerRange range) {
        return number(name, range.typeExpectation())
                .filter(text -> accepted(name, range.violation(text)))
                .map(range::value);
    }

    /** An optional integer within the range, {@code fallback} when absent. */
    Optional<Long> integer(String name, IntegerRange range, long fallback) {
        return has(name) ? integer(name, range) : Optional.of(fallback);
    }

    /** An optional number within the range, {@code fallback} when absent. */
    Optional<Double> number(String name, PositiveRange range, double fallback) {
        if (!has(name)) {
            return Optional.of(fallback);
        }
        return number(name, range.typeExpectation())
                .filter(text -> accepted(name, range.violation(text)))
                .map(range::value);
    }

    // The number as written: gson keeps the literal, so ranges are checked on what the sender sent.
    private Optional<String> number(String name, String expected) {
        return required(name).flatMap(value -> {
            if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
                return Optional.of(value.getAsString());
            }
            problems.wrong(path(name), expected, value);
            return Optional.empty();
        });
    }

    private boolean accepted(String name, Optional<String> violation) {
        violation.ifPresent(expected -> problems.wrong(path(name), expected, object.get(name)));
        return violation.isEmpty();
    }
}
