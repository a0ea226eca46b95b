package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import io.atomix.cluster.messaging.MessagingConfig;
import io.atomix.cluster.messaging.impl.NettyMessagingService;
import io.atomix.utils.net.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.testing.Conditions;
import org.flowstore.testing.TestPorts;

/**
 * Heartbeats over real Atomix messaging on 127.0.0.1: a peer that stops answering is found
 * unresponsive once after the failure timeout (and has answered nothing recently), and responsive
 * again as soon as it answers; a peer that answers is never reported.
 */
@Timeout(60)
class PeerHeartbeatsTest {

    private static final NodeId N1 = NodeId.nodeId("n1");
    private static final NodeId N2 = NodeId.nodeId("n2");

    @Test
    void aPeerThatStopsAnsweringIsUnresponsiveUntilItAnswersAgain() throws Exception {
        int port1 = TestPorts.freePort();
        int port2 = TestPorts.freePort();
        NettyMessagingService m1 = messaging(port1);
        NettyMessagingService m2 = messaging(port2);
        BlockingQueue<NodeId> lost1 = new LinkedBlockingQueue<>();
        BlockingQueue<NodeId> lost2 = new LinkedBlockingQueue<>();
        Duration interval = Duration.ofMillis(50);
        Duration failure = Duration.ofMillis(500);
        PeerHeartbeats h1 = new PeerHeartbeats(N1, m1, List.of(new ClusterMember(N2, "127.0.0.1", port2)), interval,
                Duration.ofMillis(200), failure, lost1::add, n -> { });
        PeerHeartbeats h2 = new PeerHeartbeats(N2, m2, List.of(new ClusterMember(N1, "127.0.0.1", port1)), interval,
                Duration.ofMillis(200), failure, lost2::add, n -> { });
        h1.start();
        h2.start();
        try {
            // Both answer: nobody is reported, for several failure timeouts.
            assertNull(lost1.poll(3 * failure.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(h1.isResponsive(N2));
            assertTrue(h1.answeredWithin(N2, failure), "answered within the failure timeout");

            // n2 stops answering (as a paused process does): n1 finds it unresponsive, once.
            m2.unregisterHandler(PeerHeartbeats.TYPE);
            assertEquals(N2, lost1.poll(10, TimeUnit.SECONDS));
            assertTrue(!h1.isResponsive(N2));
            assertFalse(h1.answeredWithin(N2, failure), "no answer within the failure timeout");
            assertNull(lost1.poll(3 * failure.toMillis(), TimeUnit.MILLISECONDS), "reported once per lapse");

            // n2 answers again: responsive at once.
            m2.registerHandler(PeerHeartbeats.TYPE, (BiFunction<Address, byte[], byte[]>) (from, bytes) -> new byte[0],
                    Runnable::run);
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> h1.isResponsive(N2));
            assertTrue(lost2.isEmpty(), "n1 answered all along: n2 never found it unresponsive");
        } finally {
            h1.stop();
            h2.stop();
            m1.stop().get(10, TimeUnit.SECONDS);
            m2.stop().get(10, TimeUnit.SECONDS);
        }
    }

    private static NettyMessagingService messaging(int port) throws Exception {
        NettyMessagingService m = new NettyMessagingService("heartbeats-test", Address.from("127.0.0.1", port),
                new MessagingConfig());
        m.start().get(10, TimeUnit.SECONDS);
        return m;
    }
}
