package org.flowstore.api.flow;

/**
 * How often a flow entry's statistics are polled, as in ONOS. The order of the constants is part
 * of the wire format: append only.
 */
public enum FlowLiveType {
    /** Statistics pushed immediately. */
    IMMEDIATE,
    /** Polled at a short interval. */
    SHORT,
    /** Polled at a medium interval. */
    MID,
    /** Polled at a long interval. */
    LONG,
    /** Unknown polling. */
    UNKNOWN
}
