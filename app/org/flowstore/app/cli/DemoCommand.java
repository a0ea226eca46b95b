package org.flowstore.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>With {@code --switches ovs} the devices are Open vSwitch bridges ({@link LocalSwitches}, each
 * connected to every node over OpenFlow 1.3) instead of simulated ones; the demo also reports when
 * every flow was in the bridges' tables and when the killed master's bridge took the new master's
 * first flow-mod, and its last line adds {@code switch_flows=S}: the demo's flows found in the
 * bridges' tables after the failover and reconciliation (exit status 0 only when S equals N too).
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

    @Option(names = "--switches", defaultValue = "sim", description = "sim: simulated devices; ovs: Open vSwitch"
            + " bridges br1..brN (needs openvswitch-switch installed) (default ${DEFAULT-VALUE})")
    String switches;

    @Option(names = "--openflow-port-base", defaultValue = "6653", hidden = true)
    int openflowBase;

    @Mixin
    RunOptions run;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || devices < 1 || flows < 1 || batch < 1 || parallel < 1) {
            System.err.println("flowstore demo: needs --nodes >= 2 and positive --devices, --flows, --batch, --parallel");
            return 2;
        }
        boolean ovs = switches.equals("ovs");
        if (!ovs && !switches.equals("sim")) {
            System.err.println("flowstore demo: --switches is sim or ovs, not '" + switches + "'");
            return 2;
        }
        if (ovs && LocalSwitches.unavailableReason().isPresent()) {
            System.err.println("flowstore demo: " + LocalSwitches.unavailableReason().get());
            return 2;
        }
        LocalCluster cluster = new LocalCluster(run.runDir.resolve("demo"), run.restBase, run.clusterBase);
        AtomicReference<LocalSwitches> bridges = new AtomicReference<>();
        ClusterShutdown shutdown = new ClusterShutdown(cluster, out, "demo", () -> {
            if (bridges.get() != null) {
                bridges.get().close();
                out.println("  Open vSwitch stopped");
            }
        });
        long lost = flows;
        long failoverMillis = -1;
        long switchFlows = -1;
        boolean allAdded = false;
        try {
            long t0 = System.nanoTime();
            List<LocalCluster.Node> started;
            if (ovs) {
                bridges.set(startSwitches());
                out.printf("demo: starting %d nodes on 127.0.0.1, OpenFlow on ports %d..%d (logs in %s)%n", nodes,
                        openflowBase, openflowBase + nodes - 1, run.runDir.resolve("demo").resolve("logs"));
                started = cluster.startWithSwitches(nodes, devices, openflowBase,
                        List.of(), out);
            } else {
                out.printf("demo: starting %d nodes with %d simulated devices on 127.0.0.1 (logs in %s)%n", nodes,
                        devices, run.runDir.resolve("demo").resolve("logs"));
                started = cluster.start(nodes, devices, List.of("-P", "statsPeriod=500"), out);
            }
            out.printf("cluster ready in %.1f s%n", seconds(t0));

            Map<String, RestClient> clients = new HashMap<>();
            started.forEach(n -> clients.put(n.id(), new RestClient(n.rest(), Duration.ofSeconds(60))));
            long t1 = System.nanoTime();
            Map<String, Set<String>> expected = write(started.stream().map(n -> clients.get(n.id())).toList());
            out.printf("wrote %,d flows in %.1f s (%,.0f flows/s, every write forwarded to its master and backed up"
                    + " synchronously)%n", flows, seconds(t1), flows / seconds(t1));
            if (ovs) {
                awaitInBridges(bridges.get());
                out.printf("all %,d flows in the bridges' tables %.1f s after the first write (%,.0f flow-mods/s"
                        + " from REST to the switches)%n", flows, seconds(t1), flows / seconds(t1));
            }

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
            if (ovs) {
                long inBridge = awaitProbeInBridge(bridges.get(), survivorClient, busiest, killedAt);
                out.printf("the bridge of %s held the new master's first flow-mod (the probe) %d ms after the kill%n",
                        busiest, inBridge);
            }

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
            if (ovs) {
                switchFlows = awaitSwitchFlows(bridges.get(), expected);
                out.printf("bridges: %,d of the %,d flows in their tables after the failover and reconciliation%n",
                        switchFlows, flows);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("demo failed: " + e.getMessage());
        } finally {
            shutdown.close();
        }
        if (ovs) {
            out.printf("demo: flows=%d lost=%d failover_ms=%d switch_flows=%d%n", flows, lost, failoverMillis,
                    switchFlows);
            return lost == 0 && allAdded && switchFlows == flows ? 0 : 1;
        }
        out.printf("demo: flows=%d lost=%d failover_ms=%d%n", flows, lost, failoverMillis);
        return lost == 0 && allAdded ? 0 : 1;
    }

    /** Starts Open vSwitch with bridges br1..brN, each connected to every node's OpenFlow port. */
    private LocalSwitches startSwitches() throws IOException {
        Path dir = run.runDir.resolve("demo").resolve("ovs");
        LocalSwitches ovs = LocalSwitches.start(dir);
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                ports.add(openflowBase + i);
            }
            for (int i = 1; i <= devices; i++) {
                ovs.addBridge(i, ports);
            }
        } catch (IOException | RuntimeException e) {
            ovs.close();
            throw e;
        }
        out.printf("Open vSwitch started in %s: bridges br1..br%d (dummy user-space datapath, OpenFlow 1.3)%n", dir,
                devices);
        return ovs;
    }

    /** Waits until the bridges hold every demo flow (their flow counts, read cheaply). */
    private void awaitInBridges(LocalSwitches ovs) throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (true) {
            long total = 0;
            for (String bridge : ovs.bridges()) {
                total += ovs.flowCount(bridge);
            }
            if (total >= flows) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + total + " of " + flows + " flows in the bridges after "
                        + PHASE_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the device's bridge holds a probe flow written after the kill; returns ms since the kill. */
    private long awaitProbeInBridge(LocalSwitches ovs, RestClient survivor, String deviceId, long killedAt)
            throws Exception {
        String bridge = "br" + Long.parseLong(deviceId.substring(deviceId.indexOf(':') + 1), 16);
        Set<Long> probes = new HashSet<>();
        for (JsonNode f : survivor.getOk("/onos/v1/flows/application/" + PROBE_APP).path("flows")) {
            if (deviceId.equals(f.path("deviceId").asText())) {
                probes.add(Long.parseLong(f.path("id").asText()));
            }
        }
        if (probes.isEmpty()) {
            throw new IOException(deviceId + " holds no probe flow");
        }
        // A flow id's top 16 bits are its application's id: the switch dumps just the probes.
        int probeApp = (int) (probes.iterator().next() >>> 48);
        long deadline = killedAt + PHASE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ovs.cookies(bridge, probeApp).stream().anyMatch(probes::contains)) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            }
            Thread.sleep(5);
        }
        throw new IOException(bridge + " held no probe flow within " + PHASE_TIMEOUT.toSeconds() + " s of the kill");
    }

    /** Counts the demo's flows in the bridges' tables, waiting (up to the phase timeout) until all are there. */
    private long awaitSwitchFlows(LocalSwitches ovs, Map<String, Set<String>> expected) throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (true) {
            long found = 0;
            for (Map.Entry<String, Set<String>> device : expected.entrySet()) {
                String id = device.getKey();
                Set<Long> cookies = new HashSet<>(ovs.cookies("br" + Long.parseLong(id.substring(id.indexOf(':') + 1),
                        16)));
                found += device.getValue().stream().filter(f -> cookies.contains(Long.parseLong(f))).count();
            }
            if (found >= flows || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(500);
        }
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

    /** How often {@link #postWithRetry} posts a body before it gives up. */
    static final int POST_ATTEMPTS = 8;

    /**
     * Posts flows and returns the reply once every flow is stored, asking again, as a client
     * would, while the node answers 503 or the reply lists failed flows: right after a start a
     * master that does not see its standby yet refuses them ({@code not enough replicas}), and so
     * does one whose mastership moves meanwhile; they are not acknowledged, and the same flow posted
     * again is the same entry. Up to {@value #POST_ATTEMPTS} times, with a growing pause (14 s in all).
     *
     * @throws IOException on any other answer, or when flows still fail at the last attempt
     */
    static JsonNode postWithRetry(RestClient client, String path, JsonNode body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            RestClient.Reply reply = client.post(path, body);
            if (reply.ok() && !reply.body().has("failed")) {
                return reply.body();
            }
            if (!reply.ok() && reply.status() != 503) {
                throw new IOException("POST " + path + " on " + client.base() + ": " + reply.message());
            }
            if (attempt == POST_ATTEMPTS) {
                throw new IOException("POST " + path + " on " + client.base() + ", " + attempt + " times: "
                        + (reply.ok() ? reply.body().path("failed").size() + " flows failed (first: "
                        + reply.body().path("failed").get(0) + "; the nodes' logs say why)" : reply.message()));
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
