package dev.connectorgate.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.connectorgate.model.Connector;
import dev.connectorgate.model.ConnectorState;
import dev.connectorgate.model.MachineType;
import dev.connectorgate.time.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CachingInventory: what it serves from memory, for how long, and what it passes through when the inventory fails. */
class CachingInventoryTest {
    private static final String NAME = "projects/netra-staging/locations/us-central1/connectors/staging-connector";
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
    private static final ConnectorLookup FOUND_2 = found(2);
    private static final ConnectorLookup FOUND_3 = found(3);
    private static final ConnectorLookup NOT_FOUND = new ConnectorLookup.NotFound(NAME);
    private static final ConnectorLookup DOWN = new ConnectorLookup.Unavailable("VPC Access: UNAVAILABLE");

    private final SettableClock clock = new SettableClock(T0);
    private final Scripted inventory = new Scripted();
    private final CachingInventory cache = new CachingInventory(inventory, clock, Duration.ofSeconds(60),
            Duration.ofMinutes(10), Duration.ofSeconds(10));

    @Test
    void aFoundIsServedFromMemoryWithinTheTtlAndAskedAgainAfterIt() {
        inventory.answer(FOUND_2, FOUND_3);

        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_2);
        clock.advance(Duration.ofSeconds(59));
        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_2);
        assertThat(inventory.calls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_3);
        assertThat(inventory.calls()).isEqualTo(2);
    }

    @Test
    void aNotFoundIsRememberedOnlyBriefly() {
        inventory.answer(NOT_FOUND, FOUND_2);

        assertThat(cache.lookup(NAME)).isEqualTo(NOT_FOUND);
        clock.advance(Duration.ofSeconds(9));
        assertThat(cache.lookup(NAME)).isEqualTo(NOT_FOUND);
        assertThat(inventory.calls()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_2);
    }

    /** A stale answer is the connector last found, and says it is stale, how old, and why. */
    private static void assertServedStale(ConnectorLookup answer, long ageSeconds) {
        assertThat(answer).isInstanceOf(ConnectorLookup.Found.class);
        ConnectorLookup.Found found = (ConnectorLookup.Found) answer;
        assertThat(found.connector()).isEqualTo(((ConnectorLookup.Found) FOUND_2).connector());
        assertThat(found.degraded()).contains(((ConnectorLookup.Unavailable) DOWN).why())
                .contains(ageSeconds + " s ago");
    }

    @Test
    void whenTheInventoryIsDownTheLastFoundIsServedWhileYoungerThanTheMaxStaleness() {
        inventory.answer(FOUND_2, DOWN, DOWN, DOWN);
        cache.lookup(NAME);

        clock.advance(Duration.ofMinutes(5));
        assertServedStale(cache.lookup(NAME), 300);
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertServedStale(cache.lookup(NAME), 599);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.lookup(NAME)).isEqualTo(DOWN);
        // A stale answer is a stopgap: every lookup past the ttl still asks the inventory.
        assertThat(inventory.calls()).isEqualTo(4);
    }

    @Test
    void withNothingRememberedAnOutagePassesThrough() {
        inventory.answer(DOWN, FOUND_2);

        assertThat(cache.lookup(NAME)).isEqualTo(DOWN);
        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_2);
        assertThat(inventory.calls()).as("an Unavailable is never cached").isEqualTo(2);
    }

    @Test
    void aNotFoundReplacesAnOlderFoundAndIsNeverServedStale() {
        inventory.answer(FOUND_2, NOT_FOUND, DOWN);
        cache.lookup(NAME);
        clock.advance(Duration.ofSeconds(60));
        assertThat(cache.lookup(NAME)).isEqualTo(NOT_FOUND);

        clock.advance(Duration.ofSeconds(10));
        assertThat(cache.lookup(NAME)).as("neither the deleted connector nor the unconfirmed NotFound").isEqualTo(DOWN);
    }

    @Test
    void connectorsAreCachedApart() {
        String other = "projects/netra-staging/locations/us-central1/connectors/other";
        inventory.answer(FOUND_2, new ConnectorLookup.NotFound(other));

        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_2);
        assertThat(cache.lookup(other)).isEqualTo(new ConnectorLookup.NotFound(other));
        assertThat(cache.lookup(NAME)).isEqualTo(FOUND_2);
        assertThat(inventory.calls()).isEqualTo(2);
    }

    @Test
    void theBoundsAreChecked() {
        assertThatThrownBy(() -> new CachingInventory(inventory, clock, Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofSeconds(1))).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> new CachingInventory(inventory, clock, Duration.ofMinutes(2), Duration.ofMinutes(1),
                Duration.ofSeconds(1))).hasMessageContaining("maxStaleness must be >= ttl");
    }

    @Test
    void concurrentLookupsAllGetAnAnswerAndMostComeFromMemory() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch firstCallEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ConnectorInventory slow = name -> {
            calls.incrementAndGet();
            firstCallEntered.countDown();
            await(release);
            return FOUND_2;
        };
        CachingInventory shared = new CachingInventory(slow, clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<ConnectorLookup> first = pool.submit(() -> shared.lookup(NAME));
            assertThat(firstCallEntered.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(FOUND_2);

            List<Future<ConnectorLookup>> rest = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                rest.add(pool.submit(() -> shared.lookup(NAME)));
            }
            for (Future<ConnectorLookup> f : rest) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(FOUND_2);
            }
            assertThat(calls.get()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ConnectorLookup found(int running) {
        return new ConnectorLookup.Found(
                new Connector(NAME, MachineType.E2_MICRO, 2, 3, running, ConnectorState.READY));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An inventory that gives its scripted answers in order and counts how often it was asked. */
    private static final class Scripted implements ConnectorInventory {
        private final Deque<ConnectorLookup> answers = new ArrayDeque<>();
        private int calls;

        void answer(ConnectorLookup... script) {
            answers.addAll(List.of(script));
        }

        int calls() {
            return calls;
        }

        @Override
        public synchronized ConnectorLookup lookup(String connectorName) {
            calls++;
            ConnectorLookup next = answers.poll();
            if (next == null) {
                throw new AssertionError("asked once more than scripted");
            }
            return next;
        }
    }
}
