package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * A batch event raised by the store to its delegate: the batch was accepted and must be pushed to
 * the device (REQUESTED, raised on the device's master), or it is finished (COMPLETED, raised on
 * the node that issued it).
 *
 * @param type what happened
 * @param subject the batch's operations (for COMPLETED, possibly empty)
 * @param deviceId the batch's device
 * @param result the outcome; present exactly for COMPLETED
 */
public record FlowRuleBatchEvent(Type type, FlowRuleBatchRequest subject, DeviceId deviceId,
                                 CompletedBatchOperation result) {

    /** Kind of batch event. The order is part of the wire format: append only. */
    public enum Type {
        /** The store accepted the batch; the device must apply its operations. */
        BATCH_OPERATION_REQUESTED,
        /** The batch is finished; {@link #result()} says how. */
        BATCH_OPERATION_COMPLETED
    }

    /** Checks the parts and that a result is present exactly for COMPLETED. */
    public FlowRuleBatchEvent {
        requireNonNull(type, "type");
        requireNonNull(subject, "subject");
        requireNonNull(deviceId, "deviceId");
        checkArgument((type == Type.BATCH_OPERATION_COMPLETED) == (result != null),
                "a %s event %s a result", type, result == null ? "needs" : "cannot have");
        checkArgument(result == null || result.deviceId().equals(deviceId), "result is for another device");
    }

    /**
     * Returns the event asking for a batch to be pushed to its device.
     *
     * @param request the accepted operations
     * @param deviceId the device
     * @return the event
     */
    public static FlowRuleBatchEvent requested(FlowRuleBatchRequest request, DeviceId deviceId) {
        return new FlowRuleBatchEvent(Type.BATCH_OPERATION_REQUESTED, request, deviceId, null);
    }

    /**
     * Returns the event saying a batch is finished.
     *
     * @param request the batch's operations
     * @param result the outcome
     * @return the event
     */
    public static FlowRuleBatchEvent completed(FlowRuleBatchRequest request, CompletedBatchOperation result) {
        return new FlowRuleBatchEvent(Type.BATCH_OPERATION_COMPLETED, request, result.deviceId(), result);
    }

    /** Returns the id of the batch this event is about. */
    public long batchId() {
        return subject.batchId();
    }
}
