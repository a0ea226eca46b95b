package org.flowstore.api.store;

import org.flowstore.api.flow.FlowRuleBatchEvent;

/**
 * Receives the store's batch events: usually the flow-rule manager of the same node. REQUESTED
 * arrives on the device's master and asks for the operations to be pushed to the device;
 * COMPLETED arrives on the node that issued the batch.
 */
@FunctionalInterface
public interface FlowRuleStoreDelegate {

    /**
     * Handles a batch event. Called on a store thread: return quickly and do not block.
     *
     * @param event the event
     */
    void notify(FlowRuleBatchEvent event);
}
