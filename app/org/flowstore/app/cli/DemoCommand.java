package org.flowstore.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flowstore demo}: a 3-process cluster on 127.0.0.1 with simulated devices; writes flows
 * through REST batches, waits until the devices confirmed them all (ADDED), kills the master of
 * the busiest device with SIGKILL, measures how long until its device takes writes again, and
 * checks through a surviving node that every flow is still there and ADDED. Stops everything it
 * started, also on Ctrl-C or failure. Last line: {@code demo: flows=N lost=L failover_ms=T}; exit
 * status 0 only when nothing was lost (and every flow is ADDED again).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a 3-node cluster, write flows, kill a master, check nothing was lost, stop.")
final class DemoCommand implements Callable<Integer> {

    static final String APP = "org.flowstore.demo";
    private static final String PROBE_APP = "org.flowstore.demo.probe";
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);
    /** Per device: master, flowRuleCount and counts by state. */
    private static final String COUNTS = "/onos/v1/statistics/flows/count";

    @Option(names = "--flows", defaultValue = "100000", description = "Flows to write (default ${DEFAULT-VALUE})")
    int flows;

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--devices", defaultValue = "8", description = "Simulated devices (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--batch", defaultValue = "1000", description = "Flows per REST request (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--parallel", defaultValue = "4", description = "REST requests in flight (default ${DEFAULT-VALUE})")
    int parallel;

    @Mixin
    RunOptions run;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || devices < 1 || flows < 1 || batch < 1 || parallel < 1) {
            System.err.println("flowstore demo: needs --nodes >= 2 and positive --devices, --flows, --batch, --parallel");
            return 2;
        }
        LocalCluster cluster = new LocalCluster(run.runDir.resolve("demo"), run.restBase, run.clusterBase);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stopAll = () -> {
            if (stopped.compareAndSet(false, true)) {
                try {
                    out.println("stopping the cluster");
                    cluster.stop(out);
                } catch (IOException e) {
                    System.err.println("demo: could not stop every node: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Thread hook = new Thread(stopAll, "flowstore-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long lost = flows;
        long failoverMillis = -1;
        boolean allAdded = false;
        try {
            long t0 = System.nanoTime();
            out.printf("demo: starting %d nodes with %d simulated devices on 127.0.0.1 (logs in %s)%n", nodes, devices,
                    run.runDir.resolve("demo").resolve("logs"));
            List<LocalCluster.Node> started = cluster.start(nodes, devices, List.of("-P", "statsPeriod=500"), out);
            out.printf("cluster ready in %.1f s%n", seconds(t0));

            Map<String, RestClient> clients = new HashMap<>();
            started.forEach(n -> clients.put(n.id(), new RestClient(n.rest(), Duration.ofSeconds(60))));
            long t1 = System.nanoTime();
            Map<String, Set<String>> expected = write(started.stream().map(n -> clients.get(n.id())).toList());
            out.printf("wrote %,d flows in %.1f s (%,.0f flows/s, every write forwarded to its master and backed up"
                    + " synchronously)%n", flows, seconds(t1), flows / seconds(t1));

            long t2 = System.nanoTime();
            RestClient first = clients.get(started.get(0).id());
            awaitAdded(first);
            out.printf("all %,d flows ADDED on their devices %.1f s later%n", flows, seconds(t2));
            JsonNode counts = first.getOk(COUNTS);
            Map<String, String> masters = printMastership(counts, started);

            String busiest = busiestDevice(counts);
            String victimId = masters.get(busiest);
            LocalCluster.Node victim = started.stream().filter(n -> n.id().equals(victimId)).findFirst().orElseThrow();
            LocalCluster.Node survivor = started.stream().filter(n -> n != victim).findFirst().orElseThrow();
            out.printf("killing %s (pid %d), master of the busiest device %s, with SIGKILL%n", victim.id(),
                    victim.pid(), busiest);
            long killedAt = System.nanoTime();
            LocalCluster.kill(victim);
            RestClient survivorClient = clients.get(survivor.id());
            failoverMillis = awaitWritable(survivorClient, busiest, killedAt);
            out.printf("%s took writes again %d ms after the kill (measured with a probe flow of app %s)%n",
                    busiest, failoverMillis, PROBE_APP);

            Verification v = verify(survivorClient, expected);
            lost = v.missing();
            allAdded = v.notAdded() == 0;
            printMastership(survivorClient.getOk(COUNTS), started.stream().filter(n -> n != victim).toList());
            out.printf("summary: %,d flows written, %,d present on the survivors (%,d not ADDED), %,d lost;"
                    + " failover %d ms; total %.1f s%n", flows, flows - v.missing(), v.notAdded(), v.missing(),
                    failoverMillis, seconds(t0));
            if (!allAdded) {
                out.printf("demo: %,d flows were present but not ADDED again within %d s%n", v.notAdded(),
                        PHASE_TIMEOUT.toSeconds());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("demo failed: " + e.getMessage());
        } finally {
            stopAll.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down (Ctrl-C): the hook is running.
            }
        }
        out.printf("demo: flows=%d lost=%d failover_ms=%d%n", flows, lost, failoverMillis);
        return lost == 0 && allAdded ? 0 : 1;
    }

    /** Writes the flows in REST batches spread over the nodes; returns the flow ids per device. */
    private Map<String, Set<String>> write(List<RestClient> nodes) throws Exception {
        List<String> deviceIds = LocalCluster.deviceIds(devices);
        Map<String, Set<String>> expected = new ConcurrentHashMap<>();
        deviceIds.forEach(d -> expected.put(d, ConcurrentHashMap.newKeySet()));
        AtomicLong written = new AtomicLong();
        Progress progress = new Progress(out, flows);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (int from = 0, k = 0; from < flows; from += batch, k++) {
                int start = from;
                int end = Math.min(flows, from + batch);
                RestClient client = nodes.get(k % nodes.size());
                requests.add(pool.submit(() -> {
                    ObjectNode body = RestClient.MAPPER.createObjectNode();
                    ArrayNode list = body.putArray("flows");
                    for (int i = start; i < end; i++) {
                        list.add(flow(deviceIds.get(i % deviceIds.size()), i));
                    }
                    JsonNode reply = postWithRetry(client, "/onos/v1/flows?appId=" + APP, body);
                    for (JsonNode f : reply.path("flows")) {
                        expected.get(f.path("deviceId").asText()).add(f.path("flowId").asText());
                    }
                    if (reply.has("failed")) {
                        throw new IOException(reply.path("failed").size() + " flows failed on " + client.base());
                    }
                    progress.update(written.addAndGet(end - start));
                    return null;
                }));
            }
            for (Future<?> f : requests) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            progress.done();
        }
        return expected;
    }

    /** Posts a body, asking again (up to 5 times, with a growing pause) while the node answers 503. */
    static JsonNode postWithRetry(RestClient client, String path, JsonNode body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            RestClient.Reply reply = client.post(path, body);
            if (reply.ok()) {
                return reply.body();
            }
            if (reply.status() != 503 || attempt == 5) {
                throw new IOException("POST " + path + " on " + client.base() + ": " + reply.message());
            }
            Thread.sleep(500L * attempt);
        }
    }

    /** One demo flow: in_port, IPv4, a /32 destination and an output port, all from its index. */
    static ObjectNode flow(String deviceId, int i) {
        ObjectNode f = RestClient.MAPPER.createObjectNode();
        f.put("priority", 40000).put("isPermanent", true).put("deviceId", deviceId);
        ArrayNode criteria = f.putObject("selector").putArray("criteria");
        criteria.addObject().put("type", "IN_PORT").put("port", i % 48 + 1);
        criteria.addObject().put("type", "ETH_TYPE").put("ethType", "0x800");
        criteria.addObject().put("type", "IPV4_DST").put("ip", "10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "."
                + (i & 0xFF) + "/32");
        f.putObject("treatment").putArray("instructions").addObject().put("type", "OUTPUT")
                .put("port", String.valueOf((i + 1) % 48 + 1));
        return f;
    }

    private void awaitAdded(RestClient client) throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (true) {
            long added = 0;
            for (JsonNode d : client.getOk(COUNTS).path("devices")) {
                added += d.path("states").path("ADDED").asLong();
            }
            if (added >= flows) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + added + " of " + flows + " flows ADDED after " + PHASE_TIMEOUT.toSeconds()
                        + " s");
            }
            Thread.sleep(200);
        }
    }

    /** Prints which node masters which devices and how many flows those hold; returns device to master. */
    private Map<String, String> printMastership(JsonNode counts, List<LocalCluster.Node> alive) {
        Map<String, String> masters = new HashMap<>();
        Map<String, List<String>> byNode = new HashMap<>();
        Map<String, Long> flowsByNode = new HashMap<>();
        for (JsonNode d : counts.path("devices")) {
            String master = d.path("master").asText("none");
            masters.put(d.path("deviceId").asText(), master);
            byNode.computeIfAbsent(master, m -> new ArrayList<>()).add(d.path("deviceId").asText());
            flowsByNode.merge(master, d.path("flowRuleCount").asLong(), Long::sum);
        }
        out.println("mastership:");
        for (LocalCluster.Node n : alive) {
            List<String> owned = byNode.getOrDefault(n.id(), List.of());
            out.printf("  %s: master of %d devices %s, %,d flows%n", n.id(), owned.size(), owned,
                    flowsByNode.getOrDefault(n.id(), 0L));
        }
        return masters;
    }

    private static String busiestDevice(JsonNode counts) throws IOException {
        String busiest = null;
        long most = -1;
        for (JsonNode d : counts.path("devices")) {
            if (d.path("flowRuleCount").asLong() > most) {
                most = d.path("flowRuleCount").asLong();
                busiest = d.path("deviceId").asText();
            }
        }
        if (busiest == null) {
            throw new IOException("no device has flows");
        }
        return busiest;
    }

    /** Writes probe flows to the device through a survivor until one is accepted; returns ms since the kill. */
    private static long awaitWritable(RestClient survivor, String deviceId, long killedAt) throws Exception {
        long deadline = killedAt + PHASE_TIMEOUT.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            try {
                RestClient.Reply reply = survivor.post("/onos/v1/flows/" + deviceId + "?appId=" + PROBE_APP,
                        flow(deviceId, 1_000_000 + i));
                if (reply.status() == 201) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                }
            } catch (IOException e) {
                // The survivor is busy with the failover; try again.
            }
            Thread.sleep(20);
        }
        throw new IOException(deviceId + " took no write within " + PHASE_TIMEOUT.toSeconds() + " s of the kill");
    }

    private record Verification(long missing, long notAdded) {
    }

    /** Reads every device's flows through a survivor until all are present and ADDED, or the deadline. */
    private Verification verify(RestClient survivor, Map<String, Set<String>> expected) throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (true) {
            Verification v = check(survivor, expected);
            if (v != null && v.missing() == 0 && v.notAdded() == 0) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                if (v == null) {
                    throw new IOException("the survivors did not serve every device's flows within "
                            + PHASE_TIMEOUT.toSeconds() + " s");
                }
                return v;
            }
            Thread.sleep(250);
        }
    }

    /** Counts the expected flows missing and not ADDED; null when some device could not be read. */
    private static Verification check(RestClient survivor, Map<String, Set<String>> expected) throws Exception {
        long missing = 0;
        long notAdded = 0;
        for (Map.Entry<String, Set<String>> device : expected.entrySet()) {
            RestClient.Reply reply = survivor.get("/onos/v1/flows/" + device.getKey());
            if (!reply.ok()) {
                return null;
            }
            Set<String> present = new HashSet<>();
            for (JsonNode f : reply.body().path("flows")) {
                if (APP.equals(f.path("appId").asText())) {
                    present.add(f.path("id").asText());
                    notAdded += "ADDED".equals(f.path("state").asText()) ? 0 : 1;
                }
            }
            missing += device.getValue().stream().filter(id -> !present.contains(id)).count();
        }
        return new Verification(missing, notAdded);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** A progress bar on a terminal, a line per tenth otherwise. */
    private static final class Progress {
        private final PrintStream out;
        private final long total;
        private final boolean terminal = System.console() != null;
        private long lastTenth = -1;

        Progress(PrintStream out, long total) {
            this.out = out;
            this.total = total;
        }

        synchronized void update(long done) {
            int width = 40;
            int filled = (int) (width * done / total);
            if (terminal) {
                out.printf("\r  writing [%s%s] %,d/%,d flows", "#".repeat(filled), "-".repeat(width - filled), done, total);
            } else if (done * 10 / total > lastTenth) {
                lastTenth = done * 10 / total;
                out.printf("  writing [%s%s] %,d/%,d flows%n", "#".repeat(filled), "-".repeat(width - filled), done,
                        total);
            }
        }

        synchronized void done() {
            if (terminal) {
                out.println();
            }
        }
    }
}
