package dev.connectorgate.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.vpcaccess.v1.GetConnectorRequest;
import com.google.cloud.vpcaccess.v1.VpcAccessServiceClient;
import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.ports.ConnectorInventory;
import dev.connectorgate.ports.ConnectorLookup;
import java.util.Objects;
import java.util.Optional;

/**
 * The production connector inventory: one {@code getConnector} call to the Serverless VPC Access API per lookup,
 * mapped onto the gate's {@link Connector}. Every failure of the API becomes an answer, never an exception.
 *
 * <p>What the mapping settles:
 * <ul>
 *   <li>An empty machine type is the API's default, e2-micro. A machine type the contract gives no per-instance
 *       throughput for is Unavailable, naming it: the gate cannot size such a connector, and guessing would admit
 *       or refuse rollouts on a made-up figure.</li>
 *   <li>An old connector configured by throughput alone reads {@code minInstances = 0} (and likewise max). Its
 *       instances are then its deprecated throughput fields divided by e2-micro's 100 Mbps, rounded down and kept
 *       to 2..10: the API documents those fields as "the expected throughput when using an e2-micro machine type",
 *       whatever the machine type. A field that is 0 as well takes the API default (min 200, max 300 Mbps).</li>
 *   <li>The API's Connector carries no count of running instances. From VPC Access alone the gate takes
 *       {@code minInstances}: a connector runs at least that many, and may or may not have scaled out. The
 *       Monitoring metric {@code connector/instances} refines it (see {@link MonitoredInventory}).</li>
 * </ul>
 * The connector keeps the name it was asked for, not the one the API echoes (which may spell the project as a
 * number): reservations are keyed by the requested name.
 */
public final class VpcAccessInventory implements ConnectorInventory {
    private static final int MIN_INSTANCES = 2;
    private static final int DEFAULT_MIN_THROUGHPUT_MBPS = 200;
    private static final int DEFAULT_MAX_THROUGHPUT_MBPS = 300;
    // The deprecated throughput fields are defined in e2-micro terms, whatever the connector's machine type.
    private static final double THROUGHPUT_FIELD_MBPS_PER_INSTANCE = MachineType.E2_MICRO.perInstanceMbps();

    private final VpcAccessServiceClient client;

    public VpcAccessInventory(VpcAccessServiceClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public ConnectorLookup lookup(String connectorName) {
        com.google.cloud.vpcaccess.v1.Connector found;
        try {
            found = client.getConnector(GetConnectorRequest.newBuilder().setName(connectorName).build());
        } catch (ApiException e) {
            if (e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND) {
                return new ConnectorLookup.NotFound(connectorName);
            }
            return new ConnectorLookup.Unavailable(
                    "VPC Access getConnector " + connectorName + " failed: " + ApiErrors.describe(e));
        } catch (RuntimeException e) {
            // The client may surface a failure outside ApiException (a closed client, a bad name); still an answer.
            return new ConnectorLookup.Unavailable(
                    "VPC Access getConnector " + connectorName + " failed: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
        }
        return toLookup(connectorName, found);
    }

    private static ConnectorLookup toLookup(String name, com.google.cloud.vpcaccess.v1.Connector api) {
        Optional<MachineType> machineType = MachineType.fromWire(api.getMachineType());
        if (machineType.isEmpty()) {
            return new ConnectorLookup.Unavailable("connector " + name + " has machine type '" + api.getMachineType()
                    + "', for which the contract fixes no per-instance throughput (known: f1-micro, e2-micro,"
                    + " e2-standard-4)");
        }
        int min = api.getMinInstances() > 0 ? api.getMinInstances()
                : instancesFromThroughput(api.getMinThroughput(), DEFAULT_MIN_THROUGHPUT_MBPS);
        int max = api.getMaxInstances() > 0 ? api.getMaxInstances()
                : instancesFromThroughput(api.getMaxThroughput(), DEFAULT_MAX_THROUGHPUT_MBPS);
        // The API keeps min < max; a mixed legacy reading must at least not claim fewer maximum than minimum.
        max = Math.max(max, min);
        return new ConnectorLookup.Found(
                new Connector(name, machineType.get(), min, max, min, ConnectorState.fromWire(api.getState().name())));
    }

    private static int instancesFromThroughput(int mbps, int defaultMbps) {
        int effective = mbps > 0 ? mbps : defaultMbps;
        int instances = (int) Math.floor(effective / THROUGHPUT_FIELD_MBPS_PER_INSTANCE);
        return Math.max(MIN_INSTANCES, Math.min(Connector.MAX_INSTANCES_LIMIT, instances));
    }
}
