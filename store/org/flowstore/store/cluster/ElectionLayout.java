package org.flowstore.store.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.atomix.cluster.MemberId;
import io.atomix.primitive.partition.Partition;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.primitive.partition.Partitioner;

import org.flowstore.api.NodeId;

/**
 * Where the mastership elections live, and who should lead each Raft partition holding them,
 * laid out so that the death of one node never stalls the failover of its own devices.
 *
 * <p>Each device's election is a topic of the leader elector, held in the data group's partition
 * that Atomix's Murmur3 partitioner picks for the topic. A partition whose Raft leader dies takes
 * no command until it elected another, and evicting the dead node from the topics it holds waits
 * for that. So each partition has an <em>assigned leader</em> (partition {@code k} of the sorted
 * partitions: the {@code k}-th of its sorted members, round robin, so every node leads about as
 * many partitions), the node that leads it whenever it is up ({@link RaftServers#leadAssigned}),
 * and a device's preferred master is never the assigned leader of the partition holding the
 * device's election: when a master dies, every partition holding its devices' elections is led by
 * a live node and evicts it at once, while the partitions it led elect a new leader meanwhile,
 * holding only elections of devices whose masters are alive.
 *
 * <p>Immutable; the same on every node (it depends only on the group's partitions and their
 * members).
 */
final class ElectionLayout {

    private final List<PartitionId> partitions;
    private final Map<PartitionId, NodeId> assignedLeaders;

    private ElectionLayout(List<PartitionId> partitions, Map<PartitionId, NodeId> assignedLeaders) {
        this.partitions = List.copyOf(partitions);
        this.assignedLeaders = Map.copyOf(assignedLeaders);
    }

    /**
     * Reads the layout of a partition group.
     *
     * @param group the group holding the elections
     * @return its layout
     */
    static ElectionLayout of(PartitionGroup group) {
        List<PartitionId> ids = new ArrayList<>(group.getPartitionIds());
        ids.sort(null);
        Map<PartitionId, NodeId> leaders = new HashMap<>();
        for (int k = 0; k < ids.size(); k++) {
            Partition partition = group.getPartition(ids.get(k));
            Collection<MemberId> members = partition == null ? List.of() : partition.members();
            if (!members.isEmpty()) {
                List<String> sorted = members.stream().map(MemberId::id).sorted().toList();
                leaders.put(ids.get(k), NodeId.nodeId(sorted.get(k % sorted.size())));
            }
        }
        return new ElectionLayout(ids, leaders);
    }

    /**
     * Returns the partition holding an election topic, as Atomix's elector picks it (Murmur3 over
     * the sorted partitions).
     *
     * @param topic the topic
     * @return its partition
     */
    PartitionId partitionOf(String topic) {
        return Partitioner.MURMUR3.partition(topic, partitions);
    }

    /**
     * Returns the node that should lead the partition holding an election topic.
     *
     * @param topic the topic
     * @return the assigned leader; empty if the partition has no members
     */
    Optional<NodeId> assignedLeaderOf(String topic) {
        return Optional.ofNullable(assignedLeaders.get(partitionOf(topic)));
    }

    /**
     * Returns true when a node is the assigned leader of a partition.
     *
     * @param partition the partition
     * @param node the node
     * @return true if it should lead it
     */
    boolean isAssignedLeader(PartitionId partition, NodeId node) {
        return node.equals(assignedLeaders.get(partition));
    }
}
