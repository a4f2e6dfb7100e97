package dev.connectorgate.ports;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.Load;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A load source that remembers each connector's last good reading and offers it when the source fails, marked as
 * such. Whether that reading is still fresh enough to plan with is the failure policy's call, made on its age
 * ({@code observedAt}), so a short Monitoring outage costs nothing and a long one falls to the policy.
 */
public final class LastKnownLoad implements LoadSource {
    private final LoadSource source;
    private final ConcurrentMap<String, Load> last = new ConcurrentHashMap<>();

    public LastKnownLoad(LoadSource source) {
        this.source = source;
    }

    @Override
    public Optional<Load> load(Connector connector) {
        Optional<Load> reading = source.load(connector);
        if (reading.isPresent()) {
            last.merge(connector.name(), reading.get(),
                    (old, fresh) -> fresh.observedAt().isBefore(old.observedAt()) ? old : fresh);
            return reading;
        }
        return Optional.ofNullable(last.get(connector.name()))
                .map(l -> new Load(l.baselineMbps(), l.observedAt(), l.source() + ", last known: the newest query"
                        + " failed"));
    }
}
