package org.flowstore.api.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

/**
 * The operations of a batch that the store accepted and that the device must now apply.
 *
 * @param batchId the id of the batch they came from
 * @param ops the operations, in order
 */
public record FlowRuleBatchRequest(long batchId, List<FlowRuleBatchEntry> ops) {

    /** Copies the operations. */
    public FlowRuleBatchRequest {
        ops = ImmutableList.copyOf(requireNonNull(ops, "ops"));
    }
}
