package org.flowstore.api.flow;

import static java.util.Objects.requireNonNull;

/**
 * A change to one stored rule, returned by the store's entry updates.
 *
 * @param type what happened
 * @param subject the rule, as an entry with its state and counters where the store has them
 */
public record FlowRuleEvent(Type type, FlowRule subject) {

    /** Kind of rule event. The order is part of the wire format: append only. */
    public enum Type {
        /** The rule was confirmed on its device. */
        RULE_ADDED,
        /** The rule was removed from the store. */
        RULE_REMOVED,
        /** The rule's counters or state changed. */
        RULE_UPDATED,
        /** The rule was stored and waits to be added. */
        RULE_ADD_REQUESTED,
        /** The rule was marked for removal. */
        RULE_REMOVE_REQUESTED
    }

    /** Checks both parts are present. */
    public FlowRuleEvent {
        requireNonNull(type, "type");
        requireNonNull(subject, "subject");
    }
}
