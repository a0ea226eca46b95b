package org.flowstore.store.cluster;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Predicate;

import io.atomix.cluster.MemberId;
import io.atomix.core.Atomix;
import io.atomix.primitive.partition.Partition;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.cluster.impl.DefaultRaftMember;
import io.atomix.protocols.raft.cluster.impl.RaftMemberContext;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import io.atomix.protocols.raft.roles.FollowerRole;
import io.atomix.protocols.raft.roles.RaftRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;

/**
 * This node's Raft partition servers, reached where Atomix 3.1.12 offers no setting: their
 * timeouts, an election started at once when their leader is lost, and the lead of the partitions
 * the election layout assigns to this node ({@link #leadAssigned}).
 *
 * <p><b>Timeouts.</b> Atomix 3.1.12 builds its Raft servers with a fixed 2,500 ms election timeout
 * and heartbeat 250 ms ({@code RaftPartitionServer}): a follower waits the timeout plus a random
 * part as long before it stands, so a partition whose leader dies has none for 2.5 to 5 s, and
 * every mastership election held in it, with the failover of every device the dead node
 * mastered, waits that long. A Raft server reads its timeout each time it arms a timer, so
 * setting it on the server's context once the server runs takes effect at the next heartbeat.
 *
 * <p><b>Standing for a lost leader.</b> Even a short timeout is the largest part of a failover
 * when the dead node led a partition holding elections. When this node lost a peer (its process
 * is gone, {@link PeerLiveness}, or it answers no heartbeat, {@link PeerHeartbeats}) and still
 * hears a majority, the surviving members of each partition the peer led stand for election in
 * id order, one at a time ({@link #standForDeadLeader}), instead of waiting for their timeouts.
 * Raft's own rules keep this safe: a candidate whose log is behind is refused the votes, and the
 * next one, or the timeouts, elect another member.
 *
 * <p><b>Starting.</b> The same timeout is given to the servers of a node that is starting, as
 * each comes to exist ({@link #hastenStart}).
 *
 * <p><b>A member back.</b> A Raft leader backs off from a member its appends failed to reach 5
 * times: it sends again only after {@code heartbeat * 2^failures} (up to 60 s; 6 or 7 failures,
 * so 16 to 32 s, by the time a killed node was restarted in chaos runs). A restarted node's
 * servers are ready, and its start completes, only after their leaders' first append. This
 * node's leaders forget those failures as soon as the member answers heartbeats again
 * ({@link #resumeAppendsTo}), which a node does from the moment its messaging starts.
 *
 * <p>The servers are reached through two private fields ({@code RaftPartition.server},
 * {@code RaftPartitionServer.server}) and a protected one ({@code DefaultRaftServer.context}) of
 * Atomix 3.1.12; where they are not (another Atomix), {@link #applyTimeouts} says why and the rest
 * does nothing. Everything a server holds is changed on the server's own thread.
 */
final class RaftServers {

    private static final Logger log = LoggerFactory.getLogger(RaftServers.class);
    /** How long a dead leader's successor waits for the one before it to win before it stands itself. */
    private static final Duration STAND_STAGGER = Duration.ofMillis(200);
    /**
     * Each Raft server's last known leader, kept when the server forgets it (a follower whose
     * timer fired). Weak keys: the servers of a stopped Atomix instance go with it. Written on
     * each server's thread.
     */
    private static final Map<RaftContext, MemberId> LAST_LEADERS = Collections.synchronizedMap(new WeakHashMap<>());

    private RaftServers() {
    }

    /**
     * Sets the election timeout, and a quarter of it as the heartbeat, on every Raft partition
     * server of this node (the management group's and every partition group's).
     *
     * @param atomix a started node
     * @param electionTimeout the timeout
     * @return how many servers took it
     * @throws IllegalStateException if a server cannot be reached (naming the field that is missing)
     */
    static int applyTimeouts(Atomix atomix, Duration electionTimeout) {
        Duration heartbeat = electionTimeout.dividedBy(4);
        List<RaftContext> servers = servers(atomix, null);
        for (RaftContext raft : servers) {
            raft.getThreadContext().execute(() -> {
                raft.setElectionTimeout(electionTimeout);
                raft.setHeartbeatInterval(heartbeat);
            });
        }
        return servers.size();
    }

