package org.flowstore.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterEvent;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceEvent;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * Flow stores on in-memory cluster services, in this JVM: the same stores as on Atomix, over a
 * message bus ({@link InMemoryBus}) carrying every message as bytes in the store's wire format, and a
 * mastership with terms and ordered standbys. Fast and deterministic where Atomix is neither
 * (elections, failure detection), so a scenario runs here on every build and on real Atomix too.
 *
 * <p>Mastership: device i (0-based, in the order given) is mastered by node {@code i mod N}, its
 * standbys the following nodes in turn, in term 1. A crash removes the node from every election
 * at once (the failure detector is perfect here): where it was master, its first live standby
 * takes over in the next term. Events reach each node's listeners on that node's own event
 * thread, after the views changed, as Atomix delivers them.
 */
public final class InMemoryCluster implements TestCluster {

    /**
     * Returns members for nodes without a network address (in-memory nodes): host {@code in-memory},
     * ports 1, 2, ... in order.
     *
     * @param nodes the nodes
     * @return one member each
     */
    public static List<ClusterMember> addresses(Collection<NodeId> nodes) {
        List<ClusterMember> members = new ArrayList<>();
        for (NodeId node : nodes) {
            members.add(new ClusterMember(node, "in-memory", members.size() + 1));
        }
        return members;
    }


    private final List<NodeId> members = new ArrayList<>();
    private final List<Member> nodes = new ArrayList<>();
    private final Set<NodeId> live = ConcurrentHashMap.newKeySet();
    private final InMemoryBus bus = new InMemoryBus();
    private final List<DeviceId> devices;
    /** Per device: its candidates in order of preference, and its term. Guarded by this. */
    private final Map<DeviceId, Election> elections = new HashMap<>();

    private static final class Election {
        final List<NodeId> candidates;
        long term = 1;

        Election(List<NodeId> candidates) {
            this.candidates = new ArrayList<>(candidates);
        }
    }

    private InMemoryCluster(int size, List<DeviceId> devices) {
        this.devices = List.copyOf(devices);
        for (int i = 1; i <= size; i++) {
            members.add(NodeId.nodeId("n" + i));
        }
        live.addAll(members);
    }

    /**
     * Starts nodes n1..nN with the given store properties, then connects the devices: every
     * store learns its devices' masters as it would from the mastership service.
     */
    public static InMemoryCluster start(int size, List<DeviceId> devices, Map<String, Object> storeProperties) {
        InMemoryCluster c = new InMemoryCluster(size, devices);
        for (NodeId id : c.members) {
            c.nodes.add(c.new Member(id));
        }
        c.nodes.forEach(n -> n.start(storeProperties));
        synchronized (c) {
            for (int i = 0; i < devices.size(); i++) {
                List<NodeId> order = new ArrayList<>();
                for (int k = 0; k < size; k++) {
                    order.add(c.members.get((i + k) % size));
                }
                c.elections.put(devices.get(i), new Election(order));
            }
        }
        devices.forEach(d -> c.announce(d, ReplicaInfoEvent.Type.MASTER_CHANGED));
        return c;
    }

    @Override
    public List<Member> nodes() {
        return nodes;
    }

    /** Returns the bus the nodes' messages travel on, to hold or silence a node's requests. */
    public InMemoryBus bus() {
        return bus;
    }

    /** The mastership every node sees: the first live candidate leads, the other live ones stand by in order. */
    private synchronized MastershipInfo mastershipOf(DeviceId deviceId) {
        Election e = elections.get(deviceId);
        if (e == null) {
            return MastershipInfo.NONE;
        }
        List<NodeId> up = e.candidates.stream().filter(live::contains).toList();
        if (up.isEmpty()) {
            return new MastershipInfo(e.term, Optional.empty(), List.of());
        }
        return MastershipInfo.of(e.term, up.get(0), up.subList(1, up.size()));
    }

    /** Moves a node to the end of a device's line; a master doing so hands the device to its first standby. */
    private void relinquish(NodeId node, DeviceId deviceId) {
        boolean wasMaster;
        synchronized (this) {
            Election e = elections.get(deviceId);
            if (e == null || !e.candidates.contains(node)) {
                return;
            }
            wasMaster = mastershipOf(deviceId).isMaster(node);
            e.candidates.remove(node);
            e.candidates.add(node);
            if (wasMaster) {
                e.term++;
            }
        }
        announce(deviceId, wasMaster ? ReplicaInfoEvent.Type.MASTER_CHANGED : ReplicaInfoEvent.Type.BACKUPS_CHANGED);
    }

