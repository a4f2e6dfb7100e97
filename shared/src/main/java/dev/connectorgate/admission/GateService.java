package dev.connectorgate.admission;

import dev.connectorgate.capacity.Reservation;
import dev.connectorgate.decision.Gate;
import dev.connectorgate.decision.GateDecision;
import dev.connectorgate.decision.Verdict;
import dev.connectorgate.events.AlertNotification;
import dev.connectorgate.events.BuildStatus;
import dev.connectorgate.events.PubSubMessage;
import dev.connectorgate.ledger.Ledger;
import dev.connectorgate.ledger.LedgerTransaction;
import dev.connectorgate.ledger.WaitingRequest;
import dev.connectorgate.model.DeploymentRequest;
import dev.connectorgate.model.Incident;
import dev.connectorgate.model.Load;
import dev.connectorgate.ports.ConnectorInventory;
import dev.connectorgate.ports.ConnectorLookup;
import dev.connectorgate.ports.EventLog;
import dev.connectorgate.ports.EventLog.Severity;
import dev.connectorgate.ports.LoadSource;
import dev.connectorgate.request.RequestValidator;
import dev.connectorgate.request.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the gate does with each kind of message: decide requests, open and close incidents, release builds, expire
 * waits. It reads the ports, lets the pure {@link Gate} decide and records the outcome in the ledger; it returns the
 * decisions to publish, because publishing must happen after the ledger transaction, never inside it.
 *
 * <p>Every handler is idempotent under redelivery: a message seen before is answered with the decisions it already
 * caused (the latest for each request), and nothing is reserved twice.
 */
public final class GateService {
    private final Gate gate;
    private final Ledger ledger;
    private final ConnectorInventory inventory;
    private final LoadSource loads;
    private final Clock clock;
    private final EventLog log;
    private final InputPolicy inputs;

    public GateService(Gate gate, Ledger ledger, ConnectorInventory inventory, LoadSource loads, Clock clock,
            EventLog log) {
        this(gate, ledger, inventory, loads, clock, log, InputPolicy.DEFAULT);
    }

    public GateService(Gate gate, Ledger ledger, ConnectorInventory inventory, LoadSource loads, Clock clock,
            EventLog log, InputPolicy inputs) {
        this.inputs = inputs;
        this.gate = gate;
        this.ledger = ledger;
        this.inventory = inventory;
        this.loads = loads;
        this.clock = clock;
        this.log = log;
    }

    /** A deployment request from {@code gate-requests}: decided, recorded, returned for publication. */
    public List<GateDecision> onRequest(PubSubMessage m) {
        Instant now = clock.instant();
        List<GateDecision> out = new ArrayList<>(expireWaits(m.messageId(), now));
        Validation v = RequestValidator.validate(m.data(), gate.policy());
        if (v instanceof Validation.Invalid bad) {
            out.add(reject(m.messageId(), bad.requestId(), bad.buildId(), bad.connector(), bad.problems(), now));
            logDecision(out.get(out.size() - 1), m.messageId(), "request rejected");
            return out;
        }
        DeploymentRequest req = ((Validation.Valid) v).request();
        Optional<GateDecision> earlier = ledger.inTransaction(tx -> answered(tx, m.messageId(), req.requestId()));
        if (earlier.isPresent()) {
            logDecision(earlier.get(), m.messageId(), "request seen before: answering with the decision made");
            out.add(earlier.get());
            return out;
        }
        Inputs inputs = read(req.connector(), now);
        GateDecision d = ledger.inTransaction(tx -> {
            Optional<GateDecision> again = answered(tx, m.messageId(), req.requestId());
            if (again.isPresent()) {
                return again.get();
            }
            List<Reservation> held = tx.reservations(req.connector());
            List<Incident> open = openOn(tx.openIncidents(), req.connector());
            Gate.Outcome o = gate.decide(inputs.toGateInput(req, now, req.deadlineSeconds() * 1000, held, open));
            tx.recordDecision(m.messageId(), o.decision());
            o.reservation().ifPresent(tx::reserve);
            if (o.decision().verdict() == Verdict.WAIT) {
                tx.putWaiting(WaitingRequest.queued(req, now));
            }
            return o.decision();
        });
        logDecision(d, m.messageId(), "request decided");
        out.add(d);
        return out;
    }

    /** A request message whose envelope could not be read is still answered: REJECT, requestId null. */
    public List<GateDecision> onUnreadableRequest(String messageId, String reason) {
        Instant now = clock.instant();
        List<GateDecision> out = new ArrayList<>(expireWaits(messageId, now));
        out.add(reject(messageId, null, null, null, List.of(reason), now));
        logDecision(out.get(out.size() - 1), messageId, "request rejected");
        return out;
    }

