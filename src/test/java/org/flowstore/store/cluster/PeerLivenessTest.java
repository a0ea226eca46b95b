package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.testing.TestPorts;

/**
 * A peer is reported dead only on proof: it was reached, its connection closed, and its port now
 * refuses connections. A peer never reached, or whose server only drops the connection, is not.
 */
class PeerLivenessTest {

    private static final NodeId LOCAL = NodeId.nodeId("n1");
    private static final NodeId PEER = NodeId.nodeId("n2");

    @Test
    void aPeerWhosePortClosesAfterItWasReachedIsReportedDeadOnce() throws Exception {
        int port = TestPorts.freePort();
        BlockingQueue<NodeId> deaths = new LinkedBlockingQueue<>();
        PeerLiveness liveness = new PeerLiveness(LOCAL, List.of(new ClusterMember(PEER, "127.0.0.1", port)), deaths::add);
        ServerSocket server = new ServerSocket(port, 5, InetAddress.getByName("127.0.0.1"));
        liveness.start();
        try {
            Socket accepted = server.accept();
            // The process dies: its kernel closes its connections and its listening port.
            server.close();
            accepted.close();
            assertEquals(PEER, deaths.poll(10, TimeUnit.SECONDS));
            assertEquals(null, deaths.poll(500, TimeUnit.MILLISECONDS), "reported once");
        } finally {
            liveness.stop();
            server.close();
        }
    }

    @Test
    void aPeerThatOnlyDropsTheConnectionOrWasNeverReachedIsNotReported() throws Exception {
        int dropping = TestPorts.freePort();
        int absent = TestPorts.freePort();
        BlockingQueue<NodeId> deaths = new LinkedBlockingQueue<>();
        PeerLiveness liveness = new PeerLiveness(LOCAL, List.of(new ClusterMember(PEER, "127.0.0.1", dropping),
                new ClusterMember(NodeId.nodeId("n3"), "127.0.0.1", absent)), deaths::add);
        try (ServerSocket server = new ServerSocket(dropping, 5, InetAddress.getByName("127.0.0.1"))) {
            liveness.start();
            for (int i = 0; i < 3; i++) {
                server.accept().close();
            }
            Socket again = server.accept();
            assertTrue(again.isConnected(), "it reconnected after each drop");
            assertEquals(null, deaths.poll(Duration.ofMillis(500).toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            liveness.stop();
        }
    }
}
