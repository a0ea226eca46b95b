package org.flowstore.api.flow;

/**
 * What a batch entry does to its rule. The order of the constants is part of the wire format:
 * append only.
 */
public enum FlowRuleOperation {
    /** Store the rule (replacing an equal one) as PENDING_ADD. */
    ADD,
    /** Replace the treatment and options of an existing rule, keeping its counters. */
    MODIFY,
    /** Mark the rule PENDING_REMOVE. */
    REMOVE
}
