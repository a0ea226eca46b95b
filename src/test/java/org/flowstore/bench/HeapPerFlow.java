package org.flowstore.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.testing.SingleNodeCluster;
import org.flowstore.testing.TestFlows;

/**
 * Heap retained per stored flow, rule included: the live heap after full collections, with the
 * design-target table (100 devices x 10,000 flows) stored, minus the live heap of the same store
 * empty. The rules are built, handed to the store and dropped, as a caller would.
 * Prints {@code metric=heap_per_flow value=N unit=bytes}. Run: {@code tools/bench-store}.
 */
public final class HeapPerFlow {

    private HeapPerFlow() {
    }

    public static void main(String[] args) throws InterruptedException {
        int devices = StoreBenchmark.DEVICES;
        int flowsPerDevice = StoreBenchmark.FLOWS_PER_DEVICE;
        Set<DeviceId> deviceIds = new HashSet<>();
        for (int d = 1; d <= devices; d++) {
            deviceIds.add(TestFlows.device(d));
        }
        DistributedFlowRuleStore store = StoreBenchmark.acknowledgingStore(
                new SingleNodeCluster(NodeId.nodeId("heap"), deviceIds));
        long empty = liveHeap();
        long batchId = 0;
        for (int d = 1; d <= devices; d++) {
            DeviceId device = TestFlows.device(d);
            for (int first = 0; first < flowsPerDevice; first += StoreBenchmark.BATCH_SIZE) {
                List<FlowRuleBatchEntry> ops = new ArrayList<>(StoreBenchmark.BATCH_SIZE);
                for (int i = first; i < first + StoreBenchmark.BATCH_SIZE; i++) {
                    ops.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, TestFlows.rule(device, i)));
                }
                store.storeBatch(new FlowRuleBatchOperation(ops, device, ++batchId));
            }
        }
        long full = liveHeap();
        long flows = store.getFlowRuleCount();
        System.out.printf("metric=heap_per_flow value=%.1f unit=bytes%n", (full - empty) / (double) flows);
        System.out.printf("metric=stored_flows value=%d unit=flows%n", flows);
        store.deactivate();
    }

    private static long liveHeap() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long used = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
