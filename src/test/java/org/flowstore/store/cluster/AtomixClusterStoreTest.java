package org.flowstore.store.cluster;

import static org.flowstore.testing.AtomixTestCluster.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.testing.AtomixTestCluster;
import org.flowstore.testing.TestFlows;

/**
 * The store over real Atomix: three nodes on 127.0.0.1 in this JVM, nine devices every node is
 * connected to. One cluster serves every test of the class (start-up takes seconds); each test
 * uses its own rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtomixClusterStoreTest {

    private static final int DEVICES = 9;

    private AtomixTestCluster cluster;
    private final List<DeviceId> devices = new ArrayList<>();

    @BeforeAll
    void startCluster() throws Exception {
        for (int d = 1; d <= DEVICES; d++) {
            devices.add(TestFlows.device(d));
        }
        cluster = AtomixTestCluster.start(3, devices);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void applicationIdsAreTheSameOnEveryNodeAndDistinctPerName() {
        var nodes = cluster.nodes();
        ApplicationId first = nodes.get(0).applications.registerApplication("org.test.shared");
        assertEquals(first, nodes.get(1).applications.getAppId("org.test.shared").orElseThrow());
        assertEquals(first, nodes.get(2).applications.registerApplication("org.test.shared"), "registering again");
        ApplicationId other = nodes.get(2).applications.registerApplication("org.test.other");
        assertTrue(other.id() != first.id(), "another name, another id");
        assertEquals(other, nodes.get(0).applications.getAppId("org.test.other").orElseThrow());
        assertFalse(nodes.get(1).applications.getAppId("org.test.never").isPresent());
    }

    @Test
    void everyNodeSeesTheSameMastershipAndItIsSpread() {
        Map<NodeId, Integer> mastered = new HashMap<>();
        for (DeviceId d : devices) {
            MastershipInfo seenByN1 = cluster.nodes().get(0).mastership.getMastershipFor(d);
            for (AtomixTestCluster.Node n : cluster.nodes()) {
                assertEquals(seenByN1, n.mastership.getMastershipFor(d), "view of " + d + " on " + n.id);
            }
            mastered.merge(seenByN1.master().orElseThrow(), 1, Integer::sum);
            assertTrue(seenByN1.term() > 0);
        }
        assertEquals(3, mastered.size(), "every node masters some device: " + mastered);
    }

    @Test
    void batchesFromEveryNodeReachTheMasterAndCompleteOnTheIssuer() throws Exception {
        long batchId = 1000;
        int base = 0;
        Map<NodeId, Set<Long>> issued = new HashMap<>();
        for (AtomixTestCluster.Node issuer : cluster.nodes()) {
            for (DeviceId d : devices) {
                issuer.store.storeBatch(TestFlows.batch(++batchId, FlowRuleOperation.ADD,
                        TestFlows.rules(d, base, base + 20)));
                issued.computeIfAbsent(issuer.id, n -> new HashSet<>()).add(batchId);
            }
            base += 20;
        }
        for (AtomixTestCluster.Node issuer : cluster.nodes()) {
            Set<Long> mine = issued.get(issuer.id);
            awaitTrue(Duration.ofSeconds(30), () -> completions(issuer, mine).size() == mine.size());
            assertTrue(completions(issuer, mine).stream().allMatch(e -> e.result().success()),
                    "failures on " + issuer.id + ": " + issuer.events);
        }
        for (AtomixTestCluster.Node reader : cluster.nodes()) {
            for (DeviceId d : devices) {
                assertEquals(60, reader.store.getFlowEntries(d).size(), d + " read from " + reader.id);
                assertEquals(60, reader.store.getFlowRuleCount(d));
                assertEquals(TestFlows.rule(d, 45), reader.store.getFlowEntry(TestFlows.rule(d, 45)).rule());
            }
            assertEquals(60 * DEVICES, reader.store.getFlowRuleCount());
        }
    }

    @Test
    void aMasterCanHandItsDeviceToItsFirstStandby() throws Exception {
        DeviceId d = devices.get(DEVICES - 1);
        MastershipInfo before = cluster.nodes().get(0).mastership.getMastershipFor(d);
        NodeId master = before.master().orElseThrow();
        NodeId heir = before.backups().get(0);
        cluster.node(master).mastership.relinquishMastership(d).get();
        awaitTrue(Duration.ofSeconds(20), () -> cluster.nodes().stream()
                .allMatch(n -> n.mastership.getMastershipFor(d).isMaster(heir)));
        MastershipInfo after = cluster.node(heir).mastership.getMastershipFor(d);
        assertTrue(after.term() > before.term(), before + " -> " + after);
        assertTrue(after.backups().contains(master));
        assertFalse(after.backups().contains(heir));
    }

    private static List<FlowRuleBatchEvent> completions(AtomixTestCluster.Node node, Set<Long> batchIds) {
        return node.events.stream().filter(e -> e.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED
                && batchIds.contains(e.batchId())).toList();
    }
}
