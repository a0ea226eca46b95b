package org.flowstore.store.cluster;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.atomix.cluster.Member;
import io.atomix.core.Atomix;
import io.atomix.core.AtomixRegistry;
import io.atomix.primitive.PrimitiveType;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.utils.NamedType;

/**
 * Atomix's registry of named types (primitives, protocols, partition groups, profiles, discovery
 * and membership protocols), listed instead of found by scanning the class path. Atomix's own
 * registry scans with ClassGraph through the thread's context class loader: under OSGi that is
 * not the Atomix bundles' loader, and the types it found failed to cast (FelixBundleIT). A fixed
 * list works the same everywhere, and start-up does not pay for a scan.
 *
 * <p>The list is the complete set of Atomix 3.1.12's types; each class is loaded through a class
 * of its own jar, so implementation packages that the Atomix bundles do not export load too.
 */
final class AtomixTypes implements AtomixRegistry {

    /** Every NamedType implementation in Atomix 3.1.12, by the jar (anchor class) that holds it. */
    private static final List<Jar> TYPES = List.of(
            new Jar(Atomix.class, List.of(
                "io.atomix.core.barrier.DistributedCyclicBarrierType", "io.atomix.core.collection.DistributedCollectionType",
                "io.atomix.core.counter.AtomicCounterType", "io.atomix.core.counter.DistributedCounterType",
                "io.atomix.core.election.LeaderElectionType", "io.atomix.core.election.LeaderElectorType",
                "io.atomix.core.idgenerator.AtomicIdGeneratorType", "io.atomix.core.list.DistributedListType",
                "io.atomix.core.lock.AtomicLockType", "io.atomix.core.lock.DistributedLockType",
                "io.atomix.core.log.DistributedLogType", "io.atomix.core.map.AtomicCounterMapType",
                "io.atomix.core.map.AtomicMapType", "io.atomix.core.map.AtomicNavigableMapType",
                "io.atomix.core.map.AtomicSortedMapType", "io.atomix.core.map.DistributedMapType",
                "io.atomix.core.map.DistributedNavigableMapType", "io.atomix.core.map.DistributedSortedMapType",
                "io.atomix.core.multimap.AtomicMultimapType", "io.atomix.core.multimap.DistributedMultimapType",
                "io.atomix.core.multiset.DistributedMultisetType", "io.atomix.core.profile.ClientProfile$Type",
                "io.atomix.core.profile.ConsensusProfile$Type", "io.atomix.core.profile.DataGridProfile$Type",
                "io.atomix.core.queue.DistributedQueueType", "io.atomix.core.semaphore.AtomicSemaphoreType",
                "io.atomix.core.semaphore.DistributedSemaphoreType", "io.atomix.core.set.DistributedNavigableSetType",
                "io.atomix.core.set.DistributedSetType", "io.atomix.core.set.DistributedSortedSetType",
                "io.atomix.core.transaction.TransactionType", "io.atomix.core.tree.AtomicDocumentTreeType",
                "io.atomix.core.value.AtomicValueType", "io.atomix.core.value.DistributedValueType",
                "io.atomix.core.workqueue.WorkQueueType")),
            new Jar(Member.class, List.of(
                "io.atomix.cluster.discovery.BootstrapDiscoveryProvider$Type",
                "io.atomix.cluster.discovery.DnsDiscoveryProvider$Type",
                "io.atomix.cluster.discovery.MulticastDiscoveryProvider$Type",
                "io.atomix.cluster.protocol.HeartbeatMembershipProtocol$Type",
                "io.atomix.cluster.protocol.SwimMembershipProtocol$Type")),
            new Jar(PrimitiveType.class, List.of(
                "io.atomix.primitive.partition.impl.PrimaryElectorType",
                "io.atomix.primitive.session.impl.SessionIdGeneratorType")),
            new Jar(MultiRaftProtocol.class, List.of(
                "io.atomix.protocols.raft.MultiRaftProtocol$Type",
                "io.atomix.protocols.raft.partition.RaftPartitionGroup$Type")));

    /** Types in one Atomix jar, loaded through a class of that jar. */
    private record Jar(Class<?> anchor, List<String> types) {
    }

    private final List<NamedType> types;

    /** Loads and instantiates every type once. */
    AtomixTypes() {
        List<NamedType> all = new ArrayList<>();
        for (Jar jar : TYPES) {
            ClassLoader loader = jar.anchor().getClassLoader();
            for (String name : jar.types()) {
                try {
                    Constructor<?> constructor = Class.forName(name, true, loader).getDeclaredConstructor();
                    constructor.setAccessible(true);
                    all.add((NamedType) constructor.newInstance());
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("Atomix type " + name + " is missing (not Atomix 3.1.12?)", e);
                }
            }
        }
        this.types = List.copyOf(all);
    }

    @Override
    public <T extends NamedType> Collection<T> getTypes(Class<T> type) {
        List<T> matching = new ArrayList<>();
        for (NamedType t : types) {
            if (type.isInstance(t)) {
                matching.add(type.cast(t));
            }
        }
        return matching;
    }

    @Override
    public <T extends NamedType> T getType(Class<T> type, String name) {
        for (NamedType t : types) {
            if (type.isInstance(t) && t.name().equals(name)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
