package dev.connectorgate.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code gate} command line: {@code plan} and {@code replay} on the embedded default (contract: "Command line"). */
public final class GateCli {
    static final String USAGE = String.join("\n",
            "usage: gate replay PATH... [--env FILE] [--json] [--width N] [--verbose]",
            "       gate plan --env FILE --request FILE [--at RFC3339] [--json] [--svg FILE] [--width N]",
            "       gate simulate SCENARIO_OR_REQUEST [--env FILE] [--grace SECONDS] [--json]",
            "       gate up [--env FILE] [--host-port HOST:PORT] [--project ID]",
            "exit status: 0 ALLOW/STAGGER · 3 any BLOCK or WAIT · 4 any REJECT · 2 usage error · 1 internal failure");

    private GateCli() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || List.of("-h", "--help", "help").contains(args.get(0))) {
            (args.isEmpty() ? err : out).println(USAGE);
            return args.isEmpty() ? ExitStatus.USAGE : ExitStatus.OK;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(USAGE);
            return ExitStatus.OK;
        }
        try {
            switch (args.get(0)) {
                case "plan":
                    return PlanCommand.run(rest, out, err);
                case "replay":
                    return ReplayCommand.run(rest, out, err);
                case "simulate":
                    return SimulateCommand.run(rest, out, err);
                case "up":
                    return UpCommand.run(rest, out, err);
                default:
                    throw new UsageError("unknown command " + args.get(0));
            }
        } catch (UsageError e) {
            err.println("gate: " + e.getMessage());
            err.println(USAGE);
            return ExitStatus.USAGE;
        } catch (RuntimeException e) {
            err.println("gate: internal failure: " + e);
            e.printStackTrace(err);
            return ExitStatus.INTERNAL;
        }
    }
}
