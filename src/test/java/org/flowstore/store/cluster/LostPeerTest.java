package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.testing.AtomixTestCluster;
import org.flowstore.testing.Conditions;

/**
 * A peer that is alive but silent (paused, or cut off: it answers no heartbeat), on real Atomix
 * nodes on 127.0.0.1: once it is lost, requests awaiting its answer fail at once with the reason
 * instead of at their timeout, and Atomix's membership counts it removed until it answers again; a node still hears a majority while one peer answers it, and knows
 * when it hears none (then it evicts nobody: it may be the one cut off).
 */
@Timeout(180)
class LostPeerTest {

    private static final NodeId N1 = NodeId.nodeId("n1");
    private static final NodeId N2 = NodeId.nodeId("n2");
    private static final NodeId N3 = NodeId.nodeId("n3");
    private static final MessageSubject NEVER_ANSWERED = new MessageSubject("lost-peer-test-never-answered");

    @Test
    void requestsToASilentPeerFailOnceItIsLostAndANodeKnowsWhenItHearsNoMajority() throws Exception {
        try (AtomixTestCluster c = AtomixTestCluster.start(3, List.of(DeviceId.deviceId("of:00000000000000a1")))) {
            AtomixTestCluster.Node n1 = c.node(N1);
            AtomixTestCluster.Node n2 = c.node(N2);
            AtomixTestCluster.Node n3 = c.node(N3);
            n3.messaging.addSubscriber(NEVER_ANSWERED, Function.identity(),
                    (sender, request) -> new CompletableFuture<byte[]>(), Function.identity(), Runnable::run);
            CompletableFuture<byte[]> pending = n1.messaging.sendAndReceive(new byte[] {1}, NEVER_ANSWERED,
                    Function.identity(), Function.identity(), N3, Duration.ofSeconds(120));
            assertTrue(n1.cluster.hearsMajority(), "n1 hears both peers");
            // Whether n1's Atomix membership still listed n3 when n1's listeners were told it was lost: read
            // then, since SWIM itself may take n3 back any time after (n3 answers its probes, and refutes a
            // suspicion of it by a busy peer with a higher incarnation, which every member then accepts).
            CompletableFuture<Member> inMembershipWhenLost = new CompletableFuture<>();
            n1.cluster.addLostPeerListener(lost -> {
                if (lost.node().equals(N3)) {
                    inMembershipWhenLost.complete(n1.cluster.atomix().getMembershipService().getMember(MemberId.from("n3")));
                }
            });

            // SWIM takes a member back when it refutes a suspicion (a busy machine's probes time out): seen by
            // n1 as n3 reachable again. Once n3 is silent, that may happen between its loss and the read above.
            AtomicBoolean takenBack = new AtomicBoolean();
            AtomicBoolean silent = new AtomicBoolean();
            n1.cluster.atomix().getMembershipService().addListener(event -> {
                if (silent.get() && event.type() == ClusterMembershipEvent.Type.REACHABILITY_CHANGED
                        && event.subject().id().equals(MemberId.from("n3")) && event.subject().isReachable()) {
                    takenBack.set(true);
                }
            });

            // n3 stops answering heartbeats, as a paused or cut-off process does; n1 loses it.
            silent.set(true);
            n3.cluster.atomix().getMessagingService().unregisterHandler(PeerHeartbeats.TYPE);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> pending.get(60, TimeUnit.SECONDS),
                    "the request fails once n3 is lost, long before its 120 s timeout");
            assertTrue(failed.getCause() instanceof IOException && failed.getCause().getMessage().contains("n3 was lost"),
                    "the reason names the lost peer: " + failed.getCause());
            assertFalse(n1.cluster.isActive(N3));
            assertTrue(n1.cluster.hearsMajority(), "n1 still hears n2: with itself, a majority");
            // Atomix's own membership counts it dead too (its failure detector would not: n3's probes are
            // answered), so Atomix sends nothing more to n3, its Raft clients included.
            Member atLoss = inMembershipWhenLost.get(10, TimeUnit.SECONDS);
            assertTrue(atLoss == null || takenBack.get(), "n3 is not in n1's Atomix membership once n1 lost it,"
                    + " unless SWIM took it back since (a refuted suspicion): " + atLoss);

            // n3 answers again: n1's membership takes it back (SWIM's refutation) and it counts as active.
            n3.cluster.atomix().getMessagingService().registerHandler(PeerHeartbeats.TYPE,
                    (address, payload) -> new byte[0], Runnable::run);
            Conditions.awaitTrue(Duration.ofSeconds(30), () -> n1.cluster.isActive(N3));
            n3.cluster.atomix().getMessagingService().unregisterHandler(PeerHeartbeats.TYPE);
            Conditions.awaitTrue(Duration.ofSeconds(30), () -> !n1.cluster.isActive(N3));

            // n2 goes silent too: n1 hears nobody, as a node cut off from the others.
            n2.cluster.atomix().getMessagingService().unregisterHandler(PeerHeartbeats.TYPE);
            Conditions.awaitTrue(Duration.ofSeconds(30), () -> !n1.cluster.hearsMajority());
        }
    }
}
