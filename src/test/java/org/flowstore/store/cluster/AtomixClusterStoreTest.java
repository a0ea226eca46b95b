package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
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
}
