package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.testing.Conditions;
import org.flowstore.testing.TestPorts;

/** A node that cannot join says why: a taken port at once, a missing majority after the start timeout. */
class AtomixClusterJoinTest {

    @TempDir
    Path data;

    @Test
    void aTakenPortFailsTheStartNamingTheAddress() throws Exception {
        int port = TestPorts.freePort();
        ClusterMember n1 = new ClusterMember(NodeId.nodeId("n1"), "127.0.0.1", port);
        AtomixCluster node = new AtomixCluster(settings(n1.id(), List.of(n1), Duration.ofSeconds(60)));
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertTrue(taken.isBound());
            IllegalStateException e = assertThrows(IllegalStateException.class, node::start);
            assertTrue(e.getMessage().contains("n1 at 127.0.0.1:" + port) && e.getMessage().contains("in use"),
                    e.getMessage());
        }
        assertFalse(node.isRunning());
    }

    @Test
    void withoutAMajorityTheStartGivesUpAfterItsTimeoutNamingThePeersItReached() {
        List<ClusterMember> members = List.of(
                new ClusterMember(NodeId.nodeId("n1"), "127.0.0.1", TestPorts.freePort()),
                new ClusterMember(NodeId.nodeId("n2"), "127.0.0.1", TestPorts.freePort()),
                new ClusterMember(NodeId.nodeId("n3"), "127.0.0.1", TestPorts.freePort()));
        AtomixCluster alone = new AtomixCluster(settings(NodeId.nodeId("n1"), members, Duration.ofSeconds(3)));
        IllegalStateException e = assertThrows(IllegalStateException.class, alone::start);
        assertTrue(e.getMessage().contains("n1 did not join the cluster") && e.getMessage().contains("within 3 s")
                && e.getMessage().contains("peers it reached: []"), e.getMessage());
        assertFalse(alone.isRunning());
    }

    @Test
    void everyRaftServerOfTheNodeTakesTheConfiguredElectionTimeout() throws Exception {
        ClusterMember n1 = new ClusterMember(NodeId.nodeId("n1"), "127.0.0.1", TestPorts.freePort());
        Duration timeout = Duration.ofMillis(700);
        AtomixCluster node = new AtomixCluster(new ClusterSettings(n1.id(), List.of(n1), data.resolve("n1"),
                ClusterSettings.DEFAULT_PROBE_INTERVAL, ClusterSettings.DEFAULT_PROBE_TIMEOUT,
                ClusterSettings.DEFAULT_SUSPECT_PROBES, ClusterSettings.DEFAULT_FAILURE_TIMEOUT, Duration.ofSeconds(60),
                timeout));
        node.start();
        try {
            // The system partition and the data group's one partition; set on each server's own thread.
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> node.raftElectionTimeouts().size() == 2
                    && node.raftElectionTimeouts().stream().allMatch(timeout::equals));
        } finally {
            node.stop();
        }
    }

    private ClusterSettings settings(NodeId id, List<ClusterMember> members, Duration startTimeout) {
        return new ClusterSettings(id, members, data.resolve(id.id()), ClusterSettings.DEFAULT_PROBE_INTERVAL,
                ClusterSettings.DEFAULT_PROBE_TIMEOUT, ClusterSettings.DEFAULT_SUSPECT_PROBES, ClusterSettings.DEFAULT_FAILURE_TIMEOUT, startTimeout,
                ClusterSettings.DEFAULT_RAFT_ELECTION_TIMEOUT);
    }
}
