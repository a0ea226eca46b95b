package org.flowstore.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Fault injection on a local 3-node cluster under continuous synchronous writes: each round one
 * fault (kill -9 and restart, SIGSTOP then SIGCONT, a link cut then healed, a graceful stop and
 * restart), rotating over the nodes and the faults; after each round every acknowledged write is checked present exactly
 * once on its device's master, and every standby the master replicates to is checked to hold the
 * same table (same count and digest). One line per round; the last line is
 * {@code chaos: rounds=N acked=A lost=L dup=D failover_ms_median=M failover_ms_max=X}.
 *
 * <p>Failover of a round: from the fault (when it took effect: the signal sent, the link down;
 * for a graceful stop, the SIGTERM) to the moment the last of the victim's devices took a write
 * issued after the fault (on its new master, through any live node). The victim is the node
 * the rotation names, or the next one that masters a device. The last line's figures are over the
 * kill rounds (the failover target is defined for kill -9), or over all rounds when none was a
 * kill; each fault's own figures are on the lines before it.
 *
 * <p>With {@code --backup-mode async} the same run measures what an async master's crash loses:
 * each round with losses says how long before the fault the oldest lost write was acknowledged.
 *
 * <p>The {@code cut} fault needs network namespaces (root and iproute2): with it, every node runs
 * in its own namespace, linked to its peers through a bridge (the link that is cut) and to this
 * host through a link of its own (so the writers keep writing to a node that is cut off, and none
 * of those writes may be acknowledged and then lost). Without namespaces the default rotation
 * leaves it out and says so.
 *
 * <p>Threads: one scheduler fires every writer ({@code node x device}) each write interval; the
 * HTTP client's executor completes the writes; the main thread injects faults and checks.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Inject faults into a local 3-node cluster under writes; check that no acknowledged write is"
                + " lost or duplicated and measure failover.")
final class ChaosCommand implements Callable<Integer> {

    static final String APP = "org.flowstore.chaos";
    private static final int NODES = 3;
    private static final String COUNTS = "/onos/v1/statistics/flows/count";
    private static final String REPLICAS = "/onos/v1/statistics/flows/replicas";
    /** Longest a fault may keep a device from taking writes before the round fails. */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(30);
    /** How long a paused or cut-off node stays so when its devices did not fail over sooner. */
    private static final Duration PAUSE_BOUND = Duration.ofSeconds(15);
    private static final Duration SETTLE_BOUND = Duration.ofSeconds(90);
    /** How long removed flows may take to go before the removal is asked again. */
    private static final Duration REMOVE_AGAIN_AFTER = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The faults, in the order rounds rotate over them. */
    enum Fault {
        /** kill -9, then a restart once its devices failed over. */
        KILL,
        /** SIGSTOP until its devices failed over, then SIGCONT. */
        STOP,
        /** Its link to the other nodes cut until its devices failed over, then healed. */
        CUT,
        /** SIGTERM (it leaves the cluster), then a restart. */
        LEAVE
    }

    @Option(names = "--rounds", defaultValue = "20", description = "Rounds, one fault each (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the victims' order and the rounds' timing"
            + " (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--faults", split = ",", description = "Faults to rotate over: kill, stop, cut, leave (default"
            + " all four; cut only where network namespaces can be made, as root with iproute2)")
    List<String> faultNames;

    @Option(names = "--devices", defaultValue = "8", description = "Simulated devices (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--write-interval", defaultValue = "20", description = "ms between writes of one writer (one per"
            + " node and device, one write in flight) (default ${DEFAULT-VALUE})")
    int writeIntervalMillis;

    @Option(names = "--backup-mode", defaultValue = "sync", description = "sync, or async to measure what an async"
            + " master's crash loses (then lost is expected, and each round says how long before the fault the oldest"
            + " lost write was acknowledged) (default ${DEFAULT-VALUE})")
    String backupMode;

    @Option(names = "--verbose", description = "Print when each fault struck and when each of the victim's devices"
            + " took a write again")
    boolean verbose;

