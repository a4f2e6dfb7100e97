package dev.connectorgate.decision;

/** The five answers the gate gives a deployment request, as the contract defines them. */
public enum Verdict {
    /** The dependency-only earliest plan fits: nothing is delayed. */
    ALLOW,
    /** The earliest plan does not fit but a staggered one does, within the deadline. */
    STAGGER,
    /** No decision yet: a reason whose end is not known in advance (incident, connector updating, inputs down). */
    WAIT,
    /** No plan can fit within the deadline; reasons and remedies say what would. */
    BLOCK,
    /** The request itself is invalid. */
    REJECT;

    /** True for the verdicts that admit a plan and reserve capacity. */
    public boolean admits() {
        return this == ALLOW || this == STAGGER;
    }

    /** True when a later message with the same requestId is decided afresh (contract: after BLOCK or REJECT). */
    public boolean decidesAfresh() {
        return this == BLOCK || this == REJECT;
    }
}
