package dev.connectorgate.cli;

/** A command line that cannot be run as given: exit status 2, with a message saying what was wrong. */
final class UsageError extends Exception {
    UsageError(String message) {
        super(message);
    }
}
