package org.flowstore.store.cluster;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import io.atomix.cluster.MemberId;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.core.Atomix;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomix's own layers, told when this node lost a peer: its SWIM membership marks the peer dead
 * ({@link #markDead}), and the requests it awaits from the peer fail ({@link #failAwaited}).
 *
 * <p>Atomix's failure detector never suspects a paused process (its probes wait for a handshake
 * the kernel completes), and suspects a cut-off one only after its own timeouts. Meanwhile Atomix
 * keeps sending to the peer: above all its Raft clients, which stay with the member they last
 * reached until a request to it fails, so a request to a paused or cut-off former Raft leader
 * waits out Atomix's 5 s messaging timeout before the client tries the new leader (measured:
 * stop and cut failovers of 5.5 to 6.2 s). Once this node's own detectors have lost the peer
 * ({@link PeerLiveness}, {@link PeerHeartbeats}), the peer is marked dead here, as SWIM marks a
 * member whose probes failed: Atomix's messaging then fails every new request to it at once (a
 * {@code ConnectException}, on which its Raft clients go to the next member). Atomix's own
 * membership listeners are not told: its Raft followers would all stand for election at once on
 * hearing their leader removed and split the votes (seen in chaos runs: kill failovers of 1.2 to
 * 2.3 s instead of 0.2 to 0.6 s); the dead leader's successors stand one at a time instead
 * ({@link RaftServers#standForDeadLeader}). Requests already waiting for the peer's answer (a Raft
 * client's keep-alive, say, which carries its acknowledgements of the elections' events: a new
 * master learned of its election 4.5 s late in a chaos round) are failed the same way. The
 * connections to the peer stay open: a message sent to it before the loss (a batch's
 * completion, say) still arrives if the link heals, where closing them lost it (seen in
 * PartitionTest: the issuer then waited for its timeout, a minute).
 *
 * <p>Only this node's view changes: nothing is gossiped. It is undone when the peer answers this
 * node's heartbeats again ({@link #markAlive}), or by SWIM itself: it probes dead members, and a
 * member that learns it is thought dead refutes it with a higher incarnation, upon which it is
 * added back (as after a healed cut).
 *
 * <p>The membership's state is reached through private fields and package-private methods of
 * Atomix 3.1.12's {@link SwimMembershipProtocol} ({@code members}, {@code randomMembers},
 * {@code swimScheduler}, {@code SwimMember.setState}) and of its messaging
 * ({@code NettyMessagingService.connections}, {@code AbstractClientConnection.callbacks}, a
 * callback's {@code type} and {@code completeExceptionally}); with another Atomix, the methods
 * throw, and requests to a lost peer wait for their timeout as before. The membership is changed
 * on SWIM's own thread.
 */
final class AtomixLostPeers {

    private static final Logger log = LoggerFactory.getLogger(AtomixLostPeers.class);

    private AtomixLostPeers() {
    }

    /**
     * Marks a peer dead in this node's SWIM membership, unless it is dead there already.
     *
     * @param atomix a started node
     * @param peer the peer this node lost
     * @return completed once SWIM's thread has made the change
     * @throws IllegalStateException if Atomix's membership cannot be reached (not Atomix 3.1.12)
     */
    static CompletableFuture<Void> markDead(Atomix atomix, MemberId peer) {
        return setState(atomix, peer, "DEAD");
    }

    /**
     * Marks a peer alive again in this node's SWIM membership, if it is dead there, and lets SWIM
     * probe it again. Returns without waiting: the change is made on SWIM's thread.
     *
     * @param atomix a started node
     * @param peer a peer that answers again
     * @throws IllegalStateException if Atomix's membership cannot be reached (not Atomix 3.1.12)
     */
    static void markAlive(Atomix atomix, MemberId peer) {
        setState(atomix, peer, "ALIVE");
    }

    /**
     * Moves a peer between alive and dead on SWIM's thread: a dead member is not sent to and not
     * probed among the live ones. A member in any other state (suspected) is left to SWIM.
     */
    @SuppressWarnings("unchecked")
    private static CompletableFuture<Void> setState(Atomix atomix, MemberId peer, String to) {
        Object protocol = read(atomix.getMembershipService(), "protocol");
        if (!(protocol instanceof SwimMembershipProtocol swim)) {
            throw new IllegalStateException("the membership protocol is " + protocol.getClass().getName()
                    + ", not SWIM");
        }
        Map<?, ?> members = (Map<?, ?>) read(swim, "members");
        Executor swimThread = (Executor) read(swim, "swimScheduler");
        try {
            Class<?> stateType = Class.forName(SwimMembershipProtocol.class.getName() + "$State");
            Class<?> memberType = Class.forName(SwimMembershipProtocol.class.getName() + "$SwimMember");
            Object dead = enumConstant(stateType, "DEAD");
            Object target = enumConstant(stateType, to);
            Method getState = accessible(memberType.getDeclaredMethod("getState"));
            Method setState = accessible(memberType.getDeclaredMethod("setState", stateType));
            return CompletableFuture.runAsync(() -> {
                Object member = members.get(peer);
                try {
                    Object state = member == null ? null : getState.invoke(member);
                    boolean dies = target == dead && state != null && state != dead;
                    if (!dies && !(target != dead && state == dead)) {
                        return;
                    }
                    setState.invoke(member, target);
                    List<Object> probed = (List<Object>) read(swim, "randomMembers");
                    if (dies) {
                        probed.remove(member);
                    } else if (!probed.contains(member)) {
                        probed.add(member);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.warn("Node {} could not mark {} {} in Atomix's membership: {}",
                            atomix.getMembershipService().getLocalMember().id(), peer, to.toLowerCase(Locale.ROOT), e.toString());
                }
            }, swimThread);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach Atomix's SWIM membership (not Atomix 3.1.12?): " + e, e);
        }
    }

    /**
     * Fails every request this node's Atomix awaits from a peer, but those of the given subjects,
     * with a {@code ConnectException}, as a closed connection would, without closing it.
     *
     * @param atomix a started node
     * @param host the peer's host, as configured
     * @param port the peer's port
     * @param spared the subjects whose requests are left alone
     * @param why the exception's message
     * @return how many requests were failed
     * @throws IllegalStateException if Atomix's messaging cannot be reached (not Atomix 3.1.12)
     */
    static int failAwaited(Atomix atomix, String host, int port, Predicate<String> spared, String why) {
        Map<?, ?> connections = (Map<?, ?>) read(atomix.getMessagingService(), "connections");
        int failed = 0;
        for (Map.Entry<?, ?> connection : connections.entrySet()) {
            if (!(connection.getKey() instanceof Channel channel && isPeer(channel, host, port))) {
                continue;
            }
            Map<?, ?> callbacks = (Map<?, ?>) read(connection.getValue(), "callbacks");
            for (Object callback : List.copyOf(callbacks.values())) {
                if (spared.test((String) read(callback, "type"))) {
                    continue;
                }
                try {
                    accessible(callback.getClass().getDeclaredMethod("completeExceptionally", Throwable.class))
                            .invoke(callback, new ConnectException(why));
                    failed++;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot fail Atomix's request to " + host + ":" + port + ": " + e, e);
                }
            }
        }
        return failed;
    }

    private static boolean isPeer(Channel channel, String host, int port) {
        return channel.remoteAddress() instanceof InetSocketAddress remote && remote.getPort() == port
                && (host.equals(remote.getHostString())
                || remote.getAddress() != null && host.equals(remote.getAddress().getHostAddress()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    private static Method accessible(Method method) {
        method.setAccessible(true);
        return method;
    }

    private static Object read(Object target, String name) {
        return RaftServers.read(target, target.getClass(), name);
    }
}
