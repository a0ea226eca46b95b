package org.flowstore.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.testing.SingleNodeCluster;
import org.flowstore.testing.TestFlows;

/**
 * The store's own work on one node, on the design-target workload: 100 devices with 10,000 flows
 * each (match in_port, IPv4 and a /32 destination; output to a port), full before measuring.
 *
 * <ul>
 *   <li>{@code storeBatchAdd}: ADD batches of {@code batchSize} through {@code storeBatch}, each
 *       REQUESTED batch completed at once by the delegate as a flow-rule manager would; the
 *       score is operations (rules) per second. The table is full, so every ADD replaces.</li>
 *   <li>{@code addOrUpdateFlowRule}: device statistics reports of ADDED entries with new
 *       counters; the score is reports per second.</li>
 * </ul>
 * Inputs are built in {@code @Setup}; the measured loop only indexes arrays.
 * Run: {@code tools/bench-store} (or {@code tools/bench-store -t 2} for two threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public class StoreBenchmark {

    static final int DEVICES = 100;
    static final int FLOWS_PER_DEVICE = 10_000;
    static final int BATCH_SIZE = 100;

    private DistributedFlowRuleStore store;
    private FlowRuleBatchOperation[] batches;
    private FlowEntry[] reports;
    private int nextBatch;
    private int nextReport;

    /** Builds the node, fills every table, and prepares the measured inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Set<DeviceId> devices = new HashSet<>();
        for (int d = 1; d <= DEVICES; d++) {
            devices.add(TestFlows.device(d));
        }
        store = acknowledgingStore(new SingleNodeCluster(NodeId.nodeId("bench"), devices));
        List<FlowRuleBatchOperation> all = new ArrayList<>();
        List<FlowEntry> reported = new ArrayList<>();
        long batchId = 0;
        for (int d = 1; d <= DEVICES; d++) {
            DeviceId device = TestFlows.device(d);
            for (int first = 0; first < FLOWS_PER_DEVICE; first += BATCH_SIZE) {
                List<FlowRuleBatchEntry> ops = new ArrayList<>(BATCH_SIZE);
                for (int i = first; i < first + BATCH_SIZE; i++) {
                    ops.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, TestFlows.rule(device, i)));
                    reported.add(DefaultFlowEntry.builder(TestFlows.rule(device, i)).state(FlowEntryState.ADDED)
                            .packets(i).bytes(64L * i).life(i % 60).build());
                }
                all.add(new FlowRuleBatchOperation(ops, device, ++batchId));
            }
        }
        batches = all.toArray(new FlowRuleBatchOperation[0]);
        reports = reported.toArray(new FlowEntry[0]);
        for (FlowRuleBatchOperation batch : batches) {
            store.storeBatch(batch);
        }
        if (store.getFlowRuleCount() != DEVICES * FLOWS_PER_DEVICE) {
            throw new IllegalStateException("expected a full store, found " + store.getFlowRuleCount());
        }
    }

    /**
     * Returns a started store on a one-node cluster whose delegate acts as every device, completing
     * each requested batch at once, as a flow-rule manager would report its devices' answers.
     */
    static DistributedFlowRuleStore acknowledgingStore(SingleNodeCluster cluster) {
        DistributedFlowRuleStore store = new DistributedFlowRuleStore(cluster, cluster, cluster, cluster, cluster);
        store.activate(Map.of());
        store.setDelegate(event -> {
            if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
                store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                        CompletedBatchOperation.succeeded(event.deviceId())));
            }
        });
        return store;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.deactivate();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH_SIZE)
    public void storeBatchAdd() {
        store.storeBatch(batches[nextBatch++ % batches.length]);
    }

    @Benchmark
    public Optional<FlowRuleEvent> addOrUpdateFlowRule() {
        return store.addOrUpdateFlowRule(reports[nextReport++ % reports.length]);
    }
}
