package org.flowstore.app.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleService;

/**
 * A node's own write load, in the spirit of ONOS's flow-perf app: {@code inFlight} writers call
 * {@link FlowRuleService#applyFlowRules} on this node with a batch for one device at a time, over
 * every device in turn, and measure each call from the call to its completion (the device's
 * acknowledgement, through the device's master, with its standbys' in sync mode). The cluster
 * benchmark runs it on every node at once, so that no client or REST stands between the load and
 * the store.
 *
 * <p>Threads: {@link #run} blocks its caller for the run; one run at a time. Each call's completion
 * issues the writer's next call on the generator's own thread ({@code flowstore-bench-load}), not
 * on the store thread that completed it.
 */
public final class LoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    /** Granularity of the throughput series. */
    public static final int INTERVAL_MILLIS = 100;
    /** Longest the calls still outstanding at the end may take. */
    private static final long DRAIN_SECONDS = 60;

    private final FlowRuleService flows;
    private final DeviceService devices;
    private final ApplicationIdService applications;
    private final NodeId localNode;
    private final ReentrantLock running = new ReentrantLock();

    /**
     * Creates a generator.
     *
     * @param flows where the calls go
     * @param devices the devices written to (all of them)
     * @param applications registers the run's application
     * @param localNode this node, named in the results and logs
     */
    public LoadGenerator(FlowRuleService flows, DeviceService devices, ApplicationIdService applications,
                         NodeId localNode) {
        this.flows = flows;
        this.devices = devices;
        this.applications = applications;
        this.localNode = localNode;
    }

    /**
     * Runs a load and returns what it measured; blocks for the warm-up, the measured time and the
     * completion of the calls still outstanding.
     *
     * @param spec the load
     * @return the measurement
     * @throws IllegalStateException if a run is already under way, or there is no device
     * @throws InterruptedException if interrupted (the writers stop)
     */
    public LoadResult run(LoadSpec spec) throws InterruptedException {
        if (!running.tryLock()) {
            throw new IllegalStateException("node " + localNode + " is already running a load");
        }
        ExecutorService issuer = Executors.newSingleThreadExecutor(r -> new Thread(r, "flowstore-bench-load"));
        try {
            return new Run(spec, issuer).execute();
        } finally {
            issuer.shutdownNow();
            running.unlock();
        }
    }

    /** One run's state: written by the issuer thread and the completing threads, read by the caller. */
    private final class Run {
        private final LoadSpec spec;
        private final ExecutorService issuer;
        private final List<DeviceId> targets;
        private final List<List<FlowRule>> rules = new ArrayList<>();
        private final AtomicLong nextCall = new AtomicLong();
        private final Recorder latency = new Recorder(BenchReport.MAX_LATENCY_MICROS, 3);
        private final AtomicLong ackedFlows = new AtomicLong();
        private final AtomicLong ackedCalls = new AtomicLong();
        private final AtomicLong failedCalls = new AtomicLong();
        private final AtomicReference<String> firstFailure = new AtomicReference<>("");
        private final AtomicLongArray perInterval;
        private final AtomicInteger outstanding;
        private final CompletableFuture<Void> drained = new CompletableFuture<>();
        private volatile long measureFrom = Long.MAX_VALUE;
        private volatile long stopAt = Long.MAX_VALUE;

        Run(LoadSpec spec, ExecutorService issuer) {
            this.spec = spec;
            this.issuer = issuer;
            this.targets = devices.getDevices().stream().sorted().toList();
            if (targets.isEmpty()) {
                throw new IllegalStateException("node " + localNode + " knows no device to write to");
            }
            ApplicationId app = applications.registerApplication(spec.app());
            for (DeviceId device : targets) {
                rules.add(BenchFlows.flows(device, app, spec.writer(), spec.keysPerDevice()));
            }
            this.perInterval = new AtomicLongArray((int) (spec.duration().toMillis() / INTERVAL_MILLIS) + 1);
            this.outstanding = new AtomicInteger(spec.inFlight());
        }

        LoadResult execute() throws InterruptedException {
            log.info("Node {} starts a load: {} calls of {} flows in flight over {} devices, {} ms warm-up, {} ms measured",
                    localNode, spec.inFlight(), spec.batchSize(), targets.size(), spec.warmup().toMillis(),
                    spec.duration().toMillis());
            for (int i = 0; i < spec.inFlight(); i++) {
                issuer.execute(this::issue);
            }
            Thread.sleep(spec.warmup().toMillis());
            long cpu0 = processCpuNanos();
            long gc0 = gcMillis();
            long acked0 = ackedFlows.get();
            long calls0 = ackedCalls.get();
            long failed0 = failedCalls.get();
            firstFailure.set("");
            latency.reset();
            long begin = System.nanoTime();
            measureFrom = begin;
            Thread.sleep(spec.duration().toMillis());
            long end = System.nanoTime();
            Histogram measured = latency.getIntervalHistogram();
            long acked = ackedFlows.get() - acked0;
            long calls = ackedCalls.get() - calls0;
            long failed = failedCalls.get() - failed0;
            double wallNanos = end - begin;
            double cpu = (processCpuNanos() - cpu0) / wallNanos / Runtime.getRuntime().availableProcessors() * 100;
            double gc = (gcMillis() - gc0) * 1e6 / wallNanos * 100;
            stopAt = end;
            try {
                drained.get(DRAIN_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                log.warn("Node {}: {} load calls still outstanding {} s after the run ended", localNode,
                        outstanding.get(), DRAIN_SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            long[] series = new long[(int) Math.min(perInterval.length(), Math.round(wallNanos / 1e6 / INTERVAL_MILLIS))];
            for (int i = 0; i < series.length; i++) {
                series[i] = perInterval.get(i);
            }
            LoadResult result = new LoadResult(localNode.id(), spec, wallNanos / 1e9, acked, calls, failed,
                    firstFailure.get(), measured, series, cpu, gc);
            log.info("Node {} ran its load: {} flows acknowledged in {} s, {} calls failed{}", localNode, acked,
                    String.format("%.1f", result.seconds()), failed,
                    failed > 0 ? " (first: " + firstFailure.get() + ")" : "");
            return result;
        }

        /** Issues one writer's next call (on the issuer thread). */
        private void issue() {
            if (System.nanoTime() >= stopAt) {
                if (outstanding.decrementAndGet() == 0) {
                    drained.complete(null);
                }
                return;
            }
            long call = nextCall.getAndIncrement();
            int device = (int) (call % targets.size());
            List<FlowRule> deviceRules = rules.get(device);
            int from = (int) (call / targets.size() * spec.batchSize() % deviceRules.size());
            List<FlowRule> batch = deviceRules.subList(from, from + spec.batchSize());
            long start = System.nanoTime();
            CompletableFuture<List<FlowRule>> done;
            try {
                done = flows.applyFlowRules(batch);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            done.whenComplete((failed, error) -> completed(start, batch.size(), failed, error));
        }

        private void completed(long start, int size, List<FlowRule> failed, Throwable error) {
            long now = System.nanoTime();
            if (now >= measureFrom && now < stopAt) {
                if (error == null && failed.isEmpty()) {
                    latency.recordValue(Math.min(BenchReport.MAX_LATENCY_MICROS, (now - start) / 1000));
                    ackedFlows.addAndGet(size);
                    ackedCalls.incrementAndGet();
                    int interval = (int) ((now - measureFrom) / 1_000_000 / INTERVAL_MILLIS);
                    if (interval < perInterval.length()) {
                        perInterval.addAndGet(interval, size);
                    }
                } else {
                    failedCalls.incrementAndGet();
                    String why = error != null ? String.valueOf(error.getMessage()) : failed.size() + " of " + size
                            + " flows failed (see the node's log for why)";
                    firstFailure.compareAndSet("", why.substring(0, Math.min(why.length(), 300)));
                }
            }
            try {
                issuer.execute(this::issue);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drained.complete(null); // the run was abandoned
            }
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
