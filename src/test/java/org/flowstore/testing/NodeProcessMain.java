package org.flowstore.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.flowstore.api.NodeId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.store.cluster.AtomixCluster;
import org.flowstore.store.cluster.AtomixMastership;
import org.flowstore.store.cluster.AtomixMessaging;
import org.flowstore.store.cluster.ClusterMember;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.cluster.DeviceInventory;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * One cluster node in its own JVM, for multi-process tests: the full stack with a flow store
 * whose delegate acts as an instant device, connected to devices 1..N. Prints {@code READY <id>}
 * once it serves, then runs until killed.
 *
 * <p>Arguments: {@code <id> <members id@host:port,...> <data dir> <devices> [store property=value ...]}.
 */
public final class NodeProcessMain {

    private NodeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        NodeId id = NodeId.nodeId(args[0]);
        ClusterSettings settings = ClusterSettings.of(id, ClusterMember.parseList(args[1]), Path.of(args[2]));
        int devices = Integer.parseInt(args[3]);
        Map<String, Object> properties = new java.util.HashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            properties.put(kv[0], kv[1]);
        }
        AtomixCluster cluster = new AtomixCluster(settings);
        cluster.start();
        AtomixMastership mastership = new AtomixMastership(cluster);
        mastership.start();
        DeviceInventory inventory = new DeviceInventory(mastership);
        DistributedFlowRuleStore store = new DistributedFlowRuleStore(cluster, new AtomixMessaging(cluster), mastership,
                mastership, inventory);
        store.activate(properties);
        store.setDelegate(event -> {
            if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
                store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                        CompletedBatchOperation.succeeded(event.deviceId())));
            }
        });
        for (int d = 1; d <= devices; d++) {
            inventory.connect(TestFlows.device(d)).join();
        }
        System.out.println("READY " + id);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
