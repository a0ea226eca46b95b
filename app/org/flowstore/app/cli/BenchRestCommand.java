package org.flowstore.app.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.flowstore.app.bench.BenchFlows;
import org.flowstore.app.bench.BenchReport;
import org.flowstore.app.bench.LoadGenerator;
import org.flowstore.app.bench.MeasuredWindow;

/**
 * {@code flowstore bench rest}: a fresh local cluster of node processes (sync backup) written to
 * over REST bulk posts ({@code POST /onos/v1/flows}, {@code --batch} flows per request), from this
 * JVM with {@code --in-flight} requests outstanding per node, every node written to, each request
 * for one device in turn. A request counts as acknowledged when it answers 200 with every flow.
 * Ends with {@code metric=rest_acked_flows_per_s}.
 *
 * <p>Threads: the HTTP client's executor completes each request and sends the lane's next one.
 */
@Command(name = "rest", mixinStandardHelpOptions = true,
        description = "A local cluster of node processes written to over REST bulk posts: acknowledged flows/s and"
                + " request latency.")
final class BenchRestCommand implements Callable<Integer> {

    private static final String APP = "org.flowstore.bench.rest";

    @Mixin
    BenchOptions bench;

    @Mixin
    BenchClusterOptions cluster;

    @Option(names = "--batch", defaultValue = "1000", description = "Flows per request (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--in-flight", description = "Requests in flight per node (default 16; --quick 4)")
    Integer inFlightOption;

