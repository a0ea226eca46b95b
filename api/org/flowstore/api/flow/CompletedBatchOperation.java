package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;

/**
 * Outcome of a batch: success, or the rules that failed, what kind of failure it was and why.
 *
 * @param success true when every operation succeeded
 * @param failedItems the rules that failed (empty on success)
 * @param deviceId the batch's device
 * @param failure what kind of failure, for code to act on; {@link Failure#NONE} exactly on success
 * @param reason why the rules failed, for people; empty on success
 */
public record CompletedBatchOperation(boolean success, List<FlowRule> failedItems, DeviceId deviceId,
                                      Failure failure, String reason) {

    /** What kind of failure failed a batch's rules: what a caller does next depends on it. */
    public enum Failure {
        /** Nothing failed. */
        NONE,
        /** The device refused the rules or did not answer: the store holds them as FAILED or pending. */
        DEVICE,
        /** No master took the batch (none elected, or the device is unknown): nothing was applied; try again once it has one. */
        NO_MASTER,
        /** The store refused or could not confirm the batch (too few replicas, cut off, master unreachable); the reason says whether it may have been applied. */
        STORE,
        /** The batch itself is wrong (too large, its id already in flight): sending it again fails again. */
        INVALID,
        /**
         * The store had no room for the batch (too many flows already waiting for their masters, or a
         * node at its memory bound): nothing was applied; the reason names the node and the bound; try
         * again later.
         */
        OVERLOADED
    }

    /** Copies the failed rules and checks that a failure says what kind it is and why. */
    public CompletedBatchOperation {
        requireNonNull(deviceId, "deviceId");
        failedItems = ImmutableList.copyOf(requireNonNull(failedItems, "failedItems"));
        requireNonNull(failure, "failure");
        requireNonNull(reason, "reason");
        checkArgument(success == (failure == Failure.NONE), "a %s batch of %s has failure %s",
                success ? "successful" : "failed", deviceId, failure);
        checkArgument(success || !reason.isEmpty(), "a failed batch of %s needs a reason", deviceId);
    }

    /**
     * Creates an outcome of the 1.0 form, without a kind: a failure counts as the device's.
     *
     * @param success true when every operation succeeded
     * @param failedItems the rules that failed (empty on success)
     * @param deviceId the batch's device
     * @param reason why the rules failed; empty on success
     */
    public CompletedBatchOperation(boolean success, List<FlowRule> failedItems, DeviceId deviceId, String reason) {
        this(success, failedItems, deviceId, success ? Failure.NONE : Failure.DEVICE, reason);
    }

    /**
     * Returns a successful outcome.
     *
     * @param deviceId the batch's device
     * @return the outcome
     */
    public static CompletedBatchOperation succeeded(DeviceId deviceId) {
        return new CompletedBatchOperation(true, List.of(), deviceId, Failure.NONE, "");
    }

    /**
     * Returns the outcome in which the device failed the given rules.
     *
     * @param deviceId the batch's device
     * @param failedItems the rules that failed
     * @param reason why, in words an operator can act on
     * @return the outcome
     */
    public static CompletedBatchOperation failed(DeviceId deviceId, Collection<? extends FlowRule> failedItems,
                                                 String reason) {
        return new CompletedBatchOperation(false, ImmutableList.copyOf(failedItems), deviceId, Failure.DEVICE, reason);
    }

    /**
     * Returns the outcome in which the device failed every rule of a batch.
     *
     * @param batch the batch
     * @param reason why, in words an operator can act on
     * @return the outcome
     */
    public static CompletedBatchOperation allFailed(FlowRuleBatchOperation batch, String reason) {
        return allFailed(batch, Failure.DEVICE, reason);
    }

    /**
     * Returns the outcome in which every rule of a batch failed, for the given kind of reason.
     *
     * @param batch the batch
     * @param failure what kind of failure (not {@link Failure#NONE})
     * @param reason why, in words an operator can act on
     * @return the outcome
     */
    public static CompletedBatchOperation allFailed(FlowRuleBatchOperation batch, Failure failure, String reason) {
        return new CompletedBatchOperation(false, batch.operations().stream().map(FlowRuleBatchEntry::target).toList(),
                batch.deviceId(), failure, reason);
    }
}
