package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;

/**
 * Outcome of a batch: success, or the rules that failed and why.
 *
 * @param success true when every operation succeeded
 * @param failedItems the rules that failed (empty on success)
 * @param deviceId the batch's device
 * @param reason why the rules failed; empty on success
 */
public record CompletedBatchOperation(boolean success, List<FlowRule> failedItems, DeviceId deviceId, String reason) {

    /** Copies the failed rules and checks that a failure says why. */
    public CompletedBatchOperation {
        requireNonNull(deviceId, "deviceId");
        failedItems = ImmutableList.copyOf(requireNonNull(failedItems, "failedItems"));
        requireNonNull(reason, "reason");
        checkArgument(success || !reason.isEmpty(), "a failed batch of %s needs a reason", deviceId);
    }

    /**
     * Returns a successful outcome.
     *
     * @param deviceId the batch's device
     * @return the outcome
     */
    public static CompletedBatchOperation succeeded(DeviceId deviceId) {
        return new CompletedBatchOperation(true, List.of(), deviceId, "");
    }

    /**
     * Returns the outcome in which the given rules failed.
     *
     * @param deviceId the batch's device
     * @param failedItems the rules that failed
     * @param reason why, in words an operator can act on
     * @return the outcome
     */
    public static CompletedBatchOperation failed(DeviceId deviceId, Collection<? extends FlowRule> failedItems,
                                                 String reason) {
        return new CompletedBatchOperation(false, ImmutableList.copyOf(failedItems), deviceId, reason);
    }

    /**
     * Returns the outcome in which every rule of a batch failed.
     *
     * @param batch the batch
     * @param reason why, in words an operator can act on
     * @return the outcome
     */
    public static CompletedBatchOperation allFailed(FlowRuleBatchOperation batch, String reason) {
        return failed(batch.deviceId(), batch.operations().stream().map(FlowRuleBatchEntry::target).toList(), reason);
    }
}
