package org.flowstore.app.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.NodeStack;
import org.flowstore.store.flow.FlowStoreSubjects;
import org.flowstore.store.flow.StoreConfig;

/**
 * What replication costs on the wire, measured on two real nodes in this JVM (sync backup, one
 * standby): the message bytes a master sends its standby per changed flow, for each kind of change
 * (a delta per batch or report), and per flow of a whole-table snapshot. Bytes are counted where
 * the messages are sent ({@code AtomixMessaging}), bodies only (no transport framing).
 *
 * <p>The snapshot is the real one: the tables are filled with backups off, backups are turned on,
 * and the next write to each device finds its standby without a copy, so the master sends the
 * whole table. Then, on those tables: new flows added, every flow modified, every flow added again
 * unchanged (as applications re-push their rules), the devices' first reports (PENDING_ADD to
 * ADDED), their statistics reports (new counters), and removal (the REMOVE batch and the device's
 * removal report). The reports send nothing: what a device reports of the flows the store wants
 * on it stays on its master; the phases stay to show it.
 */
public final class ReplicationBench {

    private static final ApplicationId APP = ApplicationId.of(1, "org.flowstore.bench");
    private static final int BATCH = 100;
    /** How long the bytes sent must stay unchanged before a phase counts as finished. */
    private static final long QUIET_MILLIS = 400;

    private final InProcessCluster cluster;
    private final List<DeviceId> devices;
    private final int flowsPerDevice;
    private long batchIds;

    private ReplicationBench(InProcessCluster cluster, List<DeviceId> devices, int flowsPerDevice) {
        this.cluster = cluster;
        this.devices = devices;
        this.flowsPerDevice = flowsPerDevice;
    }

    /**
     * Runs the measurement and reports {@code replication_*_bytes_per_flow} figures.
     *
     * @param deviceCount devices
     * @param flowsPerDevice flows on each device
     * @param report where the figures go
     */
    public static void run(int deviceCount, int flowsPerDevice, BenchReport report)
            throws IOException, InterruptedException {
        if (deviceCount < 1 || flowsPerDevice < 1 || 2 * flowsPerDevice > BenchFlows.MAX_KEYS) {
            throw new IllegalArgumentException("devices must be positive and flows per device 1.."
                    + BenchFlows.MAX_KEYS / 2);
        }
        List<DeviceId> devices = new ArrayList<>();
        for (int d = 1; d <= deviceCount; d++) {
            devices.add(DeviceId.deviceId(String.format("of:%016x", d)));
        }
        report.json().put("devices", deviceCount).put("flowsPerDevice", flowsPerDevice).put("batchSize", BATCH);
        System.out.println("bench replication: starting 2 nodes, " + deviceCount + " devices x " + flowsPerDevice
                + " flows");
        try (InProcessCluster cluster = InProcessCluster.start(2, devices,
                Map.of(StoreConfig.BACKUP_ENABLED, false, StoreConfig.BACKUP_COUNT, 1, StoreConfig.BACKUP_MODE, "sync"))) {
            new ReplicationBench(cluster, devices, flowsPerDevice).measure(report);
        }
    }

