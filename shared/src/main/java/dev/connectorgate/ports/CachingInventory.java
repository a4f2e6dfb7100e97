package dev.connectorgate.ports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A connector inventory that remembers answers: a burst of requests for one connector costs one API call, and a
 * short outage of the inventory does not stall every decision.
 *
 * <ul>
 *   <li>A {@link ConnectorLookup.Found} is served from memory for {@code ttl}.</li>
 *   <li>A {@link ConnectorLookup.NotFound} is served from memory for {@code notFoundTtl} only: a connector being
 *       created should not stay unknown for long.</li>
 *   <li>When the inventory is {@link ConnectorLookup.Unavailable} and the last definite answer was a Found younger
 *       than {@code maxStaleness}, that Found is served; otherwise the Unavailable passes through. A NotFound is
 *       never served stale: a decision must not BLOCK on an answer the inventory cannot confirm.</li>
 * </ul>
 *
 * <p>Thread-safe. The inventory is called without any lock held, so a slow lookup of one connector never holds up
 * another; two threads missing on the same connector at once may both call it, and the later answer is kept.
 */
public final class CachingInventory implements ConnectorInventory {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMinutes(10);
    public static final Duration DEFAULT_NOT_FOUND_TTL = Duration.ofSeconds(10);

    /** The last definite answer (Found or NotFound) for one connector and when the inventory gave it. */
    private record Entry(ConnectorLookup answer, Instant at) {}

    private final ConnectorInventory inventory;
    private final Clock clock;
    private final Duration ttl;
    private final Duration maxStaleness;
    private final Duration notFoundTtl;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** With the defaults: Found for 60 s, served stale for up to 10 min, NotFound for 10 s. */
    public CachingInventory(ConnectorInventory inventory, Clock clock) {
        this(inventory, clock, DEFAULT_TTL, DEFAULT_MAX_STALENESS, DEFAULT_NOT_FOUND_TTL);
    }

    public CachingInventory(ConnectorInventory inventory, Clock clock, Duration ttl, Duration maxStaleness,
            Duration notFoundTtl) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = positive(ttl, "ttl");
        this.maxStaleness = positive(maxStaleness, "maxStaleness");
        this.notFoundTtl = positive(notFoundTtl, "notFoundTtl");
        if (maxStaleness.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("maxStaleness must be >= ttl, got " + maxStaleness + " < " + ttl);
        }
    }

    @Override
    public ConnectorLookup lookup(String connectorName) {
        Instant now = clock.instant();
        Entry cached = entries.get(connectorName);
        if (cached != null && age(cached, now).compareTo(freshFor(cached.answer())) < 0) {
            return cached.answer();
        }
        ConnectorLookup answer = inventory.lookup(connectorName);
        if (answer instanceof ConnectorLookup.Unavailable) {
            // Re-read: another thread may have stored a definite answer while this one waited on the inventory.
            Entry last = entries.get(connectorName);
            if (last != null && last.answer() instanceof ConnectorLookup.Found found
                    && age(last, clock.instant()).compareTo(maxStaleness) < 0) {
                return new ConnectorLookup.Found(found.connector(), "connector: VPC Access cannot answer ("
                        + ((ConnectorLookup.Unavailable) answer).why() + "); using its shape as read "
                        + age(last, clock.instant()).toSeconds() + " s ago");
            }
            return answer;
        }
        Entry fetched = new Entry(answer, clock.instant());
        // Keep the newer of two racing answers, so a slow call that started earlier cannot undo a later one.
        entries.merge(connectorName, fetched, (old, fresh) -> fresh.at().isBefore(old.at()) ? old : fresh);
        return answer;
    }

    private Duration freshFor(ConnectorLookup answer) {
        return answer instanceof ConnectorLookup.Found ? ttl : notFoundTtl;
    }

    private static Duration age(Entry entry, Instant now) {
        return Duration.between(entry.at(), now);
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }
}
