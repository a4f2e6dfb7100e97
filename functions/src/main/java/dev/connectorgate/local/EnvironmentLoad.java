package dev.connectorgate.local;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.Load;
import dev.connectorgate.ports.LoadSource;
import java.time.Clock;
import java.util.Optional;

/** The load source of the embedded default: each connector's baselineMbps from the environment file, always fresh. */
public final class EnvironmentLoad implements LoadSource {
    private final Environment environment;
    private final Clock clock;

    public EnvironmentLoad(Environment environment, Clock clock) {
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public Optional<Load> load(Connector connector) {
        return environment.connector(connector.name())
                .map(e -> new Load(e.baselineMbps(), clock.instant(), "environment"));
    }
}
