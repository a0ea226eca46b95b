package org.flowstore.app.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.store.NodeStack;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * Real nodes (Atomix on 127.0.0.1, the production stack) in this JVM for the in-process benchmarks,
 * each connected to the same devices, each store's delegate an instant device: it completes every
 * REQUESTED batch at once, inside the notification. Raft data goes to a temporary folder, deleted
 * on {@link #close}.
 */
final class InProcessCluster implements AutoCloseable {

    private static final long START_SECONDS = 120;

    private final Path data;
    private final List<NodeStack> nodes = new ArrayList<>();

    private InProcessCluster(Path data) {
        this.data = data;
    }

    /**
     * Starts {@code size} nodes b1.. with the given store properties, connects every device to every
     * node and waits until each device has a master.
     *
     * @param size how many nodes
     * @param devices the devices
     * @param storeProperties every store's component properties
     * @return the running cluster
     */
    static InProcessCluster start(int size, List<DeviceId> devices, Map<String, Object> storeProperties)
            throws IOException, InterruptedException {
        InProcessCluster cluster = new InProcessCluster(Files.createTempDirectory("flowstore-bench"));
        try {
            List<ClusterMember> members = new ArrayList<>();
            Set<Integer> ports = new HashSet<>();
            while (ports.size() < size) {
                // Each is free when asked, none bound yet: the kernel may hand the same one out twice.
                ports.add(freePort());
            }
            for (int port : ports) {
                members.add(new ClusterMember(NodeId.nodeId("b" + (members.size() + 1)), "127.0.0.1", port));
            }
            for (ClusterMember m : members) {
                cluster.nodes.add(new NodeStack(ClusterSettings.of(m.id(), members, cluster.data.resolve(m.id().id()))));
            }
            // A Raft group of several members forms only once a majority runs: start them together.
            List<CompletableFuture<Void>> started = new ArrayList<>();
            for (NodeStack node : cluster.nodes) {
                started.add(CompletableFuture.runAsync(() -> {
                    node.start(storeProperties);
                    DistributedFlowRuleStore store = node.store();
                    store.setDelegate(event -> {
                        if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
                            store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                                    CompletedBatchOperation.succeeded(event.deviceId())));
                        }
                    });
                }));
            }
            await(CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)), "start the nodes");
            List<CompletableFuture<Void>> claims = new ArrayList<>();
            for (NodeStack node : cluster.nodes) {
                devices.forEach(d -> claims.add(node.inventory().deviceConnected(d)));
            }
            await(CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new)), "connect the devices");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
            while (!devices.stream().allMatch(d -> cluster.nodes.stream().allMatch(
                    n -> n.mastership().getMastershipFor(d).master().isPresent()))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the devices had no master " + START_SECONDS + " s after they connected");
                }
                Thread.sleep(20);
            }
            return cluster;
        } catch (InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Returns the nodes, b1 first. */
    List<NodeStack> nodes() {
        return nodes;
    }

    /** Returns the node that masters a device. */
    NodeStack masterOf(DeviceId deviceId) {
        NodeId master = nodes.get(0).mastership().getMastershipFor(deviceId).master()
                .orElseThrow(() -> new IllegalStateException(deviceId + " has no master"));
        return nodes.stream().filter(n -> n.localNode().equals(master)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        // Together: a Raft group whose members leave one by one loses its majority, and the last ones
        // wait out their timeouts.
        CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(n::close))
                .toArray(CompletableFuture[]::new)).join();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is harmless.
        }
    }

    private static void await(CompletableFuture<?> future, String what) throws InterruptedException {
        try {
            future.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not " + what + " within " + START_SECONDS + " s");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
