package org.flowstore.api.flow;

/**
 * Life cycle of a stored flow entry. The order of the constants is part of the wire format:
 * add new states at the end only.
 */
public enum FlowEntryState {
    /** Stored, waiting for the device to confirm it. */
    PENDING_ADD,
    /** Confirmed present on the device. */
    ADDED,
    /** Marked for removal, waiting for the device to confirm. */
    PENDING_REMOVE,
    /** Removed from the device. */
    REMOVED,
    /** The device refused the rule. */
    FAILED
}