    @Option(names = "--writes-before-fault", defaultValue = "1500", description = "ms of writes before each fault,"
            + " plus up to as much again at random (default ${DEFAULT-VALUE})")
    int writesBeforeFaultMillis;

    @Mixin
    RunOptions run;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        List<Fault> faults = new ArrayList<>();
        for (String name : faultNames == null ? List.of("kill", "stop", "cut", "leave") : faultNames) {
            try {
                faults.add(Fault.valueOf(name.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                System.err.println("flowstore chaos: unknown fault '" + name + "' (kill, stop, cut, leave)");
                return 2;
            }
        }
        String noNamespaces = faults.contains(Fault.CUT) ? NetworkNamespaces.unavailableReason() : null;
        if (noNamespaces != null) {
            if (faultNames != null) {
                System.err.println("flowstore chaos: the cut fault " + noNamespaces);
                return 2;
            }
            out.println("chaos: no cut fault: " + noNamespaces);
            faults.removeIf(f -> f == Fault.CUT);
        }
        if (!backupMode.equals("sync") && !backupMode.equals("async")) {
            System.err.println("flowstore chaos: --backup-mode is sync or async, not '" + backupMode + "'");
            return 2;
        }
        if (rounds < 1 || devices < 1 || writeIntervalMillis < 1 || writesBeforeFaultMillis < 0 || faults.isEmpty()) {
            System.err.println("flowstore chaos: needs --rounds, --devices, --write-interval >= 1, at least one fault");
            return 2;
        }
        Path dir = run.runDir.resolve("chaos");
        NetworkNamespaces namespaces = faults.contains(Fault.CUT) ? namespacesLinkedToHost() : null;
        LocalCluster cluster = namespaces == null ? new LocalCluster(dir, run.restBase, run.clusterBase)
                : LocalCluster.inNamespaces(dir, run.restBase, run.clusterBase, namespaces);
        Random random = new Random(seed);
        Tally tally = new Tally();
        Runnable removeNamespaces = namespaces == null ? () -> { } : namespaces::close;
        try (ClusterShutdown shutdown = new ClusterShutdown(cluster, out, "chaos", removeNamespaces);
             Writers writers = new Writers()) {
            out.printf("chaos: starting %d nodes with %d simulated devices (%s backup; logs in %s), seed %d, faults %s%n",
                    NODES, devices, backupMode, dir.resolve("logs"), seed, faults);
            List<LocalCluster.Node> nodes = new ArrayList<>(cluster.start(NODES, devices,
                    List.of("-P", "statsPeriod=500", "-P", "backupMode=" + backupMode), out));
            writers.start(nodes, LocalCluster.deviceIds(devices));
            int offset = random.nextInt(NODES);
            for (int round = 1; round <= rounds; round++) {
                Fault fault = faults.get((round - 1) % faults.size());
                int victimIndex = (offset + (round - 1) / faults.size() + (round - 1)) % NODES;
                Thread.sleep(writesBeforeFaultMillis + (writesBeforeFaultMillis == 0 ? 0
                        : random.nextInt(writesBeforeFaultMillis)));
                Round r = runRound(round, fault, cluster, namespaces, nodes, victimIndex, writers);
                tally.add(r);
                out.println(r.line(rounds));
            }
        }
        tally.print(out);
        return tally.lost == 0 && tally.dup == 0 && tally.failedRounds == 0 ? 0 : 1;
    }

    private static NetworkNamespaces namespacesLinkedToHost() throws IOException {
        NetworkNamespaces namespaces = NetworkNamespaces.create(NODES);
        try {
            for (int i = 1; i <= NODES; i++) {
                namespaces.linkToHost(i);
            }
            return namespaces;
        } catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
    }

    /** What one round found. */
    private record Round(int number, Fault fault, String victim, int victimDevices, boolean ledRaft,
                         long failoverMillis, long acked, long lost, long dup, String replicas,
                         long oldestLostBeforeFault, double seconds) {

        boolean failed() {
            return failoverMillis < 0 || !replicas.equals("ok");
        }

        String line(int of) {
            return String.format("round %d/%d: fault=%s victim=%s devices=%d raft_leader=%s failover_ms=%d acked=%d"
                            + " lost=%d dup=%d replicas=%s%s (%.1f s)", number, of, fault.name().toLowerCase(), victim,
                    victimDevices, ledRaft ? "yes" : "no", failoverMillis, acked, lost, dup, replicas,
                    lost > 0 ? " lost_acked_ms_before_fault=" + oldestLostBeforeFault : "", seconds);
        }
    }

    private Round runRound(int number, Fault fault, LocalCluster cluster, NetworkNamespaces namespaces,
                           List<LocalCluster.Node> nodes, int preferredVictim, Writers writers) throws Exception {
        int victimIndex = preferredVictim;
        long started = System.nanoTime();
        // The node the rotation names, or the next one that masters a device: a fault of a node that
        // masters nothing tells nothing of failover.
        Set<String> victimDevices = Set.of();
        for (int i = 0; i < NODES && victimDevices.isEmpty(); i++) {
            int candidate = (preferredVictim + i) % NODES;
            LocalCluster.Node witness = nodes.get((candidate + 1) % NODES);
            victimDevices = mastered(new RestClient(witness.rest(), REQUEST_TIMEOUT), nodes.get(candidate).id());
            victimIndex = candidate;
        }
        LocalCluster.Node victim = nodes.get(victimIndex);
        Map<LocalCluster.Node, Long> logSizes = new HashMap<>();
        for (LocalCluster.Node n : nodes) {
            logSizes.put(n, Files.exists(n.log()) ? Files.size(n.log()) : 0);
        }
        // The fault's moment is when it took effect: a write issued while `kill -STOP` or `ip` was still
        // starting reached a healthy node, and its quick acknowledgement is not a failover.
        switch (fault) {
            case KILL -> LocalCluster.kill(victim);
            case STOP -> LocalCluster.signal(victim, "STOP");
            case CUT -> namespaces.cut(victimIndex + 1);
            case LEAVE -> { } // stopped below: a graceful stop takes a while and is part of the failover
        }
        long faultAt = writers.markFault();
        if (verbose) {
            out.printf("  %s: %s of %s (master of %s)%n", LocalTime.now(), fault.name().toLowerCase(), victim.id(),
                    victimDevices.stream().sorted().toList());
        }
        long failover;
        if (fault == Fault.LEAVE) {
            Thread stopper = new Thread(() -> {
                try {
                    LocalCluster.stopGracefully(victim);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "flowstore-chaos-leave");
            stopper.start();
            failover = writers.awaitFailover(victimDevices, faultAt, FAILOVER_BOUND);
            stopper.join();
        } else {
            failover = writers.awaitFailover(victimDevices, faultAt,
                    fault == Fault.STOP || fault == Fault.CUT ? PAUSE_BOUND : FAILOVER_BOUND);
        }
        boolean ledRaft = false;
        for (LocalCluster.Node n : nodes) {
            if (n != victim) {
                ledRaft |= appended(n.log(), logSizes.get(n)).contains("its leader " + victim.id() + " is dead");
            }
        }
        long recoveryStarted = System.nanoTime();
        if (fault == Fault.STOP) {
            LocalCluster.signal(victim, "CONT");
        } else if (fault == Fault.CUT) {
            namespaces.heal(victimIndex + 1);
        } else {
            nodes.set(victimIndex, cluster.restart(victim, verbose ? out : new PrintStream(PrintStream.nullOutputStream())));
            if (verbose) {
                out.printf("  %s: %s restarted and ready in %.1f s%n", LocalTime.now(), victim.id(),
                        (System.nanoTime() - recoveryStarted) / 1e9);
            }
        }
        Verification v = verify(nodes, writers, faultAt);
        if (verbose) {
            String recovery = switch (fault) {
                case STOP -> "SIGCONT";
                case CUT -> "the heal";
                case KILL, LEAVE -> "the restart began";
            };
            out.printf("  %s: round checked %.1f s after %s%n", LocalTime.now(),
                    (System.nanoTime() - recoveryStarted) / 1e9, recovery);
        }
        return new Round(number, fault, victim.id(), victimDevices.size(), ledRaft, failover, v.acked(), v.lost(),
                v.dup(), v.replicas(), v.oldestLostBeforeFault(), (System.nanoTime() - started) / 1e9);
    }

    /** What a round's check found; {@code oldestLostBeforeFault}: ms before the fault the oldest lost write was acknowledged, -1 if none. */
    private record Verification(long acked, long lost, long dup, String replicas, long oldestLostBeforeFault) {
    }

    /**
     * Pauses the writers, waits until the cluster settled, checks every acknowledged write on
     * its device's master and every replicated standby against the master, then removes the
     * round's flows and resumes writing.
     */
    private Verification verify(List<LocalCluster.Node> nodes, Writers writers, long faultAt) throws Exception {
        writers.pauseAndDrain(REQUEST_TIMEOUT.plusSeconds(5));
        Map<String, RestClient> clients = new LinkedHashMap<>();
        nodes.forEach(n -> clients.put(n.id(), new RestClient(n.rest(), Duration.ofSeconds(60))));
        long settleFrom = System.nanoTime();
        long deadline = settleFrom + SETTLE_BOUND.toNanos();
        String replicas = "ok";
        Map<String, String> masters;
        while (true) {
            masters = agreedMasters(clients);
            String mismatch = masters == null ? "no agreed master for every device" : replicaMismatch(clients, masters);
            if (mismatch == null) {
                break;
            }
            if (System.nanoTime() > deadline) {
                replicas = "diverged(" + mismatch + ")";
                System.err.println("chaos: replicas did not settle within " + SETTLE_BOUND.toSeconds() + " s: "
                        + mismatch);
                break;
            }
            Thread.sleep(200);
        }
        if (verbose) {
            out.printf("  %s: masters agreed and standbys equal to them after %.1f s%n", LocalTime.now(),
                    (System.nanoTime() - settleFrom) / 1e9);
        }
        long acked = 0;
        long lost = 0;
        long dup = 0;
        long oldestLostBeforeFault = -1;
        for (Map.Entry<String, Map<Long, Long>> e : writers.acked().entrySet()) {
            String deviceId = e.getKey();
            String master = masters == null ? null : masters.get(deviceId);
            RestClient reader = master == null ? clients.values().iterator().next() : clients.get(master);
            JsonNode flows = reader.getOk("/onos/v1/flows/" + deviceId).path("flows");
            Set<Long> present = new HashSet<>();
            Set<String> matches = new HashSet<>();
            for (JsonNode f : flows) {
                if (!APP.equals(f.path("appId").asText())) {
                    continue;
                }
                boolean newId = present.add(Long.parseLong(f.path("id").asText()));
                boolean newMatch = matches.add(f.path("priority").asInt() + " " + f.path("selector"));
                if (!newId || !newMatch) {
                    dup++;
                }
            }
            acked += e.getValue().size();
            for (Map.Entry<Long, Long> ack : e.getValue().entrySet()) {
                if (!present.contains(ack.getKey())) {
                    lost++;
                    long before = TimeUnit.NANOSECONDS.toMillis(faultAt - ack.getValue());
                    oldestLostBeforeFault = Math.max(oldestLostBeforeFault, before);
                    if (backupMode.equals("sync")) {
                        System.err.printf("chaos: lost: flow %d of %s, acknowledged %d ms before the fault, absent from"
                                + " its master %s%n", ack.getKey(), deviceId, before, master);
                    }
                }
            }
        }
        writers.clearAcked();
        removeAll(clients);
        writers.resume();
        return new Verification(acked, lost, dup, replicas, oldestLostBeforeFault);
    }

    /** Every node's view of each device's master, when they all agree and every device has one; else null. */
    private Map<String, String> agreedMasters(Map<String, RestClient> clients) throws InterruptedException {
        Map<String, String> agreed = null;
        for (RestClient c : clients.values()) {
            Map<String, String> view = new HashMap<>();
            try {
                for (JsonNode d : c.getOk(COUNTS).path("devices")) {
                    if (d.path("master").isNull() || d.path("master").isMissingNode()) {
                        return null;
                    }
                    view.put(d.path("deviceId").asText(), d.path("master").asText());
                }
            } catch (IOException e) {
                return null;
            }
            if (view.size() < devices || agreed != null && !agreed.equals(view)) {
                return null;
            }
            agreed = view;
        }
        return agreed;
    }

    /**
     * Compares each device's master copy with the copies of the standbys it replicates to;
     * returns the first difference, or null when every copy matches.
     */
    private String replicaMismatch(Map<String, RestClient> clients, Map<String, String> masters)
            throws InterruptedException {
        Map<String, JsonNode> masterCopies = new HashMap<>();
        Map<String, List<JsonNode>> standbyCopies = new HashMap<>();
        for (Map.Entry<String, RestClient> c : clients.entrySet()) {
            try {
                for (JsonNode r : c.getValue().getOk(REPLICAS).path("replicas")) {
                    String deviceId = r.path("deviceId").asText();
                    switch (r.path("role").asText()) {
                        case "MASTER" -> masterCopies.put(deviceId, r);
                        case "STANDBY" -> standbyCopies.computeIfAbsent(deviceId, d -> new ArrayList<>()).add(r);
                        default -> { }
                    }
                }
            } catch (IOException e) {
                return c.getKey() + " does not answer: " + e.getMessage();
            }
        }
        for (Map.Entry<String, String> m : masters.entrySet()) {
            JsonNode master = masterCopies.get(m.getKey());
            if (master == null || !m.getValue().equals(master.path("node").asText())) {
                return m.getKey() + ": " + m.getValue() + " does not report itself its master";
            }
            List<JsonNode> standbys = standbyCopies.getOrDefault(m.getKey(), List.of());
            if (standbys.isEmpty()) {
                return m.getKey() + ": no standby holds a replicated copy";
            }
            for (JsonNode s : standbys) {
                if (s.path("flowCount").asInt() != master.path("flowCount").asInt()
                        || !s.path("digest").asText().equals(master.path("digest").asText())) {
                    return String.format("%s: standby %s holds %d flows (digest %s), master %s %d (digest %s)",
                            m.getKey(), s.path("node").asText(), s.path("flowCount").asInt(),
                            s.path("digest").asText(), m.getValue(), master.path("flowCount").asInt(),
                            master.path("digest").asText());
                }
            }
        }
        return null;
    }

    /**
     * Removes the chaos flows (verified already) so the next round's check reads only its own. A
     * removal refused while the masterships still move after the fault (seen: "the mastership moved
     * while the batch was replicated; the batch was not applied") is asked again, as a client would,
     * until the flows are gone.
     */
    private void removeAll(Map<String, RestClient> clients) throws Exception {
        RestClient any = clients.values().iterator().next();
        long deadline = System.nanoTime() + SETTLE_BOUND.toNanos();
        boolean reported = false;
        long askAgainAt = 0;
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= askAgainAt) {
                RestClient.Reply reply = any.delete("/onos/v1/flows/application/" + APP);
                if (reply.status() != 204 && reply.status() != 202 && reply.status() != 200 && reply.status() != 404
                        && !reported) {
                    reported = true;
                    System.err.println("chaos: removing the round's flows answered " + reply.status() + ": "
                            + reply.body() + " (asking again until they are gone)");
                }
                askAgainAt = System.nanoTime() + REMOVE_AGAIN_AFTER.toNanos();
            }
            long left = 0;
            for (RestClient c : clients.values()) {
                for (JsonNode r : c.getOk(REPLICAS).path("replicas")) {
                    // A stale copy (a standby beyond backupCount) keeps what it held: not a replica any more.
                    if (!r.path("role").asText().equals("STALE")) {
                        left += r.path("flowCount").asLong();
                    }
                }
            }
            if (left == 0) {
                return;
            }
            Thread.sleep(200);
        }
        System.err.println("chaos: the round's flows were not all removed within " + SETTLE_BOUND.toSeconds() + " s");
    }

    /** The devices a node masters, as another node sees it. */
    private static Set<String> mastered(RestClient witness, String node) throws Exception {
        Set<String> mastered = new HashSet<>();
        for (JsonNode d : witness.getOk(COUNTS).path("devices")) {
            if (node.equals(d.path("master").asText())) {
                mastered.add(d.path("deviceId").asText());
            }
        }
        return mastered;
    }

    private static String appended(Path log, long from) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] all = Files.readAllBytes(log);
        return from >= all.length ? "" : new String(all, (int) from, all.length - (int) from);
    }

    /**
     * One writer per node and device, each firing every write interval with at most one write in
     * flight, each write a new flow through that node's REST API. An acknowledged write (201) is
     * remembered with its flow id; a failed one is neither acknowledged nor lost (it may or may not
     * have been applied).
     */
    private final class Writers implements AutoCloseable {
        private static final int IN_FLIGHT_PER_WRITER = 1;

        private final ExecutorService httpThreads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "flowstore-chaos-http");
            t.setDaemon(true);
            return t;
        });
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .executor(httpThreads).build();
        private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flowstore-chaos-writers");
            t.setDaemon(true);
            return t;
        });
        /** Per device, every acknowledged flow id with when it was acknowledged (nanoTime). */
        private final Map<String, Map<Long, Long>> acked = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> numbers = new ConcurrentHashMap<>();
        /** Per device, when it first acknowledged a write issued after the last fault (nanoTime). */
        private final Map<String, Long> firstAckAfterFault = new ConcurrentHashMap<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile long faultAt = Long.MAX_VALUE;
        private volatile boolean paused;

        void start(List<LocalCluster.Node> nodes, List<String> deviceIds) {
            for (String deviceId : deviceIds) {
                acked.put(deviceId, new ConcurrentHashMap<>());
                numbers.put(deviceId, new AtomicInteger());
            }
            for (LocalCluster.Node node : nodes) {
                for (String deviceId : deviceIds) {
                    AtomicInteger mine = new AtomicInteger();
                    URI uri = URI.create(node.rest() + "/onos/v1/flows/" + deviceId + "?appId=" + APP);
                    ticks.scheduleAtFixedRate(() -> {
                        try {
                            write(uri, deviceId, mine);
                        } catch (RuntimeException e) {
                            // A periodic task that throws is never run again: this writer would stop silently.
                            System.err.println("chaos: a write to " + uri + " could not be issued: " + e);
                        }
                    }, 0, writeIntervalMillis, TimeUnit.MILLISECONDS);
                }
            }
        }

        private void write(URI uri, String deviceId, AtomicInteger mine) {
            if (paused || mine.get() >= IN_FLIGHT_PER_WRITER) {
                return;
            }
            int n = numbers.get(deviceId).incrementAndGet();
            byte[] body;
            try {
                body = RestClient.MAPPER.writeValueAsBytes(DemoCommand.flow(deviceId, n));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            mine.incrementAndGet();
            inFlight.incrementAndGet();
            long issued = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
                try {
                    if (e == null && response.statusCode() == 201) {
                        String location = response.headers().firstValue("Location").orElse("");
                        acked.get(deviceId).put(Long.parseLong(location.substring(location.lastIndexOf('/') + 1)),
                                System.nanoTime());
                        if (issued >= faultAt) {
                            firstAckAfterFault.putIfAbsent(deviceId, System.nanoTime());
                        }
                    }
                } finally {
                    mine.decrementAndGet();
                    inFlight.decrementAndGet();
                }
            });
        }

        /** Marks the moment of a fault; returns it. */
        long markFault() {
            firstAckAfterFault.clear();
            long now = System.nanoTime();
            faultAt = now;
            return now;
        }

        /**
         * Waits until every device of the victim took a write issued after the fault; returns the
         * time that took for the last of them, in ms, or -1 if one did not within the bound.
         */
        long awaitFailover(Set<String> victimDevices, long at, Duration bound) throws InterruptedException {
            long deadline = at + bound.toNanos();
            while (System.nanoTime() < deadline) {
                if (firstAckAfterFault.keySet().containsAll(victimDevices)) {
                    long last = victimDevices.stream().mapToLong(firstAckAfterFault::get).max().orElse(at);
                    if (verbose) {
                        victimDevices.stream().sorted().forEach(d -> out.printf("  %s took a write %d ms after the"
                                + " fault%n", d, TimeUnit.NANOSECONDS.toMillis(firstAckAfterFault.get(d) - at)));
                    }
                    return TimeUnit.NANOSECONDS.toMillis(last - at);
                }
                Thread.sleep(5);
            }
            System.err.println("chaos: devices " + victimDevices.stream().filter(d -> !firstAckAfterFault.containsKey(d))
                    .sorted().toList() + " took no write within " + bound.toSeconds() + " s of the fault");
            return -1;
        }

        void pauseAndDrain(Duration bound) throws InterruptedException {
            paused = true;
            long deadline = System.nanoTime() + bound.toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        void resume() {
            faultAt = Long.MAX_VALUE;
            paused = false;
        }

        Map<String, Map<Long, Long>> acked() {
            return acked;
        }

        void clearAcked() {
            acked.values().forEach(Map::clear);
        }

        @Override
        public void close() {
            ticks.shutdownNow();
            httpThreads.shutdownNow();
        }
    }

    /** Totals over the rounds. */
    private static final class Tally {
        private final Map<Fault, List<Long>> failovers = new EnumMap<>(Fault.class);
        private long acked;
        private long lost;
        private long dup;
        private int rounds;
        private int failedRounds;
        private long oldestLostBeforeFault = -1;

        void add(Round r) {
            rounds++;
            acked += r.acked();
            lost += r.lost();
            dup += r.dup();
            if (r.failed()) {
                failedRounds++;
            }
            oldestLostBeforeFault = Math.max(oldestLostBeforeFault, r.oldestLostBeforeFault());
            if (r.failoverMillis() >= 0) {
                failovers.computeIfAbsent(r.fault(), f -> new ArrayList<>()).add(r.failoverMillis());
            }
        }

        void print(PrintStream out) {
            for (Map.Entry<Fault, List<Long>> f : failovers.entrySet()) {
                out.printf("chaos: fault=%s rounds=%d failover_ms_median=%d failover_ms_max=%d%n",
                        f.getKey().name().toLowerCase(), f.getValue().size(), median(f.getValue()),
                        max(f.getValue()));
            }
            if (lost > 0) {
                out.printf("chaos: %d acknowledged writes lost; the oldest was acknowledged %d ms before its fault%n", lost,
                        oldestLostBeforeFault);
            }
            if (failedRounds > 0) {
                out.printf("chaos: %d of %d rounds failed (no failover within the bound, or replicas diverged)%n",
                        failedRounds, rounds);
            }
            List<Long> headline = failovers.getOrDefault(Fault.KILL, List.of());
            if (headline.isEmpty()) {
                headline = failovers.values().stream().flatMap(List::stream).toList();
            }
            out.printf("chaos: rounds=%d acked=%d lost=%d dup=%d failover_ms_median=%d failover_ms_max=%d%n", rounds,
                    acked, lost, dup, median(headline), max(headline));
        }

        private static long median(List<Long> values) {
            if (values.isEmpty()) {
                return -1;
            }
            List<Long> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        private static long max(List<Long> values) {
            return values.stream().mapToLong(Long::longValue).max().orElse(-1);
        }
    }
}