    /**
     * Gives the Raft servers of a node that is starting the election timeout (and a quarter of it as
     * the heartbeat) as soon as each server exists, and re-arms the timers it armed with Atomix's
     * 2,500 ms: a follower that knows no leader waits the new timeout before it stands, and a
     * pending retry of the server's join comes after two new timeouts. A fresh cluster's start is
     * an election and a join of the management group, then of the data group, each join retried
     * only every two election timeouts: 12.7 s with Atomix's timeouts, measured in one JVM. Called
     * again and again while the node starts; each server is handled once, on its own thread.
     *
     * @param atomix a node being started
     * @param electionTimeout the timeout
     * @param reached the servers handled so far, to which this adds
     * @throws IllegalStateException if a server cannot be reached (naming the field that is missing)
     */
    static void hastenStart(Atomix atomix, Duration electionTimeout, Set<RaftContext> reached) {
        for (RaftContext raft : servers(atomix, null)) {
            if (!reached.add(raft)) {
                continue;
            }
            raft.getThreadContext().execute(() -> {
                raft.setElectionTimeout(electionTimeout);
                raft.setHeartbeatInterval(electionTimeout.dividedBy(4));
                try {
                    RaftRole role = raft.getRaftRole();
                    if (role instanceof FollowerRole && raft.getLeader() == null) {
                        invoke(role, FollowerRole.class, "resetHeartbeatTimeout");
                    }
                    Object cluster = raft.getCluster();
                    if (read(cluster, cluster.getClass(), "joinTimeout") != null) {
                        invoke(cluster, cluster.getClass(), "resetJoinTimer");
                    }
                } catch (IllegalStateException e) {
                    // Started all the same, only at Atomix's pace.
                    log.warn("Raft partition {}: timers armed with Atomix's election timeout kept: {}", raft.getName(),
                            e.getMessage());
                }
            });
        }
    }

    /**
     * Where one Raft server of this node stands, read off the server's thread: a snapshot, not
     * exact. A server that has not applied its log up to the first commit index it heard of is not
     * ready, and Atomix's start waits for it.
     *
     * @param name the server (its partition)
     * @param role its role
     * @param ready whether it has caught up since it started
     * @param leader the leader it knows, or null
     * @param term its term
     * @param lastApplied the last index its state machine applied
     * @param commitIndex the last index it knows committed
     * @param firstCommitIndex the commit index it heard of first
     * @param lastLogIndex the last index in its log
     */
    record ServerState(String name, RaftServer.Role role, boolean ready, String leader, long term, long lastApplied,
                       long commitIndex, long firstCommitIndex, long lastLogIndex) {
        @Override
        public String toString() {
            return String.format("%s: %s, %s, leader %s, term %d, applied %d of commit %d (first %d), log to %d", name,
                    role, ready ? "ready" : "not ready", leader == null ? "none" : leader, term, lastApplied, commitIndex,
                    firstCommitIndex, lastLogIndex);
        }
    }

    /**
     * Returns where each Raft server of this node stands.
     *
     * @param atomix a node, started or not
     * @return one state per server that exists so far
     */
    static List<ServerState> states(Atomix atomix) {
        List<ServerState> states = new ArrayList<>();
        for (RaftContext raft : servers(atomix, null)) {
            DefaultRaftMember leader = raft.getLeader();
            states.add(new ServerState(raft.getName(), raft.getRole(), raft.getState() == RaftContext.State.READY,
                    leader == null ? null : leader.memberId().id(), raft.getTerm(), raft.getLastApplied(),
                    raft.getCommitIndex(), raft.getFirstCommitIndex(), raft.getLogWriter().getLastIndex()));
        }
        return states;
    }

    /**
     * Returns the election timeout of every Raft partition server of this node, as the servers hold it.
     *
     * @param atomix a started node
     * @return one timeout per server
     */
    static List<Duration> electionTimeouts(Atomix atomix) {
        return servers(atomix, null).stream().map(RaftContext::getElectionTimeout).toList();
    }

