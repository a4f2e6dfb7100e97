package dev.connectorgate.local;

import dev.connectorgate.ports.ConnectorInventory;
import dev.connectorgate.ports.ConnectorLookup;

/** The connector inventory of the embedded default: the connectors an environment file lists, nothing else. */
public final class EnvironmentInventory implements ConnectorInventory {
    private final Environment environment;

    public EnvironmentInventory(Environment environment) {
        this.environment = environment;
    }

    @Override
    public ConnectorLookup lookup(String connectorName) {
        return environment.connector(connectorName)
                .<ConnectorLookup>map(e -> new ConnectorLookup.Found(e.connector()))
                .orElseGet(() -> new ConnectorLookup.NotFound(connectorName));
    }
}
