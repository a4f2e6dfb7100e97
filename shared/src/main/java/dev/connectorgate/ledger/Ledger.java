package dev.connectorgate.ledger;

import java.util.function.Function;

/**
 * Port: the gate's durable state (reservations, decisions, waiting requests, incidents), changed only in transactions.
 *
 * <p>Any number of function instances decide at once; the ledger is what stops them overbooking a connector. Work
 * follows Firestore's rule: every read before the first write. Implementations may run the work more than once when
 * a transaction conflicts, so work must not act on the world (no publishing) — it returns what to do instead.
 */
public interface Ledger {
    <T> T inTransaction(Function<LedgerTransaction, T> work);
}