    /**
     * Stands for election in every partition of this node that a dead member led: the dead
     * leader's first successor (the first of the partition's other members in id order) at once,
     * the next one {@link #STAND_STAGGER} later if the partition has no leader by then, and so on.
     * Only one stands at a time, so the survivors do not split their votes; and a successor whose
     * log is behind another's is refused the votes (seen in chaos runs: a partition then waited
     * for a follower's timeout, 1 to 2 s), which the next successor's turn makes up for; a
     * successor that voted for another in the meantime does not stand. Returns
     * without waiting: each server decides on its own thread.
     *
     * @param atomix a started node
     * @param dead a member whose process is known dead
     */
    static void standForDeadLeader(Atomix atomix, MemberId dead) {
        for (RaftContext raft : servers(atomix, null)) {
            raft.getThreadContext().execute(() -> {
                // A follower whose timer fired just before (it then forgets its leader, and polls the
                // others in vain while they still follow the dead one) stands too: seen in a chaos run,
                // the partition otherwise waited for the next follower's timeout, a 2.3 s kill.
                DefaultRaftMember leader = raft.getLeader();
                MemberId known = leader != null ? leader.memberId() : LAST_LEADERS.get(raft);
                if (raft.getRole() != RaftServer.Role.FOLLOWER || !dead.equals(known)
                        || leader == null && votedForAnotherCandidate(raft, dead)) {
                    return;
                }
                MemberId local = raft.getCluster().getMember().memberId();
                List<MemberId> successors = raft.getCluster().getMembers().stream().map(RaftMember::memberId)
                        .filter(m -> !m.equals(dead)).sorted(Comparator.comparing(MemberId::id)).toList();
                int turn = successors.indexOf(local);
                if (turn == 0) {
                    log.info("Raft partition {}: its leader {} is dead; {} stands for election at once", raft.getName(),
                            dead, local);
                    raft.transition(RaftServer.Role.CANDIDATE);
                } else if (turn > 0) {
                    raft.getThreadContext().schedule(STAND_STAGGER.multipliedBy(turn), () -> {
                        DefaultRaftMember now = raft.getLeader();
                        // A follower that voted for another live candidate in this term waits for it: the winner's
                        // first heartbeat may not have come yet (seen in a chaos run: standing then unseated the
                        // new leader, and the partition took 2 s to settle).
                        if (raft.getRole() == RaftServer.Role.FOLLOWER && (now == null || dead.equals(now.memberId()))
                                && !votedForAnotherCandidate(raft, dead)) {
                            log.info("Raft partition {}: its leader {} is dead and no successor won within {} ms; {}"
                                    + " stands for election", raft.getName(), dead,
                                    STAND_STAGGER.multipliedBy(turn).toMillis(), local);
                            raft.transition(RaftServer.Role.CANDIDATE);
                        }
                    });
                }
            });
        }
    }

    /** Returns true when a server voted in its current term for a live member other than itself. */
    private static boolean votedForAnotherCandidate(RaftContext raft, MemberId dead) {
        MemberId voted = raft.getLastVotedFor();
        return voted != null && !voted.equals(dead) && !voted.equals(raft.getCluster().getMember().memberId());
    }

    /**
     * Takes the lead of every partition of a group that the layout assigns to this node and that
     * another live node leads (after this node restarted, say), by standing for election once its
     * log holds every committed entry it heard of and nothing more (the caller gives it time to
     * catch up after a restart first). Atomix 3.1.12's leadership transfer cannot be used: its
     * {@code TransferRequest} is missing from the Raft protocol's serializer. An election is Raft's
     * own way, safe whatever its outcome: should this node's log be behind after all, it is refused
     * and the partition elects a leader by its timeouts. Returns without waiting: each server
     * decides on its own thread.
     *
     * @param atomix a started node
     * @param group the partition group
     * @param layout who should lead which partition
     * @param local this node
     * @param isActive whether a node is up, as this node sees it
     */
    static void leadAssigned(Atomix atomix, String group, ElectionLayout layout, NodeId local,
                             Predicate<NodeId> isActive) {
        serversByPartition(atomix, group).forEach((partition, raft) -> {
            if (!layout.isAssignedLeader(partition, local)) {
                return;
            }
            raft.getThreadContext().execute(() -> {
                DefaultRaftMember leader = raft.getLeader();
                boolean everyMemberUp = raft.getCluster().getMembers().stream()
                        .allMatch(m -> isActive.test(NodeId.nodeId(m.memberId().id())));
                // Only in a whole, quiet cluster: an election stood for while a member is lost (or being
                // failed over) could leave the partition without leader just when its elections matter.
                if (raft.getRole() != RaftServer.Role.FOLLOWER || leader == null
                        || leader.memberId().id().equals(local.id()) || !everyMemberUp
                        || raft.getCommitIndex() == 0 || raft.getLogWriter().getLastIndex() != raft.getCommitIndex()
                        || raft.getLastApplied() < raft.getCommitIndex()) {
                    // Not a follower of a live leader, or its log not caught up: it would only lose.
                    return;
                }
                log.info("Raft partition {}: {} stands for election to take the lead from {} (the layout of the"
                        + " elections assigns it)", raft.getName(), local, leader.memberId());
                raft.transition(RaftServer.Role.CANDIDATE);
            });
        });
    }

    /**
     * Makes each Raft partition this node leads send to a member at its next heartbeat, however
     * often its appends to the member failed: the member answers again (restarted, resumed or
     * reconnected), and Atomix's back-off would keep it waiting for up to a minute.
     *
     * @param atomix a started node
     * @param member the member that answers again
     */
    static void resumeAppendsTo(Atomix atomix, MemberId member) {
        serversByPartition(atomix, null).values().forEach(raft -> raft.getThreadContext().execute(() -> {
            if (raft.getRole() != RaftServer.Role.LEADER) {
                return;
            }
            RaftMemberContext state = raft.getCluster().getMemberState(member);
            if (state != null && state.getFailureCount() > 0) {
                log.info("Raft partition {}: leader {} sends to {} again ({} appends had failed)", raft.getName(),
                        raft.getCluster().getMember().memberId(), member, state.getFailureCount());
                state.resetFailureCount();
            }
        }));
    }