    private int inFlight;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        int nodes = cluster.nodes;
        int devices = cluster.devices;
        int keysPerDevice = cluster.keysPerDevice(bench.quick);
        inFlight = inFlightOption != null ? inFlightOption : bench.quick ? 4 : 16;
        if (nodes < 1 || nodes > BenchFlows.MAX_WRITERS || devices < 1 || batch < 1 || batch > keysPerDevice
                || inFlight < 1 || keysPerDevice > BenchFlows.MAX_KEYS) {
            System.err.println("flowstore bench rest: --nodes 1.." + BenchFlows.MAX_WRITERS + ", --devices, --batch"
                    + " (at most --keys), --in-flight at least 1");
            return 2;
        }
        // The nodes compile the REST and write paths for about a minute of this load: after 3 s of it they
        // took 19 k flows/s, after 60 s 41 k (same build, same machine).
        long warmup = cluster.warmup(Duration.ofMillis(bench.quick ? 3000 : 60_000)).toMillis();
        long duration = cluster.duration(Duration.ofMillis(bench.quick ? 2000 : 10_000)).toMillis();
        BenchReport report = new BenchReport("rest", bench.out, out);
        report.json().put("nodes", nodes).put("devices", devices).put("batch", batch).put("inFlightPerNode", inFlight)
                .put("warmupMs", warmup).put("durationMs", duration);
        LocalCluster local = cluster.cluster();
        BenchLoadFigures figures;
        try (ClusterShutdown shutdown = new ClusterShutdown(local, out, "bench", () -> { })) {
            out.printf("bench rest: starting %d nodes, %d devices, sync backup (logs in %s)%n", nodes, devices,
                    cluster.dir().resolve("logs"));
            List<LocalCluster.Node> started = local.start(nodes, devices,
                    cluster.nodeArgs("backupMode=sync", BenchClusterCommand.INSTANT_DEVICES), out);
            List<String> deviceIds = LocalCluster.deviceIds(devices);
            figures = new Posts(started, deviceIds, keysPerDevice / batch * batch).run(warmup, duration);
        }
        String name = "rest_b" + batch + "_f" + inFlight;
        report.json().set("configuration", figures.report(report, name, "rest", "batch " + batch + " x " + inFlight
                + " in flight per node", false));
        out.printf(Locale.ROOT, "bench rest: %.0f flows/s, p50 %.1f ms, p99 %.1f ms, %d failed%s%n",
                figures.flowsPerSecond(), figures.percentileMillis(50), figures.percentileMillis(99),
                figures.failedCalls(), figures.failedCalls() > 0 ? " (" + figures.firstFailure() + ")" : "");
        report.metric("rest_acked_flows_per_s", Math.round(figures.flowsPerSecond()), "flows/s");
        report.finish();
        return 0;
    }

    /** One run of the posting lanes: its bodies prepared up front, its counters shared by the lanes. */
    private final class Posts {
        private final List<LocalCluster.Node> nodes;
        /** Per node: every request body, for each device and key window in turn. */
        private final List<List<byte[]>> bodies = new ArrayList<>();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final AtomicLong[] nextBody;
        /** Set by run before the first post. */
        private volatile MeasuredWindow window;

        Posts(List<LocalCluster.Node> nodes, List<String> deviceIds, int keysPerDevice) throws Exception {
            this.nodes = nodes;
            this.nextBody = new AtomicLong[nodes.size()];
            for (int w = 0; w < nodes.size(); w++) {
                nextBody[w] = new AtomicLong();
                List<byte[]> own = new ArrayList<>();
                for (int first = 0; first < keysPerDevice; first += batch) {
                    for (String device : deviceIds) {
                        ObjectNode body = RestClient.MAPPER.createObjectNode();
                        ArrayNode flows = body.putArray("flows");
                        for (int key = first; key < first + batch; key++) {
                            flows.add(DemoCommand.flow(device, w * BenchFlows.MAX_KEYS + key));
                        }
                        own.add(RestClient.MAPPER.writeValueAsBytes(body));
                    }
                }
                bodies.add(own);
            }
        }

        BenchLoadFigures run(long warmupMillis, long durationMillis) throws InterruptedException {
            window = new MeasuredWindow(Duration.ofMillis(durationMillis));
            List<CompletableFuture<Void>> lanes = new ArrayList<>();
            for (int w = 0; w < nodes.size(); w++) {
                for (int i = 0; i < inFlight; i++) {
                    CompletableFuture<Void> lane = new CompletableFuture<>();
                    lanes.add(lane);
                    post(w, lane);
                }
            }
            Thread.sleep(warmupMillis);
            window.open();
            Thread.sleep(durationMillis);
            MeasuredWindow.Figures measured = window.close();
            try {
                CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                System.err.println("bench rest: requests still outstanding 120 s after the run ended");
            }
            return new BenchLoadFigures(measured.ackedFlows() / measured.seconds(), measured.latency(),
                    measured.ackedPerInterval(), LoadGenerator.INTERVAL_MILLIS / 1000.0, 0, 0, 0,
                    measured.failedCalls(), measured.firstFailure());
        }

        /** Why a request was not acknowledged, or null when every flow was. */
        private static String failure(HttpResponse<byte[]> reply, Throwable error) {
            if (error != null) {
                return String.valueOf(error);
            }
            String body = new String(reply.body(), StandardCharsets.UTF_8);
            if (reply.statusCode() != 200) {
                return "HTTP " + reply.statusCode() + " " + body.substring(0, Math.min(body.length(), 300));
            }
            // A bulk post some of whose flows failed still answers 200, listing them under "failed".
            return body.contains("\"failed\"") ? "some flows failed (see the node's log for why)" : null;
        }

        private void post(int writer, CompletableFuture<Void> lane) {
            if (window.isClosed()) {
                lane.complete(null);
                return;
            }
            List<byte[]> own = bodies.get(writer);
            byte[] body = own.get((int) (nextBody[writer].getAndIncrement() % own.size()));
            long start = System.nanoTime();
            http.sendAsync(HttpRequest.newBuilder(URI.create(nodes.get(writer).rest() + "/onos/v1/flows?appId=" + APP))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((reply, error) -> {
                        String failure = failure(reply, error);
                        if (failure == null) {
                            window.acknowledged(start, batch);
                        } else {
                            window.failed(nodes.get(writer).id() + ": " + failure);
                        }
                        post(writer, lane);
                    });
        }
    }
}
