package org.flowstore.bench;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.app.manager.ManagerConfig;
import org.flowstore.app.manager.Reconciliation;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.testing.SingleNodeCluster;
import org.flowstore.testing.TestFlows;

/**
 * One reconciliation pass of a device's report on its master (one node), the work the flow-rule
 * manager does for every device it masters at every statistics report; the score is milliseconds
 * per pass over a device of {@code flows} flows.
 *
 * <ul>
 *   <li>{@code quietDevice}: every flow ADDED, the report unchanged (a device nobody writes to).</li>
 *   <li>{@code newCounters}: every flow ADDED, the report with new counters for each (a device
 *       forwarding traffic): a store update per flow.</li>
 *   <li>{@code pushedAndConfirmed}: every flow added again (as applications re-push theirs), the
 *       push recorded as the manager records it, then the report that confirms them all: a store
 *       update per flow. The store's re-add is set-up, not measured.</li>
 * </ul>
 * Run: {@code tools/bench-store ReconcileBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class ReconcileBenchmark {

    private static final int BATCH_SIZE = 1_000;

    @Param({"30000"})
    int flows;

    private final DeviceId device = TestFlows.device(1);
    private final AtomicLong repairs = new AtomicLong();
    private DistributedFlowRuleStore store;
    private Reconciliation reconciliation;
    private List<FlowRuleBatchOperation> batches;
    /** The device's reports: counters unchanged, then two alternating sets of new counters. */
    private List<FlowEntry> unchanged;
    private final List<List<FlowEntry>> counted = new ArrayList<>();
    private int nextCounted;
    private long nextBatchId = 1;

    /** Builds the node and fills the device's table, every flow confirmed. */
    @Setup(Level.Trial)
    public void setUp() {
        NodeId local = NodeId.nodeId("bench");
        SingleNodeCluster cluster = new SingleNodeCluster(local, Set.of(device));
        store = StoreBenchmark.acknowledgingStore(cluster);
        reconciliation = new Reconciliation(local, store, cluster, () -> ManagerConfig.DEFAULTS,
                (d, ops) -> repairs.addAndGet(ops.size()), Clock.systemUTC());
        unchanged = new ArrayList<>(flows);
        counted.add(new ArrayList<>(flows));
        counted.add(new ArrayList<>(flows));
        for (int i = 0; i < flows; i++) {
            unchanged.add(report(i, 0));
            counted.get(0).add(report(i, 1));
            counted.get(1).add(report(i, 2));
        }
        readd();
        reconciliation.reconcile(device, unchanged);
        if (store.getFlowRuleCount(device, FlowEntryState.ADDED) != flows || repairs.get() != 0) {
            throw new IllegalStateException("expected " + flows + " confirmed flows and no repairs, found "
                    + store.getFlowRuleCountsByState(device) + " and " + repairs.get() + " repairs");
        }
    }

    private DefaultFlowEntry report(int i, long packets) {
        return DefaultFlowEntry.builder(TestFlows.rule(device, i)).state(FlowEntryState.ADDED)
                .packets(packets).bytes(64 * packets).life(1).build();
    }

    /** Adds every flow again (PENDING_ADD), as the manager would store them; returns the batches. */
    private List<FlowRuleBatchOperation> readd() {
        List<FlowRuleBatchOperation> added = new ArrayList<>();
        for (int first = 0; first < flows; first += BATCH_SIZE) {
            List<FlowRuleBatchEntry> ops = new ArrayList<>(BATCH_SIZE);
            for (int i = first; i < Math.min(flows, first + BATCH_SIZE); i++) {
                ops.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, unchanged.get(i).rule()));
            }
            FlowRuleBatchOperation batch = new FlowRuleBatchOperation(ops, device, nextBatchId++);
            store.storeBatch(batch);
            added.add(batch);
        }
        return added;
    }

    /** Before each confirming pass: the flows are pending again. */
    @Setup(Level.Invocation)
    public void pendingAgain(org.openjdk.jmh.infra.BenchmarkParams params) {
        if (params.getBenchmark().endsWith("pushedAndConfirmed")) {
            batches = readd();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.deactivate();
    }

    @Benchmark
    public int quietDevice() {
        reconciliation.reconcile(device, unchanged);
        return store.getFlowRuleCount(device);
    }

    @Benchmark
    public int newCounters() {
        reconciliation.reconcile(device, counted.get(nextCounted++ & 1));
        return store.getFlowRuleCount(device);
    }

    @Benchmark
    public int pushedAndConfirmed() {
        for (FlowRuleBatchOperation batch : batches) {
            reconciliation.pushed(device, batch.operations());
        }
        reconciliation.reconcile(device, unchanged);
        int pending = store.getFlowRuleCount(device, FlowEntryState.PENDING_ADD);
        if (pending != 0) {
            throw new IllegalStateException(pending + " flows left pending after the pass");
        }
        return pending;
    }
}
