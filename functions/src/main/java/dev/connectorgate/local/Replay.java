package dev.connectorgate.local;

import dev.connectorgate.time.SettableClock;

import com.google.cloud.functions.CloudEventsFunction;
import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.events.PubSubEnvelope;
import dev.connectorgate.functions.AlertFunction;
import dev.connectorgate.functions.BuildEventFunction;
import dev.connectorgate.functions.DeploymentRequestFunction;
import dev.connectorgate.functions.GateConfig;
import dev.connectorgate.functions.GateRuntime;
import dev.connectorgate.functions.TickFunction;
import dev.connectorgate.ledger.InMemoryLedger;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.ports.EventLog;
import dev.connectorgate.request.RequestValidator;
import dev.connectorgate.request.Validation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Replays CloudEvent files through the function classes that production runs, on the embedded default: one shared
 * in-memory ledger, connectors and load from an environment file, each event's time as the clock.
 */
public final class Replay {
    /** Event files of a scenario folder: the ones whose name starts with a digit ({@code 01-request.json}). */
    private static final Pattern EVENT_FILE = Pattern.compile("[0-9].*\\.json");

    /** What one event did: the decisions it published, and the reservations others held when they were made. */
    public record Step(EventFile event, List<GateDecision> decisions, List<Reservation> reservationsBefore) {
    }

    /** @param reservationsAtEnd what the ledger holds after the last event (released ones excluded) */
    public record Result(Environment environment, List<Step> steps, Map<String, DeploymentRequest> requests,
            List<Reservation> reservationsAtEnd) {
        public List<GateDecision> decisions() {
            return steps.stream().flatMap(s -> s.decisions().stream()).toList();
        }
    }

    private Replay() {
    }

    /** The event files of a scenario folder, in file-name order. */
    public static List<Path> eventFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> EVENT_FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /** @param logOn makes the log from the replay's clock, so log lines carry the events' times */
    public static Result run(Environment env, List<EventFile> events, Function<Clock, EventLog> logOn) {
        SettableClock clock = new SettableClock(events.isEmpty() ? Instant.EPOCH : events.get(0).event().getTime()
                .toInstant());
        EventLog log = logOn.apply(clock);
        CollectingPublisher published = new CollectingPublisher();
        InMemoryLedger ledger = new InMemoryLedger();
        GateConfig config = GateConfig.from(Map.of());
        GateRuntime runtime = GateRuntime.embedded(config, env, clock, published, log, ledger);
        Map<String, CloudEventsFunction> byTopic = new HashMap<>();
        byTopic.put(config.requestsTopic(), new DeploymentRequestFunction(runtime));
        byTopic.put(config.alertsTopic(), new AlertFunction(runtime));
        byTopic.put(config.buildsTopic(), new BuildEventFunction(runtime));
        byTopic.put(config.ticksTopic(), new TickFunction(runtime));

        List<Step> steps = new ArrayList<>();
        Map<String, DeploymentRequest> requests = new LinkedHashMap<>();
        for (EventFile e : events) {
            CloudEventsFunction function = byTopic.get(e.topic());
            if (function == null) {
                log.log(EventLog.Severity.WARNING, "no function subscribes to topic " + e.topic() + ": event skipped",
                        Map.of("file", e.path().toString()));
                steps.add(new Step(e, List.of(), List.of()));
                continue;
            }
            if (e.topic().equals(config.requestsTopic())) {
                remember(e, env, requests);
            }
            clock.set(e.event().getTime().toInstant());
            List<Reservation> before = ledger.allReservations();
            int already = published.published().size();
            try {
                function.accept(e.event());
            } catch (Exception ex) {
                throw new IllegalStateException(e.path() + ": the function failed: " + ex, ex);
            }
            List<GateDecision> all = published.published();
            steps.add(new Step(e, all.subList(already, all.size()), before));
        }
        return new Result(env, steps, requests, ledger.allReservations());
    }

    // The replay draws each admitted plan, which needs the request's services as validated.
    private static void remember(EventFile e, Environment env, Map<String, DeploymentRequest> requests) {
        byte[] data = e.event().getData() == null ? new byte[0] : e.event().getData().toBytes();
        if (PubSubEnvelope.decode(data) instanceof PubSubEnvelope.Decoded.Message m
                && RequestValidator.validate(m.message().data(), env.policy()) instanceof Validation.Valid v) {
            requests.put(v.request().requestId(), v.request());
        }
    }
}
