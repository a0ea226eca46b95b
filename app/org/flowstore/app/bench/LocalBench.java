package org.flowstore.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * The store's own work on one node (a real one-member cluster), on the design-target workload:
 * {@code devices x flowsPerDevice} flows written in batches of {@code batchSize}. Each repetition
 * runs, timed: storeBatch ADD (building each batch operation from prepared rules, the store call,
 * the delegate's REQUESTED notification, which completes the batch at once as an instant device
 * would), the devices' statistics reports ({@code addOrUpdateFlowRule}), {@code getFlowEntries}
 * of each device, {@code getFlowRuleCount}, storeBatch REMOVE, and the devices' removal reports
 * ({@code removeFlowRule}), which leave the store empty for the next repetition. The heap per flow
 * (rule included) is measured after the first ADD. Warm-up runs the same on separate devices
 * first. Each figure is the median over the repetitions. Run in a fresh JVM by
 * {@code tools/flowstore bench local}; {@link #main} is that JVM's entry point.
 */
public final class LocalBench {

    /**
     * The workload.
     *
     * @param devices devices measured
     * @param flowsPerDevice flows per device
     * @param batchSize flows per batch
     * @param warmupDevices devices of the warm-up
     * @param repeats measured repetitions
     */
    public record Settings(int devices, int flowsPerDevice, int batchSize, int warmupDevices, int repeats) {

        /** Checks the ranges. */
        public Settings {
            if (devices < 1 || flowsPerDevice < 1 || batchSize < 1 || warmupDevices < 0 || repeats < 1
                    || flowsPerDevice > BenchFlows.MAX_KEYS || batchSize > flowsPerDevice) {
                throw new IllegalArgumentException("devices, flows per device (at most " + BenchFlows.MAX_KEYS
                        + "), batch size (at most the flows per device) and repeats must be positive");
            }
        }
    }

    private static final ApplicationId APP = ApplicationId.of(1, "org.flowstore.bench");

    private final Settings settings;
    private final DistributedFlowRuleStore store;
    private long batchIds;

    private LocalBench(Settings settings, DistributedFlowRuleStore store) {
        this.settings = settings;
        this.store = store;
    }

    /**
     * Runs the local bench in this JVM.
     *
     * @param args report folder base, devices, flows per device, batch size, warm-up devices, repeats
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LocalBench <report base> <devices> <flows per device> <batch> <warm-up devices>"
                    + " <repeats>");
            System.exit(2);
        }
        Settings settings = new Settings(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        BenchReport report = new BenchReport("local", Path.of(args[0]), System.out);
        run(settings, report);
        report.finish();
        System.exit(0); // Atomix leaves non-daemon threads behind
    }

    /**
     * Runs the workload on a fresh one-node cluster and reports its figures.
     *
     * @param settings the workload
     * @param report where the figures go
     */
    public static void run(Settings settings, BenchReport report) throws IOException, InterruptedException {
        List<DeviceId> all = new ArrayList<>();
        for (int d = 1; d <= settings.devices() + settings.warmupDevices(); d++) {
            all.add(DeviceId.deviceId(String.format("of:%016x", d)));
        }
        report.json().putPOJO("settings", settings);
        System.out.println("bench local: starting a one-node cluster with " + all.size() + " devices");
        try (InProcessCluster cluster = InProcessCluster.start(1, all, Map.of())) {
            LocalBench bench = new LocalBench(settings, cluster.nodes().get(0).store());
            List<DeviceId> warmup = all.subList(settings.devices(), all.size());
            List<DeviceId> measured = all.subList(0, settings.devices());
            if (!warmup.isEmpty()) {
                Workload warm = new Workload(warmup, settings.flowsPerDevice());
                for (int i = 0; i < 2; i++) {
                    bench.cycle(warm, null, -1);
                }
            }
            // The warm-up's workload is garbage now: the empty heap is measured without it.
            long heapEmpty = liveHeap();
            Workload work = new Workload(measured, settings.flowsPerDevice());
            System.out.println("bench local: warmed up on " + warmup.size() + " devices; measuring "
                    + measured.size() + " x " + settings.flowsPerDevice() + " flows, batches of " + settings.batchSize()
                    + ", " + settings.repeats() + " repetitions");
            List<Map<String, Double>> cycles = new ArrayList<>();
            Histogram addCalls = BenchReport.latencyHistogram();
            for (int r = 0; r < settings.repeats(); r++) {
                cycles.add(bench.cycle(work, addCalls, r == 0 ? heapEmpty : -1));
                System.out.println("bench local: repetition " + (r + 1) + "/" + settings.repeats() + " " + cycles.get(r));
            }
            Map<String, Double> medians = new LinkedHashMap<>();
            for (String name : cycles.get(0).keySet()) {
                double[] values = cycles.stream().filter(c -> c.containsKey(name)).mapToDouble(c -> c.get(name))
                        .sorted().toArray();
                medians.put(name, values[values.length / 2]);
            }
            Map<String, String> units = Map.of("local_heap_per_flow", "bytes", "local_get_flow_entries_ms_per_device", "ms",
                    "local_count_ms", "ms");
            medians.forEach((name, value) -> report.metric(name, value, units.getOrDefault(name, "ops/s")));
            Map<String, Double> rates = new LinkedHashMap<>();
            medians.forEach((name, value) -> {
                if (name.endsWith("_ops_per_s")) {
                    rates.put(name.substring("local_".length(), name.length() - "_ops_per_s".length()), value / 1e6);
                }
            });
            report.bars("local throughput", "M ops/s", rates);
            report.latency("local storeBatch ADD call time", "batches of " + settings.batchSize(), addCalls);
        }
    }

    /**
     * What a repetition writes, built before it: the rules of every device, and the devices'
     * reports of them (ADDED, with counters), built on first use, after the heap per flow was taken.
     */
    private static final class Workload {
        private final List<DeviceId> devices;
        private final int flowsPerDevice;
        private final List<List<FlowRule>> rules = new ArrayList<>();
        private List<FlowEntry> reports;

        Workload(List<DeviceId> devices, int flowsPerDevice) {
            this.devices = devices;
            this.flowsPerDevice = flowsPerDevice;
            for (DeviceId device : devices) {
                rules.add(BenchFlows.flows(device, APP, 0, flowsPerDevice));
            }
        }

        long flows() {
            return (long) devices.size() * flowsPerDevice;
        }

        List<FlowEntry> reports() {
            if (reports == null) {
                reports = new ArrayList<>((int) flows());
                for (List<FlowRule> deviceRules : rules) {
                    for (int i = 0; i < deviceRules.size(); i++) {
                        reports.add(DefaultFlowEntry.builder(deviceRules.get(i)).state(FlowEntryState.ADDED)
                                .packets(i).bytes(64L * i).life(i % 60).build());
                    }
                }
            }
            return reports;
        }
    }

    /**
     * One repetition; returns its figures, and the heap per flow when given the live heap before the
     * workload was built (-1: not measured). Leaves the devices' tables empty. The heap is settled
     * (a full collection) before each timed phase, so that no phase pays for the garbage of another.
     */
    private Map<String, Double> cycle(Workload work, Histogram addCalls, long heapEmpty) throws InterruptedException {
        Map<String, Double> figures = new LinkedHashMap<>();
        List<DeviceId> devices = work.devices;
        List<List<FlowRule>> rules = work.rules;
        long flows = work.flows();

        System.gc();
        long start = System.nanoTime();
        writeAll(devices, rules, FlowRuleOperation.ADD, addCalls);
        figures.put("local_storebatch_add_ops_per_s", rate(flows, start));
        requireCount(flows, "ADD");
        if (heapEmpty >= 0) {
            // The rules are held by the workload and the store alike: counted once, as part of each flow.
            figures.put("local_heap_per_flow", (liveHeap() - heapEmpty) / (double) flows);
        }
        List<FlowEntry> reports = work.reports();

        System.gc();
        start = System.nanoTime();
        for (FlowEntry report : reports) {
            store.addOrUpdateFlowRule(report);
        }
        figures.put("local_add_or_update_ops_per_s", rate(flows, start));

        System.gc();
        start = System.nanoTime();
        long read = 0;
        for (DeviceId device : devices) {
            read += store.getFlowEntries(device).size();
        }
        figures.put("local_get_flow_entries_ms_per_device", (System.nanoTime() - start) / 1e6 / devices.size());
        if (read != flows) {
            throw new IllegalStateException("getFlowEntries returned " + read + " entries, expected " + flows);
        }

        System.gc();
        long[] counts = new long[101];
        for (int i = 0; i < counts.length; i++) {
            long t = System.nanoTime();
            store.getFlowRuleCount();
            counts[i] = System.nanoTime() - t;
        }
        Arrays.sort(counts);
        figures.put("local_count_ms", counts[counts.length / 2] / 1e6);

        System.gc();
        start = System.nanoTime();
        writeAll(devices, rules, FlowRuleOperation.REMOVE, null);
        figures.put("local_storebatch_remove_ops_per_s", rate(flows, start));

        System.gc();
        start = System.nanoTime();
        for (FlowEntry report : reports) {
            store.removeFlowRule(report);
        }
        figures.put("local_removal_reports_ops_per_s", rate(flows, start));
        requireCount(0, "the removal reports");
        return figures;
    }

    private void writeAll(List<DeviceId> devices, List<List<FlowRule>> rules, FlowRuleOperation op, Histogram calls) {
        int batch = settings.batchSize();
        for (int d = 0; d < devices.size(); d++) {
            List<FlowRule> deviceRules = rules.get(d);
            for (int first = 0; first < deviceRules.size(); first += batch) {
                long t = System.nanoTime();
                int last = Math.min(deviceRules.size(), first + batch);
                List<FlowRuleBatchEntry> entries = new ArrayList<>(last - first);
                for (int i = first; i < last; i++) {
                    entries.add(new FlowRuleBatchEntry(op, deviceRules.get(i)));
                }
                store.storeBatch(new FlowRuleBatchOperation(entries, devices.get(d), ++batchIds));
                if (calls != null) {
                    calls.recordValue(Math.min(BenchReport.MAX_LATENCY_MICROS, (System.nanoTime() - t) / 1000));
                }
            }
        }
    }

    private void requireCount(long expected, String after) {
        long count = store.getFlowRuleCount();
        if (count != expected) {
            throw new IllegalStateException("the store holds " + count + " flows after " + after + ", expected " + expected);
        }
    }

    private static double rate(long ops, long startNanos) {
        return ops * 1e9 / (System.nanoTime() - startNanos);
    }

    /** The live heap after full collections, once two in a row agree within 64 KiB. */
    private static long liveHeap() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(100);
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
