package org.flowstore.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.flowstore.app.bench.BenchReport;
import org.flowstore.app.bench.LoadResource;
import org.flowstore.app.bench.LoadResult;
import org.flowstore.app.bench.LoadSpec;

/**
 * {@code flowstore bench cluster}: the distributed write path under load. For each backup mode,
 * a fresh local cluster of node processes (as users run them, at their default heap), and for each
 * batch size and in-flight count, every node's own load generator writing to every device at once
 * (a write on any node goes to the device's master, is backed up, and is acknowledged to the issuer).
 * Per configuration: acknowledged flows/s, latency percentiles from call to completion on the
 * issuer, the nodes' CPU and GC share. Then the summary lines other scripts read:
 * {@code cluster_sync_acked_flows_per_s} (the best sync configuration),
 * {@code cluster_sync_single_flow_writes_per_s} (batches of 1, 64 in flight per node),
 * {@code cluster_sync_p99_ms_single_flow_inflight1}, {@code cluster_sync_p99_ms_batch1000_inflight1},
 * {@code cluster_sync_p99_ms_batch1000_inflight16} and {@code cluster_gc_percent} (the mean over the
 * sync configurations).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "A local cluster of node processes under every node's own write load: acknowledged flows/s,"
                + " latency percentiles, CPU and GC, per batch size, in-flight count and backup mode.")
final class BenchClusterCommand implements Callable<Integer> {

    private static final String APP = "org.flowstore.bench";
    /** The simulated devices acknowledge at once (their default 2 ms would be most of a single write's time). */
    static final String INSTANT_DEVICES = "deviceLatency=0";
    /** The warm-up's loads: batch size and calls in flight per node, each for an equal share of its time. */
    private static final int[][] WARMUP_LOADS = {{1, 16}, {100, 16}, {1000, 4}};
    /** The share of the machine's CPU a node's JIT compilers may take in a warm-up load for it to count as compiled. */
    static final double JIT_QUIET_PERCENT = 3;
    /** One further round of warm-up loads, while a node still compiles. */
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    /** The longest the warm-up goes on past {@code --jit-warmup-ms}. */
    private static final Duration WARMUP_EXTENSION = Duration.ofSeconds(120);

    @Mixin
    BenchOptions bench;

    @Mixin
    BenchClusterOptions cluster;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,100,1000",
            description = "Flows per call (default ${DEFAULT-VALUE})")
    List<Integer> batchSizes;

    @Option(names = "--in-flight", split = ",", defaultValue = "1,16,64",
            description = "Calls in flight per node (default ${DEFAULT-VALUE})")
    List<Integer> inFlight;

    @Option(names = "--jit-warmup-ms", description = "Unmeasured load on each freshly started cluster before its first"
            + " configuration, so that the nodes' JIT compilers are done: at least this long, then on until they are"
            + " quiet, for at most 120 s more (default 20000; --quick 0: none)")
    Integer jitWarmupMillis;

    @Option(names = "--modes", split = ",", defaultValue = "sync,async",
            description = "Backup modes (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        for (String mode : modes) {
            if (!mode.equals("sync") && !mode.equals("async")) {
                System.err.println("flowstore bench cluster: --modes takes sync and async, not '" + mode + "'");
                return 2;
            }
        }
        int nodes = cluster.nodes;
        int devices = cluster.devices;
        if (nodes < 1 || nodes > 16 || devices < 1) {
            System.err.println("flowstore bench cluster: --nodes must be 1..16 and --devices at least 1");
            return 2;
        }
        Duration jitWarmup = jitWarmupMillis != null ? Duration.ofMillis(jitWarmupMillis)
                : Duration.ofSeconds(bench.quick ? 0 : 20);
        if (jitWarmup.isNegative() || jitWarmup.toMillis() > 600_000) {
            System.err.println("flowstore bench cluster: --jit-warmup-ms must be 0..600000");
            return 2;
        }
        Duration warmup = cluster.warmup(Duration.ofMillis(bench.quick ? 100 : 2000));
        Duration duration = cluster.duration(Duration.ofMillis(bench.quick ? 300 : 10_000));
        int keysPerDevice = cluster.keysPerDevice(bench.quick);
        List<LoadSpec> specs = new ArrayList<>();
        try {
            for (int b : batchSizes) {
                for (int f : inFlight) {
                    specs.add(new LoadSpec(b, f, warmup, duration, keysPerDevice, 0, APP));
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("flowstore bench cluster: " + e.getMessage());
            return 2;
        }
        BenchReport report = new BenchReport("cluster", bench.out, out);
        report.json().put("nodes", nodes).put("devices", devices).put("warmupMs", warmup.toMillis())
                .put("durationMs", duration.toMillis()).put("keysPerDevice", keysPerDevice);
        ArrayNode configurations = report.json().putArray("configurations");
        Map<String, BenchLoadFigures> figures = new LinkedHashMap<>();
        int total = specs.size() * modes.size();
        for (String mode : modes) {
            LocalCluster local = cluster.cluster();
            try (ClusterShutdown shutdown = new ClusterShutdown(local, out, "bench", () -> { })) {
                out.printf("bench cluster: starting %d nodes, %d devices, %s backup (logs in %s)%n", nodes, devices,
                        mode, cluster.dir().resolve("logs"));
                List<LocalCluster.Node> started = local.start(nodes, devices,
                        cluster.nodeArgs("backupMode=" + mode, "loadGenerator=true", INSTANT_DEVICES), out);
                warmUp(started, keysPerDevice, jitWarmup, out);
                for (LoadSpec spec : specs) {
                    String name = "cluster_" + mode + "_b" + spec.batchSize() + "_f" + spec.inFlight();
                    BenchLoadFigures f = BenchLoadFigures.of(load(started, spec));
                    figures.put(name, f);
                    configurations.add(f.report(report, name, "cluster " + mode,
                            "batch " + spec.batchSize() + " x " + spec.inFlight() + " in flight", true)
                            .put("mode", mode).put("batchSize", spec.batchSize()).put("inFlight", spec.inFlight()));
                    out.printf(Locale.ROOT, "bench cluster: %d/%d %s batch=%d in_flight=%d: %.0f flows/s, p50 %.2f ms,"
                                    + " p99 %.2f ms, cpu %.0f%%, gc %.1f%%, jit %.1f%%, %d failed%s%n", figures.size(),
                            total, mode, spec.batchSize(), spec.inFlight(), f.flowsPerSecond(), f.percentileMillis(50),
                            f.percentileMillis(99), f.cpuPercent(), f.gcPercent(), f.jitPercent(), f.failedCalls(),
                            f.failedCalls() > 0 ? " (" + f.firstFailure() + ")" : "");
                }
            }
        }
        summarize(report, figures, out);
        report.finish();
        return 0;
    }

    /**
     * Runs unmeasured loads of every batch size on a freshly started cluster for the given time,
     * then in rounds of {@link #WARMUP_ROUND} until no node's JIT compilers took more than
     * {@value #JIT_QUIET_PERCENT} % of the machine's CPU in a load, for at most
     * {@link #WARMUP_EXTENSION} more: a new JVM spends its first minute or so compiling (after 10 s
     * of warm-up the C2 compiler threads still took a fifth to a third of a core per node, and
     * single-flow writes measured then ran at a third of their later rate), which the first
     * configurations would otherwise measure.
     */
    private void warmUp(List<LocalCluster.Node> started, int keysPerDevice, Duration time, PrintStream out)
            throws IOException, InterruptedException {
        if (time.isZero()) {
            return;
        }
        out.printf("bench cluster: warming the nodes' JIT compilers up for %d s or more, until they are quiet"
                + " (batches of 1, 100 and 1000; not measured)%n", time.toSeconds());
        long start = System.nanoTime();
        double jit = warmUpRound(started, keysPerDevice, time);
        while (jit > JIT_QUIET_PERCENT && System.nanoTime() - start < time.plus(WARMUP_EXTENSION).toNanos()) {
            jit = warmUpRound(started, keysPerDevice, WARMUP_ROUND);
        }
        out.printf(Locale.ROOT, "bench cluster: warmed up for %.0f s; the busiest node's JIT compilers took %.1f%% of"
                + " the machine's CPU in the last load%s%n", (System.nanoTime() - start) / 1e9, jit,
                jit > JIT_QUIET_PERCENT ? " (still compiling: the first configurations may measure it)" : "");
    }

    /** Runs each warm-up load for a share of the time; returns the most any node's JIT took of one of them. */
    private double warmUpRound(List<LocalCluster.Node> started, int keysPerDevice, Duration time)
            throws IOException, InterruptedException {
        Duration each = time.dividedBy(WARMUP_LOADS.length).plusMillis(100);
        double jit = 0;
        for (int[] load : WARMUP_LOADS) {
            for (LoadResult r : load(started, new LoadSpec(load[0], load[1], Duration.ZERO, each, keysPerDevice, 0,
                    APP))) {
                jit = Math.max(jit, r.jitPercent());
            }
        }
        return jit;
    }

    /** Runs one load on every node at once; returns what each measured. */
    private List<LoadResult> load(List<LocalCluster.Node> started, LoadSpec spec)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Duration timeout = spec.warmup().plus(spec.duration()).plusSeconds(120);
        List<CompletableFuture<HttpResponse<byte[]>>> replies = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            LoadSpec own = new LoadSpec(spec.batchSize(), spec.inFlight(), spec.warmup(), spec.duration(),
                    spec.keysPerDevice(), i, spec.app());
            replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(started.get(i).rest() + LoadResource.PATH))
                    .timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(RestClient.MAPPER.writeValueAsBytes(own.toJson())))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<LoadResult> results = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            HttpResponse<byte[]> reply;
            try {
                reply = replies.get(i).get();
            } catch (ExecutionException e) {
                throw new IOException("node " + started.get(i).id() + " did not answer its load run: " + e.getCause(),
                        e.getCause());
            }
            JsonNode body = RestClient.MAPPER.readTree(reply.body());
            if (reply.statusCode() != 200) {
                throw new IOException("node " + started.get(i).id() + " refused its load run: HTTP "
                        + reply.statusCode() + " " + body.path("message").asText());
            }
            results.add(LoadResult.fromJson(body));
        }
        return results;
    }

    private static void summarize(BenchReport report, Map<String, BenchLoadFigures> figures, PrintStream out) {
        String best = null;
        double gc = 0;
        int sync = 0;
        for (Map.Entry<String, BenchLoadFigures> e : figures.entrySet()) {
            if (e.getKey().startsWith("cluster_sync_")) {
                sync++;
                gc += e.getValue().gcPercent();
                if (best == null || e.getValue().flowsPerSecond() > figures.get(best).flowsPerSecond()) {
                    best = e.getKey();
                }
            }
        }
        if (best == null) {
            out.println("bench cluster: no sync configuration ran, so no summary");
            return;
        }
        out.println("bench cluster: best sync configuration " + best);
        report.json().put("bestSync", best);
        report.metric("cluster_sync_acked_flows_per_s", Math.round(figures.get(best).flowsPerSecond()), "flows/s");
        summary(report, figures, out, "cluster_sync_b1_f64", "cluster_sync_single_flow_writes_per_s", -1);
        summary(report, figures, out, "cluster_sync_b1_f1", "cluster_sync_p99_ms_single_flow_inflight1", 99);
        summary(report, figures, out, "cluster_sync_b1000_f1", "cluster_sync_p99_ms_batch1000_inflight1", 99);
        summary(report, figures, out, "cluster_sync_b1000_f16", "cluster_sync_p99_ms_batch1000_inflight16", 99);
        report.metric("cluster_gc_percent", gc / sync, "percent");
    }

    /** Reports a configuration's rate (percentile -1) or a latency percentile under a summary name. */
    private static void summary(BenchReport report, Map<String, BenchLoadFigures> figures, PrintStream out,
                                String configuration, String name, double percentile) {
        BenchLoadFigures f = figures.get(configuration);
        if (f == null) {
            out.println("bench cluster: no " + name + ": configuration " + configuration + " did not run");
        } else if (percentile < 0) {
            report.metric(name, Math.round(f.flowsPerSecond()), "flows/s");
        } else {
            report.metric(name, f.percentileMillis(percentile), "ms");
        }
    }
}
