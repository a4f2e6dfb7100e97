package dev.connectorgate.bench;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/**
 * The cold-start baseline: a CloudEventsFunction that does next to nothing, shaded alone into
 * {@code bench/target/hello-function.jar}, so that {@link ColdStartBenchmark} can tell what the invoker costs on its
 * own from what the gate adds to it.
 */
public final class HelloFunction implements CloudEventsFunction {

    @Override
    public void accept(CloudEvent event) {
        // Touch the payload as the gate does, so both functions make the invoker materialize the event's data.
        int bytes = event.getData() == null ? 0 : event.getData().toBytes().length;
        System.out.println("hello " + event.getId() + " (" + bytes + " bytes)");
    }
}
