package org.flowstore.store.cluster;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.protocol.GroupMembershipEvent;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.core.Atomix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomix's SWIM membership, told when this node lost a peer: it marks the peer dead.
 *
 * <p>Atomix's failure detector never suspects a paused process (its probes wait for a handshake
 * the kernel completes), and suspects a cut-off one only after its own timeouts. Meanwhile Atomix
 * keeps sending to the peer: above all its Raft clients, which stay with the member they last
 * reached until a request to it fails, so a request to a paused or cut-off former Raft leader
 * waits out Atomix's 5 s messaging timeout before the client tries the new leader (measured:
 * stop and cut failovers of 5.5 to 6.2 s). Once this node's own detectors have lost the peer
 * ({@link PeerLiveness}, {@link PeerHeartbeats}), the peer is marked dead here, as SWIM marks a
 * member whose probes failed: Atomix's messaging then fails every new request to it at once (a
 * {@code ConnectException}, on which its Raft clients go to the next member), and Atomix's own
 * membership listeners hear it removed. The connections to the peer stay open: a message sent to
 * it before the loss (a batch's completion, say) still arrives if the link heals, where closing
 * them lost it (seen in PartitionTest: the issuer then waited for its timeout, a minute).
 *
 * <p>Only this node's view changes: nothing is gossiped. SWIM itself undoes it when the peer
 * answers again: it probes dead members, and a member that learns it is thought dead refutes it
 * with a higher incarnation, upon which it is added back (as after a healed cut).
 *
 * <p>The membership's state is reached through private fields and package-private methods of
 * Atomix 3.1.12's {@link SwimMembershipProtocol} ({@code members}, {@code randomMembers},
 * {@code swimScheduler}, {@code SwimMember.setState}, {@code post}); with another Atomix,
 * {@link #markDead} throws, and requests to a lost peer wait for their timeout as before. The
 * membership is changed on SWIM's own thread.
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
            Method getState = accessible(memberType.getDeclaredMethod("getState"));
            Method setState = accessible(memberType.getDeclaredMethod("setState", stateType));
            Method copy = accessible(memberType.getDeclaredMethod("copy"));
            Method post = accessible(SwimMembershipProtocol.class.getDeclaredMethod("post", GroupMembershipEvent.class));
            return CompletableFuture.runAsync(() -> {
                Object member = members.get(peer);
                try {
                    if (member == null || getState.invoke(member) == dead) {
                        return;
                    }
                    setState.invoke(member, dead);
                    ((List<?>) read(swim, "randomMembers")).remove(member);
                    post.invoke(swim, new GroupMembershipEvent(GroupMembershipEvent.Type.MEMBER_REMOVED,
                            (Member) copy.invoke(member)));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.warn("Node {} could not mark {} dead in Atomix's membership: {}",
                            atomix.getMembershipService().getLocalMember().id(), peer, e.toString());
                }
            }, swimThread);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach Atomix's SWIM membership (not Atomix 3.1.12?): " + e, e);
        }
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
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // declared further up
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot read Atomix's " + c.getName() + "." + name + ": " + e, e);
            }
        }
        throw new IllegalStateException("Atomix's " + target.getClass().getName() + " has no field '" + name
                + "' (not Atomix 3.1.12?)");
    }
}