    /**
     * Returns true when every partition of a group that this node serves knows a leader, and it
     * is not a given member.
     *
     * @param atomix a started node
     * @param group the partition group
     * @param dead the member that must not lead
     * @return true when every such partition has another leader
     */
    static boolean ledByOthers(Atomix atomix, String group, MemberId dead) {
        return servers(atomix, group).stream()
                .allMatch(raft -> raft.getLeader() != null && !raft.getLeader().memberId().equals(dead));
    }

    /**
     * Logs every change of leader of this node's Raft partitions, as each server sees it, and
     * remembers each server's last leader ({@link #standForDeadLeader} reads it).
     *
     * @param atomix a started node
     * @param group the partition group, or null for every group
     * @param local this node
     */
    static void watchLeaders(Atomix atomix, String group, NodeId local) {
        serversByPartition(atomix, group).values().forEach(raft -> raft.getThreadContext().execute(() -> {
            if (raft.getLeader() != null) {
                LAST_LEADERS.put(raft, raft.getLeader().memberId());
            }
            raft.addLeaderElectionListener(leader -> {
                LAST_LEADERS.put(raft, leader.memberId());
                log.info("Node {}: Raft partition {} is led by {} (term {})", local, raft.getName(), leader.memberId(),
                        raft.getTerm());
            });
        }));
    }

    /**
     * Returns the partitions of a group that this node serves and that a given member leads, as
     * this node knows.
     *
     * @param atomix a started node
     * @param group the partition group
     * @param member the member
     * @return the partitions it leads
     */
    static Set<PartitionId> ledBy(Atomix atomix, String group, MemberId member) {
        Set<PartitionId> led = new HashSet<>();
        serversByPartition(atomix, group).forEach((partition, raft) -> {
            DefaultRaftMember leader = raft.getLeader();
            if (leader != null && leader.memberId().equals(member)) {
                led.add(partition);
            }
        });
        return led;
    }

    /** Every Raft server of this node; of one group only when {@code groupName} is not null. */
    private static List<RaftContext> servers(Atomix atomix, String groupName) {
        return List.copyOf(serversByPartition(atomix, groupName).values());
    }

    /** This node's Raft servers by partition; of one group only when {@code groupName} is not null. */
    private static Map<PartitionId, RaftContext> serversByPartition(Atomix atomix, String groupName) {
        List<PartitionGroup> groups = new ArrayList<>();
        groups.add(atomix.getPartitionService().getSystemPartitionGroup());
        groups.addAll(atomix.getPartitionService().getPartitionGroups());
        if (groupName != null) {
            groups.removeIf(g -> !g.name().equals(groupName));
        }
        Map<PartitionId, RaftContext> servers = new LinkedHashMap<>();
        for (PartitionGroup group : groups) {
            for (Partition partition : group.getPartitions()) {
                if (partition instanceof RaftPartition raft) {
                    Object partitionServer = read(raft, RaftPartition.class, "server");
                    if (partitionServer == null) {
                        continue; // this node is not a member of that partition
                    }
                    Object server = read(partitionServer, partitionServer.getClass(), "server");
                    if (server != null) {
                        servers.put(partition.id(), (RaftContext) read(server, server.getClass(), "context"));
                    }
                }
            }
        }
        return servers;
    }

    private static Class<?> declaring(Class<?> type, String field) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(field)) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("Atomix's " + type.getName() + " has no field '" + field + "'");
    }

    /** Reads a field of an Atomix object, declared by {@code type} or a superclass; throws naming it if it cannot. */
    static Object read(Object target, Class<?> type, String name) {
        try {
            Field field = declaring(type, name).getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read Atomix's " + type.getName() + "." + name
                    + " (not Atomix 3.1.12?): " + e, e);
        }
    }

    private static void invoke(Object target, Class<?> type, String name) {
        try {
            Method method = type.getDeclaredMethod(name);
            method.setAccessible(true);
            method.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot call Atomix's " + type.getName() + "." + name
                    + " (not Atomix 3.1.12?): " + e, e);
        }
    }

    /** Logs once why the timeouts could not be set. */
    static void warnUnchanged(String node, RuntimeException why) {
        log.warn("Node {} keeps Atomix's Raft election timeout (2.5 to 5 s): {}", node, why.getMessage());
    }
}
