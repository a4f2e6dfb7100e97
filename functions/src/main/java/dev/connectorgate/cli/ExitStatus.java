package dev.connectorgate.cli;

import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Verdict;
import java.util.List;

/** The command line's exit statuses (contract: "Command line"). */
final class ExitStatus {
    static final int OK = 0;
    static final int INTERNAL = 1;
    static final int USAGE = 2;
    static final int BLOCK_OR_WAIT = 3;
    static final int REJECT = 4;

    private ExitStatus() {
    }

    /** 4 when any decision is REJECT, else 3 when any is BLOCK or WAIT, else 0. */
    static int of(List<GateDecision> decisions) {
        boolean reject = decisions.stream().anyMatch(d -> d.verdict() == Verdict.REJECT);
        boolean held = decisions.stream().anyMatch(d -> d.verdict() == Verdict.BLOCK || d.verdict() == Verdict.WAIT);
        return reject ? REJECT : held ? BLOCK_OR_WAIT : OK;
    }
}