    private GateDecision reject(String messageId, String requestId, String buildId, String connector,
            List<String> problems, Instant now) {
        return ledger.inTransaction(tx -> {
            List<GateDecision> seen = tx.decisionsForMessage(messageId);
            if (!seen.isEmpty()) {
                return seen.get(seen.size() - 1);
            }
            GateDecision d = Gate.reject(requestId, buildId, connector, problems, now);
            tx.recordDecision(messageId, d);
            return d;
        });
    }

    /** A Monitoring incident notification from {@code connector-alerts}. */
    public List<GateDecision> onAlert(PubSubMessage m) {
        Instant now = clock.instant();
        List<GateDecision> out = new ArrayList<>(expireWaits(m.messageId(), now));
        AlertNotification.AlertResult result = AlertNotification.decode(m.data(), now);
        if (result instanceof AlertNotification.AlertResult.Ignored ignored) {
            log.log(Severity.NOTICE, "alert dropped: " + ignored.reason(), Map.of("messageId", m.messageId()));
            return out;
        }
        AlertNotification.AlertResult.IncidentUpdate update = (AlertNotification.AlertResult.IncidentUpdate) result;
        Incident incident = update.incident();
        if (update.consoleTest()) {
            // A test notification is never closed: recording it would hold the connector's requests until deadline.
            log.log(Severity.NOTICE, "console test notification received: the alert channel works; no incident is"
                    + " recorded", fields("incidentId", incident.incidentId(), "connector", incident.connector(),
                            "messageId", m.messageId()));
            return out;
        }
        boolean changed = ledger.inTransaction(tx -> {
            Optional<Incident> recorded = tx.incident(incident.incidentId());
            if (recorded.isPresent() && !incident.supersedes(recorded.get())) {
                return false;
            }
            tx.putIncident(incident);
            return true;
        });
        log.log(Severity.INFO, changed ? "incident " + (incident.open() ? "opened" : "closed")
                : "incident message repeated or stale: nothing changes", fields(
                        "incidentId", incident.incidentId(), "connector", incident.connector(), "messageId",
                        m.messageId()));
        out.addAll(ledger.inTransaction(tx -> tx.decisionsForMessage(m.messageId())));
        if (!incident.open()) {
            out.addAll(releaseWaiting(incident.connector(), m.messageId(), now));
        }
        return out;
    }

    /** A Cloud Build status from {@code cloud-builds}: a terminal status releases the build's reservations. */
    public List<GateDecision> onBuild(PubSubMessage m) {
        Instant now = clock.instant();
        List<GateDecision> out = new ArrayList<>(expireWaits(m.messageId(), now));
        BuildStatus.BuildResult result = BuildStatus.decode(m.data(), m.attributes());
        if (result instanceof BuildStatus.BuildResult.Ignored ignored) {
            log.log(Severity.NOTICE, "build message dropped: " + ignored.reason(), Map.of("messageId", m.messageId()));
            return out;
        }
        BuildStatus.BuildResult.Status status = (BuildStatus.BuildResult.Status) result;
        if (!status.terminal()) {
            log.log(Severity.DEBUG, "build status " + status.status() + " changes nothing",
                    fields("buildId", status.buildId()));
            return out;
        }
        int released = ledger.inTransaction(tx -> {
            int held = tx.reservationsOfBuild(status.buildId()).size();
            if (held > 0) {
                tx.release(status.buildId());
            }
            return held;
        });
        log.log(Severity.INFO, released > 0 ? "build " + status.status() + ": reservation released"
                : "build " + status.status() + ": it held no reservation", fields("buildId", status.buildId(),
                        "released", released));
        return out;
    }

    /** A periodic tick: expired waits become BLOCK, and waits whose reason has cleared are decided. */
    public List<GateDecision> onTick(PubSubMessage m) {
        Instant now = clock.instant();
        List<GateDecision> out = new ArrayList<>(expireWaits(m.messageId(), now));
        out.addAll(ledger.inTransaction(tx -> tx.decisionsForMessage(m.messageId())).stream()
                .filter(d -> !out.contains(d)).toList());
        Set<String> connectors = new LinkedHashSet<>();
        ledger.inTransaction(tx -> tx.allWaiting()).forEach(w -> connectors.add(w.connector()));
        for (String c : connectors) {
            out.addAll(releaseWaiting(c, m.messageId(), now));
        }
        return out;
    }

