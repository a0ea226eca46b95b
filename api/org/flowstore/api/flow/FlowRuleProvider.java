package org.flowstore.api.flow;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.flowstore.api.DeviceId;

/**
 * The southbound side of the flow-rule manager: programs devices. Called on a device's master only.
 */
public interface FlowRuleProvider {

    /**
     * Applies a batch of operations to a device's flow table.
     *
     * @param deviceId the device
     * @param operations ADD, MODIFY and REMOVE operations, in order
     * @return completes when the device acknowledged the batch: success, or the rules it refused;
     *         completes exceptionally only when the device cannot be reached
     */
    CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId, List<FlowRuleBatchEntry> operations);
}
