package dev.connectorgate.ports;

/** Port: reads a connector's shape and state (production: the VPC Access API; locally: environment.json). */
public interface ConnectorInventory {
    ConnectorLookup lookup(String connectorName);
}
