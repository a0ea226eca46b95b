package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;

/**
 * A batch of rule operations for one device, as handed to
 * {@link org.flowstore.api.store.FlowRuleStore#storeBatch}.
 *
 * @param operations the operations, in order; every target is a rule of {@code deviceId}
 * @param deviceId the device all rules belong to
 * @param id the batch id, unique among the device's batches in flight; it identifies the batch's
 *           completion event
 */
public record FlowRuleBatchOperation(List<FlowRuleBatchEntry> operations, DeviceId deviceId, long id) {

    /** Copies the operations and checks that every rule belongs to the batch's device. */
    public FlowRuleBatchOperation {
        requireNonNull(deviceId, "deviceId");
        operations = ImmutableList.copyOf(requireNonNull(operations, "operations"));
        for (FlowRuleBatchEntry op : operations) {
            checkArgument(op.target().deviceId().equals(deviceId),
                    "batch %s for device %s holds a rule of device %s", id, deviceId, op.target().deviceId());
        }
    }

    /** Returns the number of operations. */
    public int size() {
        return operations.size();
    }
}
