package org.flowstore.store.cluster;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.flowstore.testing.TestPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.flowstore.app.cli.ChildJvm;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.NodeStack;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.testing.NodeLogsOnFailure;
import org.flowstore.testing.NodeProcessMain;
import org.flowstore.testing.TestFlows;

/**
 * Three nodes as separate JVM processes on 127.0.0.1, and this JVM as a fourth member that
 * connects to no device and only writes (to three devices, in sync mode). Each node in turn is
 * killed with SIGKILL while writes go on, including the masters and the leaders of Raft
 * partitions, then restarted on its data directory: every write acknowledged before a kill must
 * be on the new masters, once, and each killed node must rejoin, get its copies back and take its
 * devices back (hand-back).
 */
@Timeout(300)
class MultiProcessFailoverTest {

    private static final int RULES_PER_BATCH = 20;

    private final List<Process> processes = new ArrayList<>();
    private final Map<NodeId, Process> byNode = new ConcurrentHashMap<>();
    private NodeStack client;
    private AtomixMastership clientMastership;
    private DistributedFlowRuleStore clientStore;
    private Path dataRoot;
    private String testName;

    @RegisterExtension
    final NodeLogsOnFailure nodeLogs = new NodeLogsOnFailure(
            () -> byNode.keySet().stream().sorted(Comparator.comparing(NodeId::id)).map(this::logOf).toList(),
            line -> line.startsWith("ACK ") || line.startsWith("NACK "));

    @BeforeEach
    void name(TestInfo test) {
        testName = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test");
    }

    @AfterEach
    void stop() throws IOException {
        processes.forEach(Process::destroyForcibly);
        if (client != null) {
            client.close();
        }
    }

