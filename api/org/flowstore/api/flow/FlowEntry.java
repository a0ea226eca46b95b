package org.flowstore.api.flow;

/**
 * A flow rule as the store holds it: the rule plus its state and the counters its device reports.
 * A {@code FlowEntry} is a {@link FlowRule} (its rule's accessors answer for it).
 */
public interface FlowEntry extends FlowRule {

    /** Returns the rule this entry holds. */
    FlowRule rule();

    /** Returns the entry's state. */
    FlowEntryState state();

    /** Returns how long the rule has been on the device, in seconds. */
    long life();

    /** Returns packets matched, as last reported by the device. */
    long packets();

    /** Returns bytes matched, as last reported by the device. */
    long bytes();

    /**
     * Returns when the device last reported the entry, in milliseconds since the epoch; for an
     * entry added and not reported since (PENDING_ADD), when its master applied the addition
     * (0: never).
     */
    long lastSeen();

    /** Returns how the entry's statistics are polled. */
    FlowLiveType liveType();
}
