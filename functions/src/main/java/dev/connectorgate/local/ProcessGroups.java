package dev.connectorgate.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Signals whole process groups: how `gate up` and the tests end what the gcloud emulator wrappers leave behind (a
 * wrapper killed alone leaves its Java child running, so each is started under setsid and its group is ended).
 * Linux only, as the gate's local mode is.
 */
public final class ProcessGroups {
    private ProcessGroups() {
    }

    /** Sends {@code signal} ("TERM", "KILL") to every process of the group; a group already gone is not an error. */
    public static void signal(long group, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + group).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // No kill command: callers destroy the remaining handles one by one afterwards.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process group of a running process, from {@code /proc/PID/stat}; empty once it has gone. */
    public static Optional<Long> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