    @Test
    void killingEachNodeInTurnLosesNoAcknowledgedWriteAndKilledNodesRejoin() throws Exception {
        startCluster(id -> List.of());

        List<Long> failoverMillis = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            NodeId victim = NodeId.nodeId("n" + round);
            long before = successes();
            while (successes() < before + 60) {
                writeOne();
            }
            boolean wasMaster = DEVICES.stream().anyMatch(d -> clientMastership.getMastershipFor(d).isMaster(victim));
            long lastIssuedBeforeKill = nextBatch.get();
            long killedAt = System.nanoTime();
            byNode.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !acceptedOnEveryDeviceAfter(lastIssuedBeforeKill)) {
                writeOne();
                Thread.sleep(2);
            }
            assertTrue(acceptedOnEveryDeviceAfter(lastIssuedBeforeKill), "writes accepted again after killing " + victim);
            long recoveredAt = DEVICES.stream().mapToLong(d -> firstAcceptedAfter(d, lastIssuedBeforeKill)).max().orElseThrow();
            if (wasMaster) {
                failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(recoveredAt - killedAt));
            }
            drain();
            assertNothingLost("after killing " + victim);

            startNodeProcess(victim);
            awaitAllCandidates();
        }
        System.out.printf("multi-process failover: kill -9 of a master to its devices accepting writes again: %s ms%n",
                failoverMillis);

        awaitTrue(Duration.ofSeconds(60), () -> DEVICES.stream().allMatch(d -> clientMastership.getMastershipFor(d)
                .isMaster(clientMastership.preferredMaster(d)) || clientMastership.preferredMaster(d).id().equals("c0")));
        assertNothingLost("after every node was killed and came back");
    }

    /**
     * The master of a device is frozen (SIGSTOP) past the failure timeout while every node writes
     * to that device, and then resumes: it still believes it is master of its old term, and its
     * own writer goes on writing through it. Nothing it does may replace the new master's data;
     * every write acknowledged anywhere must be on the new master; and it must run for its
     * devices again (its candidacy was evicted while it slept).
     */
    @Test
    void aPausedMasterThatResumesOverwritesNothingAndRunsForItsDevicesAgain() throws Exception {
        startCluster(id -> List.of("antiEntropyPeriod=1000",
                "write=1:" + WRITER_FIRST_BATCH * Integer.parseInt(id.id().substring(1))));
        long before = successes();
        while (successes() < before + 60) {
            writeOne();
        }
        NodeId victim = clientMastership.getMastershipFor(DEVICES.get(0)).master().orElseThrow();
        long lastIssuedBeforePause = nextBatch.get();
        signal(victim, "STOP");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !acceptedOnEveryDeviceAfter(lastIssuedBeforePause)) {
            writeOne();
            Thread.sleep(2);
        }
        assertTrue(acceptedOnEveryDeviceAfter(lastIssuedBeforePause), "writes accepted again after pausing " + victim);
        drain();
        assertNothingLost("while " + victim + " is paused");

        signal(victim, "CONT");
        long writeUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < writeUntil) {
            writeOne();
            Thread.sleep(2);
        }
        awaitAllCandidates();
        drain();
        assertFalse(nodeAcknowledged(victim).isEmpty(), victim + " acknowledged writes of its own");
        assertNothingLost("after " + victim + " resumed");
    }

    private static final long WRITER_FIRST_BATCH = 100_000;

    private void startCluster(Function<NodeId, List<String>> nodeArgs) throws Exception {
        dataRoot = Files.createTempDirectory("flowstore-procs");
        List<ClusterMember> members = new ArrayList<>();
        members.add(new ClusterMember(NodeId.nodeId("c0"), "127.0.0.1", freePort()));
        for (int i = 1; i <= 3; i++) {
            members.add(new ClusterMember(NodeId.nodeId("n" + i), "127.0.0.1", freePort()));
        }
        memberList = members.stream().map(ClusterMember::toString).collect(Collectors.joining(","));
        this.nodeArgs = nodeArgs;
        for (ClusterMember m : members.subList(1, 4)) {
            Files.deleteIfExists(logOf(m.id()));
            startNodeProcess(m.id());
        }
        client = new NodeStack(ClusterSettings.of(members.get(0).id(), members, dataRoot.resolve("c0")));
        client.start(Map.of());
        clientMastership = client.mastership();
        clientStore = client.store();
        clientStore.setDelegate(event -> {
            if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED) {
                // The time first: a reader that sees the outcome must find the time too.
                completedAt.put(event.batchId(), System.nanoTime());
                outcomes.put(event.batchId(), event.result().success());
                inFlight.release();
            }
        });
        awaitAllCandidates();
    }

    private void drain() throws InterruptedException {
        inFlight.acquire(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
    }

    private void signal(NodeId node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(byNode.get(node).pid())).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + node);
    }

    /** Batches a node's own writer saw acknowledged, from its log. */
    private List<Long> nodeAcknowledged(NodeId node) {
        try {
            Path log = logOf(node);
            if (!Files.exists(log)) {
                return List.of();
            }
            try (Stream<String> lines = Files.lines(log)) {
                return lines.filter(l -> l.startsWith("ACK ")).map(l -> Long.parseLong(l.substring(4).trim())).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node's log, one per test: a failure's logs survive the next test. */
    private Path logOf(NodeId node) {
        return Path.of("target", "node-" + testName + "-" + node + ".log");
    }

    private static final List<DeviceId> DEVICES = List.of(TestFlows.device(1), TestFlows.device(2), TestFlows.device(3));
    private static final int MAX_IN_FLIGHT = 8;

    private final Map<Long, Boolean> outcomes = new ConcurrentHashMap<>();
    private final Map<Long, Long> completedAt = new ConcurrentHashMap<>();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong nextBatch = new AtomicLong();
    private String memberList;
    private Function<NodeId, List<String>> nodeArgs;

    private void writeOne() {
        long id = nextBatch.incrementAndGet();
        inFlight.acquireUninterruptibly();
        clientStore.storeBatch(TestFlows.batch(id, FlowRuleOperation.ADD, rules(id)));
    }

    private void awaitAllCandidates() throws InterruptedException {
        awaitTrue(Duration.ofSeconds(120), () -> DEVICES.stream().allMatch(d ->
                clientMastership.getMastershipFor(d).master().isPresent()
                        && clientMastership.getMastershipFor(d).backups().size() == 2),
                () -> "masters " + DEVICES.stream().map(d -> d + "=" + clientMastership.getMastershipFor(d)).toList()
                        + ", processes alive " + byNode.entrySet().stream().map(e -> e.getKey() + "="
                        + e.getValue().isAlive()).sorted().toList());
    }

    private void assertNothingLost(String when) {
        List<FlowRule> nodeWrites = byNode.keySet().stream().flatMap(n -> nodeAcknowledged(n).stream())
                .flatMap(b -> NodeProcessMain.rules(DEVICES.get(0), b).stream()).toList();
        List<Long> acknowledged = outcomes.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        Set<Long> storedIds = new HashSet<>();
        int stored = 0;
        for (DeviceId d : DEVICES) {
            List<FlowEntry> entries = clientStore.getFlowEntries(d);
            stored += entries.size();
            entries.forEach(e -> storedIds.add(e.id().value()));
        }
        assertEquals(stored, storedIds.size(), "each flow once " + when);
        List<FlowRule> written = Stream.concat(acknowledged.stream().flatMap(b -> rules(b).stream()), nodeWrites.stream())
                .toList();
        long missing = written.stream().filter(r -> !storedIds.contains(r.id().value())).count();
        Map<DeviceId, Long> missingByDevice = written.stream().filter(r -> !storedIds.contains(r.id().value()))
                .collect(Collectors.groupingBy(FlowRule::deviceId, Collectors.counting()));
        System.out.printf("multi-process failover %s: %d acknowledged flows (%d by the nodes' own writers), %d lost %s;"
                + " masters %s%n", when, written.size(), nodeWrites.size(), missing, missingByDevice,
                DEVICES.stream().map(d -> d + "=" + clientMastership.getMastershipFor(d)).toList());
        assertEquals(0, missing, "acknowledged flows lost " + when);
    }

    private long successes() {
        return outcomes.values().stream().filter(b -> b).count();
    }

    private boolean acceptedOnEveryDeviceAfter(long batch) {
        return DEVICES.stream().allMatch(d -> firstAcceptedAfter(d, batch) != Long.MAX_VALUE);
    }

    private long firstAcceptedAfter(DeviceId device, long batch) {
        return outcomes.entrySet().stream()
                .filter(e -> e.getKey() > batch && e.getValue() && deviceOf(e.getKey()).equals(device))
                .mapToLong(e -> completedAt.get(e.getKey())).min().orElse(Long.MAX_VALUE);
    }

    private static DeviceId deviceOf(long batch) {
        return DEVICES.get((int) (batch % DEVICES.size()));
    }

    private static List<FlowRule> rules(long batch) {
        int first = (int) batch * RULES_PER_BATCH;
        return TestFlows.rules(deviceOf(batch), first, first + RULES_PER_BATCH);
    }

    private void startNodeProcess(NodeId id) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = logOf(id);
        List<String> command = ChildJvm.command("-Xmx512m");
        command.addAll(List.of("-cp", classpath, NodeProcessMain.class.getName(), id.id(), memberList,
                dataRoot.resolve(id.id()).toString(), String.valueOf(DEVICES.size())));
        command.addAll(nodeArgs.apply(id));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = pb.start();
        processes.add(process);
        byNode.put(id, process);
    }
}