    private void crash(NodeId node) {
        Map<DeviceId, ReplicaInfoEvent.Type> changed = new HashMap<>();
        synchronized (this) {
            Map<DeviceId, MastershipInfo> before = new HashMap<>();
            devices.forEach(d -> before.put(d, mastershipOf(d)));
            live.remove(node);
            bus.setDown(node, true);
            for (DeviceId d : devices) {
                MastershipInfo was = before.get(d);
                if (was.isMaster(node)) {
                    elections.get(d).term++;
                    changed.put(d, ReplicaInfoEvent.Type.MASTER_CHANGED);
                } else if (was.backups().contains(node)) {
                    changed.put(d, ReplicaInfoEvent.Type.BACKUPS_CHANGED);
                }
            }
        }
        for (Member m : nodes) {
            if (live.contains(m.id)) {
                m.events.execute(() -> m.clusterListeners.forEach(l -> l.accept(new ClusterEvent(ClusterEvent.Type.NODE_DOWN,
                        node))));
            }
        }
        changed.forEach(this::announce);
    }

    /** Tells every live node's listeners, on its event thread, that a device's replicas changed. */
    private void announce(DeviceId deviceId, ReplicaInfoEvent.Type type) {
        for (Member m : nodes) {
            if (live.contains(m.id)) {
                m.events.execute(() -> {
                    ReplicaInfoEvent event = new ReplicaInfoEvent(type, deviceId, mastershipOf(deviceId));
                    m.replicaListeners.forEach(l -> l.accept(event));
                });
            }
        }
    }

    @Override
    public void close() {
        nodes.forEach(Member::stop);
    }

    /** One node: its views of the cluster, its end of the bus, and its store. */
    public final class Member implements TestCluster.Node {

        private final NodeId id;
        private final DistributedFlowRuleStore store;
        private final InstantDevice device;
        private final ExecutorService events;
        private final List<Consumer<ClusterEvent>> clusterListeners = new CopyOnWriteArrayList<>();
        private final List<Consumer<ReplicaInfoEvent>> replicaListeners = new CopyOnWriteArrayList<>();
        private final Mastership mastership = new Mastership();
        private boolean started;

        Member(NodeId id) {
            this.id = id;
            this.events = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "in-memory-events-" + id);
                t.setDaemon(true);
                return t;
            });
            this.store = new DistributedFlowRuleStore(new Cluster(), bus.endpoint(id), mastership, mastership,
                    new Devices());
            this.device = new InstantDevice(store);
        }

        void start(Map<String, Object> storeProperties) {
            store.activate(storeProperties);
            store.setDelegate(device);
            started = true;
        }

        void stop() {
            if (started) {
                started = false;
                store.deactivate();
            }
            events.shutdownNow();
        }

        @Override
        public NodeId id() {
            return id;
        }

        @Override
        public DistributedFlowRuleStore store() {
            return store;
        }

        @Override
        public MastershipService mastership() {
            return mastership;
        }

        @Override
        public List<FlowRuleBatchEvent> events() {
            return device.events;
        }

        @Override
        public Map<Long, Long> completedAtNanos() {
            return device.completedAtNanos;
        }

        @Override
        public void crash() {
            InMemoryCluster.this.crash(id);
        }

        private boolean up() {
            return live.contains(id);
        }

        /** This node's view of membership: every configured member, the live ones active. */
        private final class Cluster implements ClusterService {

            @Override
            public NodeId getLocalNode() {
                return id;
            }

            @Override
            public Set<NodeId> getNodes() {
                return new LinkedHashSet<>(members);
            }

            @Override
            public List<ClusterMember> getMembers() {
                return addresses(members);
            }

            @Override
            public boolean isActive(NodeId node) {
                return up() && live.contains(node);
            }

            @Override
            public void addListener(Consumer<ClusterEvent> listener) {
                clusterListeners.add(listener);
            }

            @Override
            public void removeListener(Consumer<ClusterEvent> listener) {
                clusterListeners.remove(listener);
            }
        }

        /** This node's view of the mastership, and its replica events. */
        private final class Mastership implements MastershipService, ReplicaInfoService {

            @Override
            public MastershipInfo getMastershipFor(DeviceId deviceId) {
                return mastershipOf(deviceId);
            }

            @Override
            public Set<DeviceId> getDevicesOf(NodeId node) {
                Set<DeviceId> mastered = new LinkedHashSet<>();
                devices.stream().filter(d -> mastershipOf(d).isMaster(node)).forEach(mastered::add);
                return mastered;
            }

            @Override
            public CompletableFuture<Void> relinquishMastership(DeviceId deviceId) {
                relinquish(id, deviceId);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public MastershipInfo getReplicaInfoFor(DeviceId deviceId) {
                return mastershipOf(deviceId);
            }

            @Override
            public void addListener(Consumer<ReplicaInfoEvent> listener) {
                replicaListeners.add(listener);
            }

            @Override
            public void removeListener(Consumer<ReplicaInfoEvent> listener) {
                replicaListeners.remove(listener);
            }
        }

        /** Every device is known to every node. */
        private final class Devices implements DeviceService {

            @Override
            public Set<DeviceId> getDevices() {
                return new LinkedHashSet<>(devices);
            }

            @Override
            public boolean isKnown(DeviceId deviceId) {
                return devices.contains(deviceId);
            }

            @Override
            public void addListener(Consumer<DeviceEvent> listener) {
                // The devices never change here.
            }

            @Override
            public void removeListener(Consumer<DeviceEvent> listener) {
                // The devices never change here.
            }
        }
    }
}
