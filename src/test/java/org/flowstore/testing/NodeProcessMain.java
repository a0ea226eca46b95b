package org.flowstore.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.NodeStack;
import org.flowstore.store.cluster.AtomixMastership;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.cluster.DeviceInventory;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * One cluster node in its own JVM, for multi-process tests: the full stack with a flow store
 * whose delegate acts as an instant device, connected to devices 1..N. Prints {@code READY <id>}
 * once it serves, then runs until killed.
 *
 * <p>Arguments: {@code <id> <members id@host:port,...> <data dir> <devices> [property=value ...]}:
 * store properties, and {@code write=<device>:<first batch>}, which makes the node write
 * {@value #RULES_PER_BATCH}-rule batches to device {@code <device>} through its own store without
 * pause (at most 4 in flight), printing {@code ACK <batch>} for each acknowledged one.
 */
public final class NodeProcessMain {

    /** Rules in each batch the writer issues; batch b holds rules b*N .. b*N+N-1 of its device. */
    public static final int RULES_PER_BATCH = 20;

    private NodeProcessMain() {
    }

    /**
     * Returns the rules of one writer batch.
     *
     * @param device the device written to
     * @param batch the batch id
     * @return its rules
     */
    public static List<FlowRule> rules(DeviceId device, long batch) {
        return TestFlows.batchRules(device, batch, RULES_PER_BATCH);
    }

    /**
     * Reads {@code name=value} arguments from an index on.
     *
     * @param args the arguments
     * @param from the first one to read
     * @return the properties (mutable)
     */
    static Map<String, Object> properties(String[] args, int from) {
        Map<String, Object> properties = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            properties.put(kv[0], kv[1]);
        }
        return properties;
    }

    public static void main(String[] args) throws Exception {
        NodeId id = NodeId.nodeId(args[0]);
        ClusterSettings settings = ClusterSettings.of(id, ClusterMember.parseList(args[1]), Path.of(args[2]));
        int devices = Integer.parseInt(args[3]);
        Map<String, Object> properties = properties(args, 4);
        Object write = properties.remove("write");
        NodeStack stack = new NodeStack(settings);
        stack.start(properties);
        AtomixMastership mastership = stack.mastership();
        DeviceInventory inventory = stack.inventory();
        DistributedFlowRuleStore store = stack.store();
        Semaphore inFlight = new Semaphore(4);
        store.setDelegate(event -> {
            if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
                store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                        CompletedBatchOperation.succeeded(event.deviceId())));
            } else if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED) {
                System.out.println((event.result().success() ? "ACK " : "NACK ") + event.batchId());
                inFlight.release();
            }
        });
        for (int d = 1; d <= devices; d++) {
            inventory.deviceConnected(TestFlows.device(d)).get(60, TimeUnit.SECONDS);
        }
        System.out.println("READY " + id);
        System.out.flush();
        if (write != null) {
            String[] spec = write.toString().split(":");
            DeviceId device = TestFlows.device(Integer.parseInt(spec[0]));
            for (long batch = Long.parseLong(spec[1]); ; batch++) {
                inFlight.acquire();
                store.storeBatch(TestFlows.batch(batch, FlowRuleOperation.ADD, rules(device, batch)));
                Thread.sleep(5);
            }
        }
        new CountDownLatch(1).await();
    }
}
