package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.app.cli.ChildJvm;
import org.flowstore.app.cli.NetworkNamespaces;
import org.flowstore.testing.PartitionNodeMain;
import org.flowstore.testing.TestFlows;

/**
 * Three nodes as separate processes, each in a network namespace of its own linked to the others
 * through a bridge, every node writing to every device (sync mode, backupCount 1). In one cluster,
 * one after the other: a master (and standby of other devices) is cut off, a master is frozen,
 * a node that masters nothing is cut off, a link flaps, and a cut-off node is killed and
 * restarted after the heal. During a cut the cut-off node acknowledges nothing; after each fault every
 * acknowledged write is on its device's master and first standby exactly once, the nodes agree
 * on masters and terms, and master and standby copies are identical (nothing for anti-entropy
 * to repair). Skipped where namespaces cannot be created (not root).
 */
@Timeout(600)
class PartitionTest {

    private static final int NODES = 3;
    private static final List<DeviceId> DEVICES = List.of(TestFlows.device(1), TestFlows.device(2), TestFlows.device(3));
    /**
     * From a cut on, the cut-off node cannot acknowledge: in sync mode every acknowledgement needs a
     * standby's answer, which the cut stops. Acknowledgements of answers that had reached the node
     * before the cut may still be counted for as long as the node takes to process them, a GC pause
     * at worst (1 to 2 s seen under load).
     */
    private static final Duration SETTLE = Duration.ofMillis(2_500);
    /** Long enough that the majority finds the cut-off node lost (1 s), takes its devices over and writes on. */
    private static final long CUT_MILLIS = 7_000;

    private NetworkNamespaces net;
    private Path dataRoot;
    private final Map<Integer, Node> nodes = new HashMap<>();

    @AfterEach
    void tearDown() {
        nodes.values().forEach(n -> n.process.destroyForcibly());
        if (net != null) {
            net.close();
        }
    }

    @Test
    void aCutOffNodeAcknowledgesNothingAndNoAcknowledgedWriteIsLostAfterAnyHeal() throws Exception {
        String unavailable = NetworkNamespaces.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, unavailable);
        for (int i = 1; i <= NODES; i++) {
            Files.deleteIfExists(logOf(i)); // appended to by every life of the node within this run
        }
        net = NetworkNamespaces.create(NODES);
        dataRoot = Files.createTempDirectory("flowstore-partition");
        for (int i = 1; i <= NODES; i++) {
            start(i);
        }
        for (Node n : nodes.values()) {
            n.await("READY", Duration.ofSeconds(150));
        }
        awaitAgreement(Duration.ofSeconds(120));

        int master = masterIndex(DEVICES.get(0));
        scenario("master n" + master + " (standby of other devices) cut off 7 s", master, true, () -> {
            net.cut(master);
            Thread.sleep(CUT_MILLIS);
            net.heal(master);
        });

        int frozen = masterIndex(DEVICES.get(1));
        scenario("master n" + frozen + " frozen 5 s (SIGSTOP, SIGCONT)", frozen, false, () -> {
            nodes.get(frozen).signal("STOP");
            Thread.sleep(5_000);
            nodes.get(frozen).signal("CONT");
        });

        // A standby only: the node hands its devices over first (and balancing leaves them there).
        int standby = master % NODES + 1;
        nodes.get(standby).send("YIELD");
        nodes.get(standby).await("YIELDED", Duration.ofSeconds(30));
        awaitAgreement(Duration.ofSeconds(60));
        assertTrue(DEVICES.stream().noneMatch(d -> masterIndexQuietly(d) == standby), "n" + standby + " masters nothing");
        scenario("standby n" + standby + " (master of nothing) cut off 7 s", standby, true, () -> {
            net.cut(standby);
            Thread.sleep(CUT_MILLIS);
            net.heal(standby);
        });

        int flapping = standby % NODES + 1;
        scenario("link of n" + flapping + " flapping 3 x 2 s", flapping, false, () -> {
            for (int i = 0; i < 3; i++) {
                net.cut(flapping);
                Thread.sleep(2_000);
                net.heal(flapping);
                Thread.sleep(2_000);
            }
        });