    private void measure(BenchReport report) throws InterruptedException {
        List<List<FlowRule>> original = new ArrayList<>();
        List<List<FlowRule>> added = new ArrayList<>();
        List<List<FlowRule>> modified = new ArrayList<>();
        // The modified rules again, equal in every field but other instances, as a client re-pushing them sends.
        List<List<FlowRule>> readded = new ArrayList<>();
        for (DeviceId device : devices) {
            List<FlowRule> rules = new ArrayList<>();
            List<FlowRule> more = new ArrayList<>();
            List<FlowRule> changed = new ArrayList<>();
            List<FlowRule> again = new ArrayList<>();
            for (int key = 0; key < flowsPerDevice; key++) {
                rules.add(BenchFlows.flow(device, APP, 0, key, key % 48 + 1));
                more.add(BenchFlows.flow(device, APP, 0, flowsPerDevice + key, key % 48 + 1));
                changed.add(BenchFlows.flow(device, APP, 0, key, (key + 1) % 48 + 1));
                again.add(BenchFlows.flow(device, APP, 0, key, (key + 1) % 48 + 1));
            }
            original.add(rules);
            added.add(more);
            modified.add(changed);
            readded.add(again);
        }
        long flows = (long) devices.size() * flowsPerDevice;
        Map<String, Double> perFlow = new LinkedHashMap<>();

        writeAll(original, FlowRuleOperation.ADD);
        awaitQuiet(FlowStoreSubjects.BACKUP_DELTA);
        for (NodeStack node : cluster.nodes()) {
            node.store().modified(Map.of(StoreConfig.BACKUP_ENABLED, true, StoreConfig.BACKUP_COUNT, 1,
                    StoreConfig.BACKUP_MODE, "sync"));
        }
        long snapshot = phase(FlowStoreSubjects.BACKUP_SNAPSHOT, () -> writeAll(firstOf(added), FlowRuleOperation.ADD));
        if (snapshot == 0) {
            throw new IllegalStateException("no snapshot was sent when backups were turned on");
        }
        perFlow.put("snapshot", snapshot / (double) (flows + devices.size()));

        perFlow.put("add", phase(FlowStoreSubjects.BACKUP_DELTA, () -> writeAll(restOf(added), FlowRuleOperation.ADD))
                / (double) (flows - devices.size()));
        perFlow.put("modify", phase(FlowStoreSubjects.BACKUP_DELTA, () -> writeAll(modified, FlowRuleOperation.MODIFY))
                / (double) flows);
        perFlow.put("readd", phase(FlowStoreSubjects.BACKUP_DELTA, () -> writeAll(readded, FlowRuleOperation.ADD))
                / (double) flows);
        perFlow.put("added_report", phase(FlowStoreSubjects.BACKUP_DELTA, () -> report(modified, 1))
                / (double) flows);
        perFlow.put("statistics", phase(FlowStoreSubjects.BACKUP_DELTA, () -> report(modified, 2)) / (double) flows);
        perFlow.put("remove", phase(FlowStoreSubjects.BACKUP_DELTA, () -> {
            writeAll(modified, FlowRuleOperation.REMOVE);
            forEachRule(modified, (rule, i) -> cluster.masterOf(rule.deviceId()).store()
                    .removeFlowRule(DefaultFlowEntry.builder(rule).state(FlowEntryState.ADDED).build()));
        }) / (double) flows);

        perFlow.forEach((kind, bytes) -> report.metric("replication_" + kind + "_bytes_per_flow", bytes, "bytes"));
        report.bars("replication bytes per changed flow", "bytes per flow", perFlow);
    }

    /** Runs a phase and returns the bytes all nodes sent on a subject meanwhile, once it went quiet. */
    private long phase(MessageSubject subject, Runnable work) throws InterruptedException {
        long before = sent(subject);
        work.run();
        return awaitQuiet(subject) - before;
    }

    private long awaitQuiet(MessageSubject subject) throws InterruptedException {
        long last = sent(subject);
        long quietSince = System.nanoTime();
        while ((System.nanoTime() - quietSince) / 1_000_000 < QUIET_MILLIS) {
            Thread.sleep(50);
            long now = sent(subject);
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        return last;
    }

    private long sent(MessageSubject subject) {
        return cluster.nodes().stream().mapToLong(n -> n.messaging().bytesSent(subject)).sum();
    }

    private void writeAll(List<List<FlowRule>> rules, FlowRuleOperation op) {
        for (List<FlowRule> deviceRules : rules) {
            if (deviceRules.isEmpty()) {
                continue;
            }
            NodeStack master = cluster.masterOf(deviceRules.get(0).deviceId());
            for (int first = 0; first < deviceRules.size(); first += BATCH) {
                List<FlowRuleBatchEntry> entries = new ArrayList<>();
                for (FlowRule rule : deviceRules.subList(first, Math.min(deviceRules.size(), first + BATCH))) {
                    entries.add(new FlowRuleBatchEntry(op, rule));
                }
                master.store().storeBatch(new FlowRuleBatchOperation(entries, deviceRules.get(0).deviceId(), ++batchIds));
            }
        }
    }

    /** The devices' report of every flow: ADDED, counters growing with {@code round}. */
    private void report(List<List<FlowRule>> rules, int round) {
        forEachRule(rules, (rule, i) -> cluster.masterOf(rule.deviceId()).store().addOrUpdateFlowRule(
                DefaultFlowEntry.builder(rule).state(FlowEntryState.ADDED).packets((long) round * i)
                        .bytes(64L * round * i).life(round).build()));
    }

    private interface RuleAction {
        void accept(FlowRule rule, int index);
    }

    private static void forEachRule(List<List<FlowRule>> rules, RuleAction action) {
        for (List<FlowRule> deviceRules : rules) {
            for (int i = 0; i < deviceRules.size(); i++) {
                action.accept(deviceRules.get(i), i);
            }
        }
    }

    private static List<List<FlowRule>> firstOf(List<List<FlowRule>> rules) {
        return rules.stream().map(r -> r.subList(0, 1)).toList();
    }

    private static List<List<FlowRule>> restOf(List<List<FlowRule>> rules) {
        return rules.stream().map(r -> r.subList(1, r.size())).toList();
    }
}
