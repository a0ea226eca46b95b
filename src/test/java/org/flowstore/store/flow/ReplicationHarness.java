package org.flowstore.store.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterEvent;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceEvent;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.StoreSerializer;
import org.flowstore.testing.FixedMastership;
import org.flowstore.testing.InMemoryBus;
import org.flowstore.testing.InMemoryCluster;
import org.flowstore.testing.TestFlows;

/**
 * The replication parts of one master and its standbys, without the rest of the store: the
 * master's {@link Replicator} and {@link AntiEntropy}, each standby's {@link BackupReceiver},
 * each behind its own {@link MasterRouter}, over an {@link InMemoryBus}. The mastership is fixed
 * by the test: n1 masters {@link #DEVICE} in term 1, the other nodes stand by in order.
 */
final class ReplicationHarness implements AutoCloseable {

    static final DeviceId DEVICE = TestFlows.device(1);
    static final NodeId MASTER = NodeId.nodeId("n1");
    /** How long a node waits for an answer here: short, so a silent standby is seen quickly. */
    static final Duration TIMEOUT = Duration.ofMillis(300);

    /** One node's replication parts. */
    static final class Node {
        final NodeId id;
        final FlowTables tables = new FlowTables();
        final TermPromises promises = new TermPromises();
        final StoreExecutors executors;
        final MasterRouter router;
        final BackupReceiver receiver;
        final FlowCapacity capacity;

        Node(NodeId id, ReplicationHarness h) {
            this.id = id;
            this.executors = new StoreExecutors(id, 2);
            this.router = new MasterRouter(id, h.mastership, h.devices, h.bus.endpoint(id), new StoreSerializer(),
                    executors, TIMEOUT, promises);
            this.capacity = new FlowCapacity(id, tables, () -> h.config, Runtime.getRuntime().maxMemory());
            this.receiver = new BackupReceiver(id, tables, h.mastership, promises, capacity);
            receiver.serve(router);
        }

        DeviceFlowTable copy() {
            return tables.existing(DEVICE);
        }
    }

    final InMemoryBus bus = new InMemoryBus();
    final Map<NodeId, Node> nodes = new LinkedHashMap<>();
    volatile StoreConfig config;
    final Replicator replicator;
    final AntiEntropy antiEntropy;
    private final FixedMastership mastership = new FixedMastership();
    private final DeviceService devices = new OneDevice();

    /**
     * @param standbys how many standbys (n2, n3, ...)
     * @param backupCount the store's backupCount
     */
    ReplicationHarness(int standbys, int backupCount) {
        config = StoreConfig.DEFAULTS.apply(Map.of("backupCount", backupCount)).config();
        List<NodeId> backups = new ArrayList<>();
        for (int i = 2; i <= standbys + 1; i++) {
            backups.add(NodeId.nodeId("n" + i));
        }
        mastership.set(DEVICE, MastershipInfo.of(1, MASTER, backups));
        nodes.put(MASTER, new Node(MASTER, this));
        backups.forEach(b -> nodes.put(b, new Node(b, this)));
        Node master = master();
        ReplicaQuorum quorum = new ReplicaQuorum(new Cluster(), () -> config);
        replicator = new Replicator(master.router, master.tables, mastership, quorum, () -> config,
                master.executors.scheduler(), master.capacity);
        antiEntropy = new AntiEntropy(master.router, master.tables, replicator, mastership, () -> config,
                master.executors.scheduler());
        master.tables.replica(DEVICE).activate(1);
    }

    Node master() {
        return nodes.get(MASTER);
    }

    Node node(int i) {
        return nodes.get(NodeId.nodeId("n" + i));
    }

    /** Writes rules [from, to) on the master's table and replicates the change as a sync-mode batch would. */
    CompletableFuture<Replicator.Replication> write(int from, int to) {
        DeviceFlowTable table = master().copy();
        return table.applyAndCut(TestFlows.batch(from, FlowRuleOperation.ADD, TestFlows.rules(DEVICE, from, to))
                .operations(), replicator::replicate).handedOff();
    }

    @Override
    public void close() {
        nodes.values().forEach(n -> {
            n.router.close();
            n.executors.shutdown(Duration.ZERO);
        });
    }

    private final class OneDevice implements DeviceService {

        @Override
        public Set<DeviceId> getDevices() {
            return Set.of(DEVICE);
        }

        @Override
        public boolean isKnown(DeviceId deviceId) {
            return DEVICE.equals(deviceId);
        }

        @Override
        public void addListener(Consumer<DeviceEvent> listener) {
        }

        @Override
        public void removeListener(Consumer<DeviceEvent> listener) {
        }
    }

    /** Membership as the master sees it: every node of the harness, active while on the bus. */
    private final class Cluster implements ClusterService {

        @Override
        public NodeId getLocalNode() {
            return MASTER;
        }

        @Override
        public Set<NodeId> getNodes() {
            return new LinkedHashSet<>(nodes.keySet());
        }

        @Override
        public List<ClusterMember> getMembers() {
            return InMemoryCluster.addresses(nodes.keySet());
        }

        @Override
        public boolean isActive(NodeId node) {
            return bus.isUp(node);
        }

        @Override
        public void addListener(Consumer<ClusterEvent> listener) {
        }

        @Override
        public void removeListener(Consumer<ClusterEvent> listener) {
        }
    }
}
