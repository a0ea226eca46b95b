package org.flowstore.store.cluster;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.atomix.core.Atomix;
import io.atomix.primitive.partition.Partition;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.protocols.raft.impl.RaftContext;
import io.atomix.protocols.raft.partition.RaftPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the Raft election timeout of this node's Raft partition servers. Atomix 3.1.12 builds them
 * with a fixed 2,500 ms timeout and heartbeat 250 ms ({@code RaftPartitionServer}) and offers no
 * setting: a follower waits the timeout plus a random part as long before it stands, so a partition
 * whose leader dies has none for 2.5 to 5 s, and every mastership election held in it, with the
 * failover of every device the dead node mastered, waits that long (5 to 12 s in the demo when
 * the dead node led a partition).
 *
 * <p>A Raft server reads its timeout each time it arms a timer, so setting it on the server's
 * context once the server runs takes effect at the next heartbeat. The server is reached through
 * two private fields ({@code RaftPartition.server}, {@code RaftPartitionServer.server}) and a
 * protected one ({@code DefaultRaftServer.context}) of Atomix 3.1.12; where they are not (another
 * Atomix), the defaults stay and {@link #apply} says why. The value is set on the server's own
 * thread (the field it writes is not volatile). Leaders elected before it keep their heartbeat
 * until the next election; those elected after use a quarter of the timeout.
 */
final class RaftTimeouts {

    private static final Logger log = LoggerFactory.getLogger(RaftTimeouts.class);

    private RaftTimeouts() {
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
    static int apply(Atomix atomix, Duration electionTimeout) {
        Duration heartbeat = electionTimeout.dividedBy(4);
        int set = 0;
        for (RaftContext raft : servers(atomix)) {
            raft.getThreadContext().execute(() -> {
                raft.setElectionTimeout(electionTimeout);
                raft.setHeartbeatInterval(heartbeat);
            });
            set++;
        }
        return set;
    }

    /**
     * Returns the election timeout of every Raft partition server of this node, as the servers hold it.
     *
     * @param atomix a started node
     * @return one timeout per server
     */
    static List<Duration> electionTimeouts(Atomix atomix) {
        return servers(atomix).stream().map(RaftContext::getElectionTimeout).toList();
    }

    private static List<RaftContext> servers(Atomix atomix) {
        List<PartitionGroup> groups = new ArrayList<>();
        groups.add(atomix.getPartitionService().getSystemPartitionGroup());
        groups.addAll(atomix.getPartitionService().getPartitionGroups());
        List<RaftContext> servers = new ArrayList<>();
        for (PartitionGroup group : groups) {
            for (Partition partition : group.getPartitions()) {
                if (partition instanceof RaftPartition raft) {
                    Object partitionServer = read(raft, RaftPartition.class, "server");
                    if (partitionServer == null) {
                        continue; // this node is not a member of that partition
                    }
                    Object server = read(partitionServer, partitionServer.getClass(), "server");
                    if (server != null) {
                        servers.add((RaftContext) read(server, server.getClass(), "context"));
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

    private static Object read(Object target, Class<?> type, String name) {
        try {
            Field field = declaring(type, name).getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach the Raft server of Atomix " + type.getName() + "." + name
                    + " (not Atomix 3.1.12?): " + e, e);
        }
    }

    /** Logs once why the timeouts could not be set. */
    static void warnUnchanged(String node, RuntimeException why) {
        log.warn("Node {} keeps Atomix's Raft election timeout (2.5 to 5 s): {}", node, why.getMessage());
    }
}
