package org.flowstore.api.flow;

import static java.util.Objects.requireNonNull;

/**
 * One operation of a batch: what to do and to which rule.
 *
 * @param operator the operation
 * @param target the rule it applies to
 */
public record FlowRuleBatchEntry(FlowRuleOperation operator, FlowRule target) {

    /** Checks both parts are present. */
    public FlowRuleBatchEntry {
        requireNonNull(operator, "operator");
        requireNonNull(target, "target");
    }
}
