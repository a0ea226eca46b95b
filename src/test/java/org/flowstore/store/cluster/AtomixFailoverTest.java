package org.flowstore.store.cluster;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.testing.AtomixTestCluster;
import org.flowstore.testing.TestFlows;

/**
 * Mastership changes over real Atomix in one JVM: what a new master serves after its
 * predecessor crashed or handed the device over. (Killing separate processes with SIGKILL is the
 * job of the multi-process test.)
 */
class AtomixFailoverTest {

    private AtomixTestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aCrashedMastersDevicesAreSharedAmongTheSurvivors() throws Exception {
        List<DeviceId> devices = IntStream.rangeClosed(1, 9).mapToObj(TestFlows::device).toList();
        cluster = AtomixTestCluster.start(3, devices);
        AtomixMastership observer = cluster.nodes().get(0).mastership;
        // Started and balanced: each device's preferred master leads, its preferred standby is first in line.
        for (DeviceId d : devices) {
            MastershipInfo info = observer.getMastershipFor(d);
            assertTrue(info.isMaster(observer.preferredMaster(d)), d + ": " + info);
            assertEquals(observer.preferredStandby(d).orElseThrow(), info.backups().get(0), d + ": " + info);
        }
        NodeId victim = cluster.nodes().get(2).id;
        List<DeviceId> victimDevices = devices.stream().filter(d -> observer.getMastershipFor(d).isMaster(victim)).toList();
        // Hash and election layout spread 9 devices about evenly; the victim masters some of each kind.
        assertTrue(victimDevices.size() >= 2, "9 devices over 3 nodes; " + victim + " masters " + victimDevices);

        cluster.node(victim).crash();
        awaitTrue(Duration.ofSeconds(30), () -> victimDevices.stream().allMatch(d -> observer.getMastershipFor(d)
                .master().filter(m -> !m.equals(victim)).isPresent()));
        Map<NodeId, Long> heirs = victimDevices.stream().collect(Collectors.groupingBy(
                d -> observer.getMastershipFor(d).master().orElseThrow(), Collectors.counting()));
        assertEquals(2, heirs.size(), "the devices of " + victim + " went to both survivors: " + heirs);
    }
}
