package org.flowstore.testing;

import static org.flowstore.testing.Conditions.awaitTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.store.cluster.AtomixApplicationIds;
import org.flowstore.store.cluster.AtomixCluster;
import org.flowstore.store.cluster.AtomixMastership;
import org.flowstore.store.cluster.AtomixMessaging;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.cluster.DeviceInventory;
import org.flowstore.store.NodeStack;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * Real Atomix nodes on 127.0.0.1 in this JVM, each with the full service stack and a flow store,
 * all connected to the same devices. Each node's delegate acts as an instant device: it completes
 * every REQUESTED batch at once and records every event it sees.
 */
public final class AtomixTestCluster implements TestCluster {

    private static final int START_ATTEMPTS = 3;

    /** One node: its services and the events its store's delegate received. */
    public static final class Node implements TestCluster.Node {
        public final NodeId id;
        public final AtomixCluster cluster;
        public final AtomixMessaging messaging;
        public final AtomixMastership mastership;
        public final DeviceInventory devices;
        public final AtomixApplicationIds applications;
        public final DistributedFlowRuleStore store;
        public final List<FlowRuleBatchEvent> events;
        /** When each batch this node issued completed ({@link System#nanoTime}). */
        public final Map<Long, Long> completedAtNanos;
        private final NodeStack stack;
        private final InstantDevice device;

        Node(ClusterSettings settings) {
            this.stack = new NodeStack(settings);
            this.id = settings.localNode();
            this.cluster = stack.cluster();
            this.messaging = stack.messaging();
            this.mastership = stack.mastership();
            this.devices = stack.inventory();
            this.applications = stack.applications();
            this.store = stack.store();
            this.device = new InstantDevice(store);
            this.events = device.events;
            this.completedAtNanos = device.completedAtNanos;
        }

        void start(Map<String, Object> storeProperties) {
            stack.start(storeProperties);
            store.setDelegate(device);
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
        public AtomixMastership mastership() {
            return mastership;
        }

        @Override
        public List<FlowRuleBatchEvent> events() {
            return events;
        }

        @Override
        public Map<Long, Long> completedAtNanos() {
            return completedAtNanos;
        }

        @Override
        public void crash() {
            stack.crash();
        }

        void stop() {
            stack.close();
        }
    }

    private final Path dataRoot;
    private final List<Node> nodes = new ArrayList<>();

    private AtomixTestCluster(Path dataRoot) {
        this.dataRoot = dataRoot;
    }

    /**
     * Starts nodes n1..nN (in parallel, as a real cluster boots) and connects every node to the
     * devices; returns once every device has a master seen by every node.
     */
    public static AtomixTestCluster start(int size, List<DeviceId> deviceIds) throws Exception {
        return start(size, deviceIds, Map.of());
    }

    /** As {@link #start(int, List)}, with the given store properties on every node. */
    public static AtomixTestCluster start(int size, List<DeviceId> deviceIds, Map<String, Object> storeProperties)
            throws Exception {
        AtomixTestCluster c = startNodes(size, storeProperties);
        List<CompletableFuture<Void>> claims = new ArrayList<>();
        for (Node n : c.nodes) {
            deviceIds.forEach(d -> claims.add(n.devices.deviceConnected(d)));
        }
        CompletableFuture.allOf(claims.toArray(new CompletableFuture<?>[0])).get();
        c.awaitBalanced(deviceIds);
        return c;
    }

    /**
     * Starts the nodes on fresh ports. A port found free can still be taken before its node binds
     * it (the check and the bind are not atomic); then the whole cluster starts again on other
     * ports, at most {@value #START_ATTEMPTS} times. Any other failure fails at once.
     */
    private static AtomixTestCluster startNodes(int size, Map<String, Object> storeProperties) throws Exception {
        for (int attempt = 1; ; attempt++) {
            AtomixTestCluster c = new AtomixTestCluster(Files.createTempDirectory("flowstore-atomix"));
            List<ClusterMember> members = new ArrayList<>();
            for (int i = 1; i <= size; i++) {
                members.add(new ClusterMember(NodeId.nodeId("n" + i), "127.0.0.1", TestPorts.freePort()));
            }
            for (ClusterMember m : members) {
                c.nodes.add(new Node(ClusterSettings.of(m.id(), members, c.dataRoot.resolve(m.id().id()))));
            }
            Throwable failure = c.startAll(storeProperties);
            if (failure == null) {
                return c;
            }
            c.close();
            boolean portLost = String.valueOf(failure.getMessage()).contains("Address already in use");
            if (!portLost || attempt == START_ATTEMPTS) {
                throw new IllegalStateException("test cluster did not start (attempt " + attempt + "): " + failure.getMessage(),
                        failure);
            }
            System.out.println("test cluster " + members + ": " + failure.getMessage() + "; starting again on other ports");
        }
    }

    /** Starts every node in parallel, as a real cluster boots; returns the first failure, or null. */
    private Throwable startAll(Map<String, Object> storeProperties) throws InterruptedException {
        ExecutorService starter = Executors.newFixedThreadPool(nodes.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            nodes.forEach(n -> started.add(starter.submit(() -> n.start(storeProperties))));
            Throwable failure = null;
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                }
            }
            return failure;
        } finally {
            starter.shutdown();
        }
    }

    /**
     * Waits until every node sees every device mastered by its preferred master, its preferred
     * standby first among the standbys, every other node a standby, and all views agree.
     */
    public void awaitBalanced(List<DeviceId> deviceIds) throws InterruptedException {
        awaitTrue(Duration.ofSeconds(60), () -> deviceIds.stream().allMatch(d -> {
            AtomixMastership mastership = nodes.get(0).mastership;
            var first = mastership.getMastershipFor(d);
            return first.isMaster(mastership.preferredMaster(d))
                    && first.backups().size() == nodes.size() - 1
                    && mastership.preferredStandby(d).map(s -> first.backups().get(0).equals(s)).orElse(true)
                    && nodes.stream().allMatch(n -> n.mastership.getMastershipFor(d).equals(first));
        }));
    }

    @Override
    public List<Node> nodes() {
        return nodes;
    }

    @Override
    public Node node(NodeId id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    @Override
    public void close() throws IOException {
        nodes.parallelStream().forEach(Node::stop);
        try (Stream<Path> files = Files.walk(dataRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
