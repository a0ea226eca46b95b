package org.flowstore.app.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

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
    /** Longest one call may take before it counts as failed (the manager's batch timeout, 30 s by default, is shorter). */
    private static final long CALL_TIMEOUT_SECONDS = 60;
    /** Longest the calls still outstanding at the end may take: each is bounded by its timeout. */
    private static final long DRAIN_SECONDS = CALL_TIMEOUT_SECONDS + 10;

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
        private final MeasuredWindow window;
        private final AtomicInteger outstanding;
        private final CompletableFuture<Void> drained = new CompletableFuture<>();

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
            this.window = new MeasuredWindow(spec.duration());
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
            long jit0 = CompilerCpu.nanos();
            window.open();
            Thread.sleep(spec.duration().toMillis());
            MeasuredWindow.Figures measured = window.close();
            double wallNanos = measured.seconds() * 1e9;
            double cpu = (processCpuNanos() - cpu0) / wallNanos / Runtime.getRuntime().availableProcessors() * 100;
            double gc = (gcMillis() - gc0) * 1e6 / wallNanos * 100;
            long jit1 = CompilerCpu.nanos();
            double jit = jit0 < 0 || jit1 < 0 ? 0
                    : (jit1 - jit0) / wallNanos / Runtime.getRuntime().availableProcessors() * 100;
            try {
                drained.get(DRAIN_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                log.warn("Node {}: {} load calls still outstanding {} s after the run ended", localNode,
                        outstanding.get(), DRAIN_SECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            LoadResult result = new LoadResult(localNode.id(), spec, measured.seconds(), measured.ackedFlows(),
                    measured.ackedCalls(), measured.failedCalls(), measured.firstFailure(), measured.latency(),
                    measured.ackedPerInterval(), cpu, gc, jit);
            log.info("Node {} ran its load: {} flows acknowledged in {} s, {} calls failed{}", localNode,
                    result.ackedFlows(), String.format("%.1f", result.seconds()), result.failedCalls(),
                    result.failedCalls() > 0 ? " (first: " + result.firstFailure() + ")" : "");
            return result;
        }

        /** Issues one writer's next call (on the issuer thread). */
        private void issue() {
            if (window.isClosed()) {
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
                // The manager bounds each batch by its own timeout; this one only guards the run against a lost future.
                done = flows.applyFlowRules(batch).orTimeout(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                done = CompletableFuture.failedFuture(e);
            }
            done.whenComplete((failed, error) -> completed(start, batch.size(), failed, error));
        }

        private void completed(long start, int size, List<FlowRule> failed, Throwable error) {
            if (error == null && failed.isEmpty()) {
                window.acknowledged(start, size);
            } else {
                window.failed(error != null ? String.valueOf(error.getMessage())
                        : failed.size() + " of " + size + " flows failed (see the node's log for why)");
            }
            try {
                issuer.execute(this::issue);
            } catch (RejectedExecutionException e) {
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
