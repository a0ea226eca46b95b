package org.flowstore.store.flow;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;

/**
 * The counting rules of sync mode, over the members the cluster is configured with (never only
 * the ones this node sees at the moment).
 *
 * <ul>
 * <li>A write is acknowledged once the master and {@link #requiredCopies} standbys hold it
 *     (W = 1 + copies nodes).</li>
 * <li>A new master takes a device over only after {@link #versionAnswersNeeded} other nodes told
 *     it what their copies hold (R = members - copies nodes with itself). R + W exceeds the
 *     members, so the new master always hears from a node holding every acknowledged write.</li>
 * <li>A master that reaches no majority of the members acknowledges nothing: the majority may be
 *     electing its successor ({@link #cutOffReason}). It stops as soon as the failure detector
 *     suspects the others (a probe unanswered for probeTimeout and an indirect one for twice
 *     that: under a second by default), before they, suspecting it as soon, can remove it
 *     (failureTimeout later, 1 s) and elect its successor.</li>
 * </ul>
 * In async mode, with {@code backupEnabled=false} or {@code backupCount=0}, no copy is
 * required and a new master takes over with whatever copies answer.
 */
final class ReplicaQuorum {

    private final ClusterService cluster;
    private final Supplier<StoreConfig> config;

    ReplicaQuorum(ClusterService cluster, Supplier<StoreConfig> config) {
        this.cluster = cluster;
        this.config = config;
    }

    /** Returns true when a member is up and reachable from this node. */
    boolean isActive(NodeId node) {
        return cluster.isActive(node);
    }

    /** Returns the number of configured members. */
    int members() {
        return Math.max(1, cluster.getNodes().size());
    }

    /** Standby copies a write needs before it is acknowledged: backupCount capped at the other members; 0 in async mode. */
    int requiredCopies() {
        return config.get().requiredCopies(members());
    }

    /** Other nodes whose version a new master must hear before it takes a device over. */
    int versionAnswersNeeded() {
        int copies = requiredCopies();
        return copies == 0 ? 0 : members() - 1 - copies;
    }

    /**
     * Why this node may not acknowledge writes as a master (it reaches no majority of the
     * members), or null. Without required copies nothing is promised beyond the master's own
     * life, and a cut-off master goes on acknowledging.
     */
    String cutOffReason() {
        if (requiredCopies() == 0) {
            return null;
        }
        NodeId local = cluster.getLocalNode();
        // Checked on every batch: count first, name the nodes only when refusing.
        Predicate<NodeId> reachable = n -> n.equals(local) || cluster.isActive(n);
        long reached = cluster.getNodes().stream().filter(reachable).count();
        int members = members();
        if (reached * 2 > members) {
            return null;
        }
        List<NodeId> reachedNodes = cluster.getNodes().stream().filter(reachable).sorted().toList();
        return "node " + local + " reaches only " + reachedNodes + " of the " + members
                + " members, no majority: it acknowledges no write while it may be cut off";
    }
}
