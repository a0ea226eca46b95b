package org.flowstore.store.cluster;

import static org.easymock.EasyMock.createMock;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.atomix.cluster.MemberId;
import io.atomix.primitive.partition.Partition;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.primitive.partition.Partitioner;
import org.junit.jupiter.api.Test;

import org.flowstore.api.NodeId;

/**
 * The layout of the elections over a partition group (its partitions and members stand in for
 * Atomix's): each partition has one assigned leader, spread over the members; a topic's
 * partition is the one Atomix's Murmur3 partitioner picks.
 */
class ElectionLayoutTest {

    private static final String GROUP = "raft";

    @Test
    void everyNodeIsAssignedOnePartitionOfAThreeNodeGroup() {
        ElectionLayout layout = ElectionLayout.of(group(3, List.of("n3", "n1", "n2")));
        for (int k = 1; k <= 3; k++) {
            PartitionId partition = PartitionId.from(GROUP, k);
            assertTrue(layout.isAssignedLeader(partition, NodeId.nodeId("n" + k)), "partition " + k);
            for (int other = 1; other <= 3; other++) {
                if (other != k) {
                    assertFalse(layout.isAssignedLeader(partition, NodeId.nodeId("n" + other)));
                }
            }
        }
    }

    @Test
    void aTopicLivesWhereAtomixPutsItAndItsAssignedLeaderIsThatPartitionsOne() {
        ElectionLayout layout = ElectionLayout.of(group(3, List.of("n1", "n2", "n3")));
        List<PartitionId> ids = IntStream.rangeClosed(1, 3).mapToObj(k -> PartitionId.from(GROUP, k)).toList();
        Map<PartitionId, Integer> spread = new HashMap<>();
        for (int d = 1; d <= 300; d++) {
            String topic = "device:of:" + String.format("%016x", d);
            PartitionId partition = layout.partitionOf(topic);
            assertEquals(Partitioner.MURMUR3.partition(topic, ids), partition);
            assertTrue(layout.isAssignedLeader(partition, layout.assignedLeaderOf(topic).orElseThrow()));
            spread.merge(partition, 1, Integer::sum);
        }
        assertEquals(3, spread.size(), "topics spread over every partition: " + spread);
    }

    /** A group of {@code partitions} partitions, each with every member. */
    private static PartitionGroup group(int partitions, List<String> members) {
        PartitionGroup group = createMock(PartitionGroup.class);
        List<PartitionId> ids = IntStream.rangeClosed(1, partitions).mapToObj(k -> PartitionId.from(GROUP, k)).toList();
        expect(group.getPartitionIds()).andReturn(ids).anyTimes();
        for (PartitionId id : ids) {
            Partition partition = createMock(Partition.class);
            expect(partition.members()).andReturn(members.stream().map(MemberId::from).toList()).anyTimes();
            replay(partition);
            expect(group.getPartition(id)).andReturn(partition).anyTimes();
        }
        replay(group);
        return group;
    }
}
