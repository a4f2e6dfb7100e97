package dev.connectorgate.gcp;

import dev.connectorgate.model.Connector;
import dev.connectorgate.ports.ConnectorInventory;
import dev.connectorgate.ports.ConnectorLookup;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A connector inventory whose running instances are the ones Monitoring observed, where it observed any.
 *
 * <p>VPC Access reports only a connector's bounds, so {@link VpcAccessInventory} says {@code minInstances} are
 * running; a connector that has scaled out has more, and its capacity is that much larger. This decorator asks
 * {@code observedInstances} (production: {@link MonitoringLoadSource#runningInstances}) and uses its count, kept
 * within the connector's {@code minInstances..maxInstances}: a reading outside them is a metric glitch, not a
 * connector that broke its own bounds. With no observation the inner inventory's answer stands unchanged, as do
 * NotFound and Unavailable.
 */
public final class MonitoredInventory implements ConnectorInventory {
    private final ConnectorInventory inventory;
    private final Function<Connector, OptionalInt> observedInstances;

    public MonitoredInventory(ConnectorInventory inventory, Function<Connector, OptionalInt> observedInstances) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.observedInstances = Objects.requireNonNull(observedInstances, "observedInstances");
    }

    @Override
    public ConnectorLookup lookup(String connectorName) {
        ConnectorLookup answer = inventory.lookup(connectorName);
        if (!(answer instanceof ConnectorLookup.Found found)) {
            return answer;
        }
        Connector c = found.connector();
        OptionalInt observed = observedInstances.apply(c);
        if (observed.isEmpty()) {
            return answer;
        }
        int running = Math.max(c.minInstances(), Math.min(c.maxInstances(), observed.getAsInt()));
        return new ConnectorLookup.Found(
                new Connector(c.name(), c.machineType(), c.minInstances(), c.maxInstances(), running, c.state()));
    }
}
