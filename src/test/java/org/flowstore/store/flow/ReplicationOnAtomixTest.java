package org.flowstore.store.flow;

import static org.flowstore.testing.AtomixTestCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.testing.AtomixTestCluster;
import org.flowstore.testing.TestFlows;

/**
 * Replication over real Atomix in one JVM, looking at each node's own copy of a table: large
 * tables move in chunks to a new standby, and anti-entropy repairs a copy that diverged.
 */
class ReplicationOnAtomixTest {

    private static final DeviceId DEVICE = TestFlows.device(1);

    private AtomixTestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aHundredThousandFlowTableMovesInChunksToANewStandbyAndSurvivesAHandOff() throws Exception {
        cluster = AtomixTestCluster.start(3, List.of(DEVICE));
        MastershipInfo info = cluster.nodes().get(0).mastership.getMastershipFor(DEVICE);
        AtomixTestCluster.Node master = cluster.node(info.master().orElseThrow());
        NodeId firstStandby = info.backups().get(0);
        NodeId secondStandby = info.backups().get(1);

        int flows = 100_000;
        int batchSize = 5_000;
        for (int b = 0; b < flows / batchSize; b++) {
            master.store.storeBatch(TestFlows.batch(b + 1, FlowRuleOperation.ADD,
                    TestFlows.rules(DEVICE, b * batchSize, (b + 1) * batchSize)));
        }
        awaitTrue(Duration.ofSeconds(60), () -> completed(master) == flows / batchSize);
        awaitTrue(Duration.ofSeconds(30), () -> copySize(cluster.node(firstStandby)) == flows);
        assertEquals(0, copySize(cluster.node(secondStandby)), "backupCount 1: only the first standby holds a copy");

        cluster.node(firstStandby).crash();
        AtomixTestCluster.Node heir = cluster.node(secondStandby);
        try {
            awaitTrue(Duration.ofSeconds(60), () -> copySize(heir) == flows
                    && heir.store.localCopy(DEVICE).version().equals(master.store.localCopy(DEVICE).version()));
        } catch (AssertionError e) {
            throw new AssertionError("heir " + heir.id + " holds " + copySize(heir) + " at "
                    + (heir.store.localCopy(DEVICE) == null ? "-" : heir.store.localCopy(DEVICE).version())
                    + "; master at " + master.store.localCopy(DEVICE).version() + "; views: master "
                    + master.mastership.getMastershipFor(DEVICE) + ", heir " + heir.mastership.getMastershipFor(DEVICE), e);
        }

        master.mastership.relinquishMastership(DEVICE).get();
        awaitTrue(Duration.ofSeconds(30), () -> heir.mastership.getMastershipFor(DEVICE).isMaster(heir.id));
        assertEquals(flows, heir.store.getFlowRuleCount(DEVICE));
        List<FlowEntry> entries = master.store.getFlowEntries(DEVICE);
        assertEquals(flows, entries.size(), "read from the old master, answered by the new one");
    }

    @Test
    void antiEntropyRepairsOnlyTheBucketsThatDiffer() throws Exception {
        cluster = AtomixTestCluster.start(3, List.of(DEVICE));
        MastershipInfo info = cluster.nodes().get(0).mastership.getMastershipFor(DEVICE);
        AtomixTestCluster.Node master = cluster.node(info.master().orElseThrow());
        AtomixTestCluster.Node standby = cluster.node(info.backups().get(0));
        master.store.storeBatch(TestFlows.batch(1, FlowRuleOperation.ADD, TestFlows.rules(DEVICE, 0, 2000)));
        awaitTrue(Duration.ofSeconds(20), () -> copySize(standby) == 2000);

        // Corrupt the standby's copy behind the protocol's back: same version, ten entries gone.
        DeviceFlowTable copy = standby.store.localCopy(DEVICE);
        List<FlowEntry> kept = copy.entries().subList(10, 2000);
        copy.install(copy.version(), kept, List.of());
        assertEquals(1990, copy.count());
        long[] corrupted = copy.digests();

        master.store.modified(Map.of("antiEntropyPeriod", 200));
        awaitTrue(Duration.ofSeconds(20), () -> copySize(standby) == 2000);
        assertTrue(Arrays.equals(master.store.localCopy(DEVICE).digests(), standby.store.localCopy(DEVICE).digests()));
        int repaired = 0;
        for (int i = 0; i < corrupted.length; i++) {
            if (corrupted[i] != standby.store.localCopy(DEVICE).digests()[i]) {
                repaired++;
            }
        }
        assertTrue(repaired > 0 && repaired <= 10, "repaired " + repaired + " buckets");
    }

    private static int copySize(AtomixTestCluster.Node node) {
        DeviceFlowTable copy = node.store.localCopy(DEVICE);
        return copy == null ? 0 : copy.count();
    }

    private static long completed(AtomixTestCluster.Node node) {
        return node.events.stream().filter(e -> e.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED).count();
    }
}
