package dev.connectorgate.plan;

import java.util.List;

/** All starts that share one offset: what the contract calls a wave. */
public record Wave(long startOffsetMillis, List<Start> starts) {
    public Wave {
        starts = List.copyOf(starts);
    }

    public int instances() {
        return starts.stream().mapToInt(Start::instances).sum();
    }
}
