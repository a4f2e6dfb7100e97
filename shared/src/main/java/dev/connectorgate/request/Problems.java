package dev.connectorgate.request;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;

/** Collects a request's problems as the contract's reasons: {@code path: what was expected, got what}. */
final class Problems {
    /** A hostile megabyte can hold a hundred thousand problems; a REJECT lists this many and counts the rest. */
    static final int MAX_LISTED = 100;
    private static final int MAX_VALUE_CODE_POINTS = 40;

    private final List<String> listed = new ArrayList<>();
    private int unlisted;

    void add(String path, String message) {
        if (full()) {
            unlisted++;
        } else {
            listed.add(path + ": " + message);
        }
    }

    void wrong(String path, String expected, JsonElement got) {
        // Past the cap only the count matters: skip rendering what may be a large value.
        if (full()) {
            unlisted++;
        } else {
            listed.add(path + ": " + expected + ", got " + describe(got));
        }
    }

    private boolean full() {
        return listed.size() >= MAX_LISTED;
    }

    boolean isEmpty() {
        return listed.isEmpty();
    }

    List<String> list() {
        List<String> all = new ArrayList<>(listed);
        if (unlisted > 0) {
            all.add("… and " + unlisted + " more problems");
        }
        return all;
    }

    /** A value as the sender wrote it: strings quoted, numbers verbatim, anything long cut short. */
    static String describe(JsonElement value) {
        if (value == null) {
            return "nothing";
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return quote(value.getAsString());
        }
        return truncate(value.toString());
    }

    static String quote(String text) {
        // Cut before quoting, so the closing quote survives and no escape is split.
        return new JsonPrimitive(truncate(text)).toString();
    }

    private static String truncate(String text) {
        if (text.length() <= MAX_VALUE_CODE_POINTS || text.codePointCount(0, text.length()) <= MAX_VALUE_CODE_POINTS) {
            return text;
        }
        // By code points, so a surrogate pair is never cut in half.
        return text.substring(0, text.offsetByCodePoints(0, MAX_VALUE_CODE_POINTS)) + "…";
    }
}