        int restarted = masterIndex(DEVICES.get(2));
        scenario("n" + restarted + " cut off 6 s, killed while cut off, restarted on its data", restarted, true, () -> {
            net.cut(restarted);
            Thread.sleep(6_000);
            Node old = nodes.get(restarted);
            old.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            net.heal(restarted);
            // Restarted once the survivors have taken its devices over, as an operator restarts a
            // node that crashed. (Started at once, a restarted node's Raft system partition was
            // seen not to find a leader within the 90 s start timeout: see the issue note.)
            awaitAgreement(Duration.ofSeconds(60), nodes.keySet().stream().filter(k -> k != restarted).toList(), 1);
            start(restarted);
            nodes.get(restarted).acked.addAll(old.acked);
            // Its start may meet Atomix's stalled state machine (see StartWatch), which the node gets
            // past by itself: it says so in its log, and starts all the same.
            nodes.get(restarted).await("READY", Duration.ofSeconds(150));
            nodes.get(restarted).send("WRITE");
        });
    }

    /** A fault a scenario injects. */
    private interface Fault {
        void inject() throws Exception;
    }

    /** When a fault began and ended, and whether the node was cut off (acknowledging nothing) all along. */
    private record Window(long from, long to, boolean cutOff) {
    }

    /**
     * Runs a fault while every node writes, waits until the cluster agrees again, and checks
     * that nothing acknowledged was lost (see {@link #verify}).
     */
    private void scenario(String name, int faulty, boolean cutOff, Fault fault) throws Exception {
        nodes.values().forEach(n -> n.send("WRITE"));
        Thread.sleep(2_000);
        long from = System.currentTimeMillis();
        fault.inject();
        Window window = new Window(from, System.currentTimeMillis(), cutOff);
        awaitAgreement(Duration.ofSeconds(120));
        verify(name, faulty, window);
    }

    private int masterIndexQuietly(DeviceId d) {
        try {
            return masterIndex(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void verify(String scenario, int faulty, Window window) throws Exception {
        Thread.sleep(3_000);
        for (Node n : nodes.values()) {
            n.send("STOP");
        }
        for (Node n : nodes.values()) {
            n.await("STOPPED", Duration.ofSeconds(60));
        }
        Thread.sleep(2_500); // two anti-entropy rounds
        Map<Integer, Map<DeviceId, Copy>> dumps = dumpAll();

        Map<DeviceId, Copy> first = dumps.get(1);
        for (int i = 2; i <= NODES; i++) {
            for (DeviceId d : DEVICES) {
                assertEquals(first.get(d).mastership(), dumps.get(i).get(d).mastership(),
                        scenario + ": n1 and n" + i + " agree on the mastership of " + d);
            }
        }
        int ackedFlows = 0;
        for (DeviceId d : DEVICES) {
            Copy view = first.get(d);
            int master = Integer.parseInt(view.master().substring(1));
            Copy onMaster = dumps.get(master).get(d);
            assertEquals(onMaster.count(), onMaster.walked(), scenario + ": count of " + d + " on its master");
            assertEquals(onMaster.count(), onMaster.ids().size(), scenario + ": each flow of " + d + " once");
            Set<String> acked = ackedIds(d);
            ackedFlows += acked.size();
            Set<String> missing = new HashSet<>(acked);
            missing.removeAll(onMaster.ids());
            assertEquals(Set.of(), missing, scenario + ": acknowledged flows of " + d + " missing on master n" + master);
            String standby = view.backups().isEmpty() ? null : view.backups().get(0);
            assertTrue(standby != null, scenario + ": " + d + " has a standby");
            Copy onStandby = dumps.get(Integer.parseInt(standby.substring(1))).get(d);
            assertEquals(onMaster.version() + " " + onMaster.digest(), onStandby.version() + " " + onStandby.digest(),
                    scenario + ": standby " + standby + " of " + d + " holds the master's copy");
            assertEquals(onStandby.count(), onStandby.walked(), scenario + ": count of " + d + " on standby " + standby);
        }
        Node f = nodes.get(faulty);
        long ackedWhileCut = window.cutOff() ? f.ackTimes().stream()
                .filter(t -> t > window.from() + SETTLE.toMillis() && t < window.to()).count() : 0;
        long refusedDuring = nodes.values().stream().mapToLong(n -> n.nackTimes().stream()
                .filter(t -> t >= window.from() && t <= window.to()).count()).sum();
        long ackedDuring = nodes.values().stream().mapToLong(n -> n.ackTimes().stream()
                .filter(t -> t >= window.from() && t <= window.to()).count()).sum();
        List<String> unavailable = new ArrayList<>();
        for (DeviceId d : DEVICES) {
            unavailable.add(d + "=" + longestGap(d, window) + "ms");
        }
        long lastAckAfterStart = f.ackTimes().stream().filter(t -> t >= window.from() && t <= window.to())
                .mapToLong(t -> t - window.from()).max().orElse(-1);
        System.out.printf("partition %s: %d acknowledged flows all present; during the fault %d batches acknowledged,"
                + " %d refused, %d acknowledged by n%d while cut off (its last ack %d ms after the fault began);"
                + " longest gap without an acknowledged write %s%n", scenario, ackedFlows, ackedDuring, refusedDuring,
                ackedWhileCut, faulty, lastAckAfterStart, unavailable);
        assertEquals(0, ackedWhileCut, scenario + ": batches acknowledged by the cut-off node n" + faulty);
        assertEquals(0, nodes.values().stream().mapToInt(n -> n.repairs.get()).sum(),
                scenario + ": anti-entropy repairs (see target/partition-n*.log)");
    }

    /** The longest time, within the fault and up to 30 s after it, between two acknowledged batches of a device. */
    private long longestGap(DeviceId d, Window window) {
        List<Long> times = nodes.values().stream().flatMap(n -> n.acked.stream())
                .filter(a -> a.device().equals(d) && a.millis() >= window.from() - 1_000 && a.millis() <= window.to() + 30_000)
                .map(Ack::millis).sorted().toList();
        long gap = 0;
        for (int i = 1; i < times.size(); i++) {
            gap = Math.max(gap, times.get(i) - times.get(i - 1));
        }
        return gap;
    }

    private Set<String> ackedIds(DeviceId d) {
        Set<String> ids = new HashSet<>();
        for (Node n : nodes.values()) {
            for (Ack a : n.acked) {
                if (a.device().equals(d)) {
                    for (FlowRule r : PartitionNodeMain.rules(d, a.batch())) {
                        ids.add(Long.toHexString(r.id().value()));
                    }
                }
            }
        }
        return ids;
    }

    private int masterIndex(DeviceId d) throws Exception {
        return Integer.parseInt(dumpAll().get(1).get(d).master().substring(1));
    }

    /** Waits until every node is up, every device has a master and two standbys, and all nodes agree. */
    private void awaitAgreement(Duration timeout) throws Exception {
        awaitAgreement(timeout, List.copyOf(nodes.keySet()), NODES - 1);
    }

    /** Waits until some nodes agree on every device's master and standbys, a master among them and that many standbys. */
    private void awaitAgreement(Duration timeout, List<Integer> among, int standbys) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Map<Integer, Map<DeviceId, Copy>> dumps = new HashMap<>();
            for (int i : among) {
                dumps.put(i, nodes.get(i).dump());
            }
            Set<String> views = dumps.values().stream().map(m -> DEVICES.stream().map(d -> m.get(d).mastership())
                    .collect(Collectors.joining(";"))).collect(Collectors.toSet());
            last = views.toString();
            if (views.size() == 1 && dumps.get(among.get(0)).values().stream()
                    .allMatch(c -> among.contains(index(c.master())) && c.backups().size() == standbys)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("nodes " + among + " did not agree on masters within " + timeout.toSeconds() + " s: "
                + last);
    }

    private static int index(String node) {
        return node.startsWith("n") ? Integer.parseInt(node.substring(1)) : -1;
    }

    private Map<Integer, Map<DeviceId, Copy>> dumpAll() throws Exception {
        Map<Integer, Map<DeviceId, Copy>> all = new HashMap<>();
        for (Map.Entry<Integer, Node> e : nodes.entrySet()) {
            all.put(e.getKey(), e.getValue().dump());
        }
        return all;
    }

    private void start(int i) throws IOException {
        String members = java.util.stream.IntStream.rangeClosed(1, NODES)
                .mapToObj(k -> "n" + k + "@" + NetworkNamespaces.address(k) + ":9876").collect(Collectors.joining(","));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> java = new ArrayList<>(ChildJvm.command("-Xmx384m"));
        java.addAll(List.of("-cp", classpath, PartitionNodeMain.class.getName(), "n" + i, members,
                dataRoot.resolve("n" + i).toString(), String.valueOf(DEVICES.size()),
                // Each start its own range of batch ids, so restarts never reuse one.
                String.valueOf(i * 10_000_000L + nodes.size() * 1_000_000L + System.nanoTime() % 1_000 * 1_000),
                "antiEntropyPeriod=1000"));
        Process process = new ProcessBuilder(net.inside(i, java)).redirectErrorStream(true).start();
        Node node = new Node(i, process, logOf(i));
        nodes.put(i, node);
    }

    private static Path logOf(int i) {
        return Path.of("target", "partition-n" + i + ".log");
    }

    /** One acknowledged batch. */
    private record Ack(long batch, DeviceId device, long millis) {
    }

    /** A node's view and copy of a device, from its DUMP. */
    private record Copy(String master, String term, List<String> backups, String version, String digest, int count,
                        int walked, Set<String> ids) {

        String mastership() {
            return master + "@" + term + backups;
        }

        static Copy parse(String line) {
            Map<String, String> f = new HashMap<>();
            for (String part : line.split(" ")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    f.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            String b = f.get("backups").replace("[", "").replace("]", "");
            String ids = f.getOrDefault("ids", "");
            return new Copy(f.get("master"), f.get("term"), b.isEmpty() ? List.of() : List.of(b.split(",")),
                    f.getOrDefault("version", "none"), f.getOrDefault("digest", "0"),
                    Integer.parseInt(f.getOrDefault("count", "0")), Integer.parseInt(f.getOrDefault("walked", "0")),
                    ids.isEmpty() ? Set.of() : Set.of(ids.split(",")));
        }
    }

    /** A node process: commands in, lines out (kept in a log under target/). */
    private static final class Node {
        final int index;
        final Process process;
        final Path log;
        final PrintWriter in;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        final List<Ack> acked = new CopyOnWriteArrayList<>();
        final List<Long> nacks = new CopyOnWriteArrayList<>();
        /** Anti-entropy repairs this node made as a master (a log line each). */
        final AtomicInteger repairs = new AtomicInteger();

        Node(int index, Process process, Path log) throws IOException {
            this.index = index;
            this.process = process;
            this.log = log;
            OutputStream stdin = process.getOutputStream();
            this.in = new PrintWriter(stdin, true, StandardCharsets.UTF_8);
            PrintWriter logWriter = new PrintWriter(Files.newBufferedWriter(log, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND), true);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        logWriter.println(line);
                        if (line.startsWith("ACK ")) {
                            String[] p = line.split(" ");
                            acked.add(new Ack(Long.parseLong(p[1]), DeviceId.deviceId(p[2]), Long.parseLong(p[3])));
                        } else if (line.contains("differs from master")) {
                            repairs.incrementAndGet();
                        } else if (line.startsWith("NACK ")) {
                            nacks.add(Long.parseLong(line.split(" ")[3]));
                        } else if (line.startsWith("READY") || line.startsWith("STOPPED") || line.startsWith("YIELDED") || line.startsWith("COPY")
                                || line.equals("END")) {
                            replies.add(line);
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                } finally {
                    logWriter.close();
                }
            }, "partition-n" + index);
            reader.setDaemon(true);
            reader.start();
        }

        void send(String command) {
            in.println(command);
        }

        /** Sends a signal to the node's JVM (ip netns exec replaces itself with the JVM: same pid). */
        void signal(String signal) throws IOException, InterruptedException {
            String comm = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "comm")).trim();
            assertEquals("java", comm, "process of n" + index);
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -" + signal + " n" + index);
        }

        String await(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = replies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("n" + index + " did not say " + prefix + " within " + timeout.toSeconds()
                            + " s; the end of target/partition-n" + index + ".log:\n" + logTail());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }

        /** The node's last log lines other than acknowledgements, for a failure message (CI keeps no files). */
        private String logTail() {
            try (Stream<String> lines = Files.lines(log)) {
                List<String> kept = lines.filter(l -> !l.startsWith("ACK ") && !l.startsWith("NACK ")).toList();
                return String.join("\n", kept.subList(Math.max(0, kept.size() - 60), kept.size()));
            } catch (IOException | UncheckedIOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        Map<DeviceId, Copy> dump() throws InterruptedException {
            replies.clear();
            send("DUMP");
            Map<DeviceId, Copy> copies = new HashMap<>();
            while (true) {
                String line = await("", Duration.ofSeconds(30));
                if (line.equals("END")) {
                    return copies;
                }
                if (line.startsWith("COPY ")) {
                    copies.put(DeviceId.deviceId(line.split(" ")[1]), Copy.parse(line));
                }
            }
        }

        List<Long> ackTimes() {
            return acked.stream().map(Ack::millis).toList();
        }

        List<Long> nackTimes() {
            return nacks;
        }
    }
}