    /** Decides, oldest first, each request waiting on connectors matching {@code connector}, each in its own
     * transaction so earlier ones reserve before later ones are planned. One still WAIT stays queued, unannounced. */
    private List<GateDecision> releaseWaiting(String connector, String trigger, Instant now) {
        List<WaitingRequest> queue = ledger.inTransaction(tx -> tx.allWaiting()).stream()
                .filter(w -> AlertNotification.matches(w.connector(), connector)).toList();
        List<GateDecision> out = new ArrayList<>();
        for (WaitingRequest w : queue) {
            Inputs inputs = read(w.connector(), now);
            GateDecision d = ledger.inTransaction(tx -> {
                boolean still = tx.waiting(w.connector()).stream()
                        .anyMatch(x -> x.request().requestId().equals(w.request().requestId()));
                if (!still) {
                    return null;
                }
                List<Incident> open = openOn(tx.openIncidents(), w.connector());
                List<Reservation> held = tx.reservations(w.connector());
                if (!open.isEmpty()) {
                    return null;
                }
                long remaining = Duration.between(now, w.deadline()).toMillis();
                Gate.Outcome o = gate.decide(inputs.toGateInput(w.request(), now, remaining, held, open));
                if (o.decision().verdict() == Verdict.WAIT) {
                    return null;
                }
                tx.recordDecision(trigger, o.decision());
                o.reservation().ifPresent(tx::reserve);
                tx.removeWaiting(w.request().requestId());
                return o.decision();
            });
            if (d != null) {
                logDecision(d, trigger, "waiting request decided");
                out.add(d);
            }
        }
        return out;
    }

    /** Waiting requests whose deadline has passed become BLOCK. Checked on every message. */
    private List<GateDecision> expireWaits(String trigger, Instant now) {
        List<GateDecision> expired = ledger.inTransaction(tx -> {
            List<WaitingRequest> due = tx.allWaiting().stream().filter(w -> !w.deadline().isAfter(now)).toList();
            Map<String, GateDecision> last = new LinkedHashMap<>();
            for (WaitingRequest w : due) {
                tx.decisionForRequest(w.request().requestId()).ifPresent(d -> last.put(w.request().requestId(), d));
            }
            List<GateDecision> blocks = new ArrayList<>();
            for (WaitingRequest w : due) {
                GateDecision d = gate.deadlinePassed(w.request(), w.queuedAt(), now,
                        last.get(w.request().requestId()));
                tx.recordDecision(trigger, d);
                tx.removeWaiting(w.request().requestId());
                blocks.add(d);
            }
            return blocks;
        });
        expired.forEach(d -> logDecision(d, trigger, "waiting request's deadline passed"));
        return expired;
    }

    /** The answer already given: for a message seen before, its request's latest decision; for a new message
     * whose requestId holds an ALLOW, STAGGER or WAIT, that decision (after BLOCK or REJECT it is decided afresh). */
    private static Optional<GateDecision> answered(LedgerTransaction tx, String messageId, String requestId) {
        List<GateDecision> seen = tx.decisionsForMessage(messageId);
        Optional<GateDecision> latest = tx.decisionForRequest(requestId);
        if (!seen.isEmpty()) {
            return latest.or(() -> Optional.of(seen.get(seen.size() - 1)));
        }
        return latest.filter(d -> !d.verdict().decidesAfresh());
    }

    private static List<Incident> openOn(List<Incident> open, String connector) {
        return open.stream().filter(i -> AlertNotification.matches(connector, i.connector())).toList();
    }

    /** The outside inputs of a decision, read before the ledger transaction: a retried transaction reuses them. */
    private Inputs read(String connector, Instant now) {
        ConnectorLookup lookup = inventory.lookup(connector);
        if (!(lookup instanceof ConnectorLookup.Found f)) {
            return new Inputs(lookup, new InputPolicy.Judged(Optional.empty(), List.of()));
        }
        InputPolicy.Judged judged = inputs.judge(loads.load(f.connector()), f.connector(), now);
        List<String> degraded = new ArrayList<>();
        if (f.degraded() != null) {
            degraded.add(f.degraded());
        }
        degraded.addAll(judged.degraded());
        degraded.forEach(note -> log.log(Severity.WARNING, "degraded input: " + note, fields("connector", connector)));
        return new Inputs(lookup, new InputPolicy.Judged(judged.load(), degraded));
    }

    private record Inputs(ConnectorLookup lookup, InputPolicy.Judged load) {
        Gate.Input toGateInput(DeploymentRequest req, Instant now, long deadlineMillis, List<Reservation> held,
                List<Incident> open) {
            return new Gate.Input(req, now, deadlineMillis, lookup, load.load(), held, open, load.degraded());
        }
    }

    private void logDecision(GateDecision d, String messageId, String message) {
        Severity s = switch (d.verdict()) {
            case ALLOW, STAGGER -> Severity.INFO;
            case WAIT -> Severity.NOTICE;
            case BLOCK, REJECT -> Severity.WARNING;
        };
        log.log(s, message + ": " + d.verdict(), fields("requestId", d.requestId(), "buildId", d.buildId(),
                "connector", d.connector(), "verdict", d.verdict().name(), "messageId", messageId));
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
