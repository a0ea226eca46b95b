package org.flowstore.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreDelegate;

/**
 * A store's delegate that acts as every device of its node, answering at once: it completes every
 * REQUESTED batch successfully and records every event, with the time each batch completed.
 */
public final class InstantDevice implements FlowRuleStoreDelegate {

    private final FlowRuleStore store;
    final List<FlowRuleBatchEvent> events = new CopyOnWriteArrayList<>();
    final Map<Long, Long> completedAtNanos = new ConcurrentHashMap<>();

    public InstantDevice(FlowRuleStore store) {
        this.store = store;
    }

    @Override
    public void notify(FlowRuleBatchEvent event) {
        // The time first: a reader that sees the event must find its time too.
        if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED) {
            completedAtNanos.put(event.batchId(), System.nanoTime());
        }
        events.add(event);
        if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
            store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                    CompletedBatchOperation.succeeded(event.deviceId())));
        }
    }
}
