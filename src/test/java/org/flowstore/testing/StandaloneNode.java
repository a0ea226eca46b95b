package org.flowstore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flowstore.api.NodeId;
import org.flowstore.app.FlowNode;
import org.flowstore.app.device.SimulatedDevicesConfig;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.store.cluster.ClusterSettings;

/**
 * A one-member cluster on real Atomix running the standalone node (store, manager, simulated
 * devices, REST on a free port), with a small HTTP client for its API.
 */
public final class StandaloneNode implements AutoCloseable {

    private final FlowNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    private StandaloneNode(FlowNode node) {
        this.node = node;
    }

    /**
     * Starts the node.
     *
     * @param devices simulated devices
     * @param tableCapacity flows each device holds
     * @param statsPeriod time between statistics polls
     * @param maxBodyBytes REST body limit
     * @return the running node
     */
    public static StandaloneNode start(int devices, int tableCapacity, Duration statsPeriod, long maxBodyBytes)
            throws IOException {
        NodeId id = NodeId.nodeId("s1");
        Path data = Files.createTempDirectory("flowstore-standalone");
        ClusterSettings cluster = ClusterSettings.of(id, List.of(new ClusterMember(id, "127.0.0.1", TestPorts.freePort())), data);
        FlowNode node = new FlowNode(new FlowNode.Settings(cluster, Map.of(), Map.of(),
                deviceProperties(devices, tableCapacity, statsPeriod), Map.of(), 0, maxBodyBytes, Duration.ofSeconds(20),
                false));
        node.start();
        return new StandaloneNode(node);
    }

    /**
     * Starts nodes s1..s{size} as one cluster on real Atomix, in parallel as a cluster boots, each
     * connected to the same simulated devices.
     *
     * @param size how many nodes
     * @param devices simulated devices
     * @param tableCapacity flows each device holds
     * @return the running nodes, s1 first
     */
    public static List<StandaloneNode> cluster(int size, int devices, int tableCapacity) throws Exception {
        Path data = Files.createTempDirectory("flowstore-standalone");
        List<ClusterMember> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new ClusterMember(NodeId.nodeId("s" + i), "127.0.0.1", TestPorts.freePort()));
        }
        List<FlowNode> nodes = new ArrayList<>();
        for (ClusterMember m : members) {
            nodes.add(new FlowNode(new FlowNode.Settings(ClusterSettings.of(m.id(), members, data.resolve(m.id().id())),
                    Map.of(), Map.of(), deviceProperties(devices, tableCapacity, Duration.ofSeconds(1)), Map.of(), 0, 1 << 20,
                    Duration.ofSeconds(20), false)));
        }
        ExecutorService starter = Executors.newFixedThreadPool(size);
        try {
            List<Future<?>> started = new ArrayList<>();
            nodes.forEach(n -> started.add(starter.submit(n::start)));
            for (Future<?> f : started) {
                f.get();
            }
        } catch (ExecutionException e) {
            nodes.forEach(FlowNode::close);
            throw e;
        } finally {
            starter.shutdown();
        }
        return nodes.stream().map(StandaloneNode::new).toList();
    }

    private static Map<String, Object> deviceProperties(int devices, int tableCapacity, Duration statsPeriod) {
        return Map.of(SimulatedDevicesConfig.COUNT, devices, SimulatedDevicesConfig.TABLE_CAPACITY, tableCapacity,
                SimulatedDevicesConfig.ACK_LATENCY, 1, SimulatedDevicesConfig.STATS_PERIOD, (int) statsPeriod.toMillis());
    }

    public FlowNode node() {
        return node;
    }

    /** An HTTP answer: status, body text, Location header (or null). */
    public record Answer(int status, String body, String location) {
    }

    /** Sends a request to {@code /onos/v1<path>}; body may be null. */
    public Answer call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.restPort()
                + "/onos/v1" + path)).timeout(Duration.ofSeconds(30));
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
