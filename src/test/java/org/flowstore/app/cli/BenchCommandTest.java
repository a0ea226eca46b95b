package org.flowstore.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flowstore.testing.TestPorts;

/**
 * The smoke of {@code tools/flowstore bench}: each mode run with {@code --quick} prints every one
 * of its metric lines in the contract's form, with a plausible value, and writes its report
 * (JSON with the same metrics) and plots. No figure is compared with a target: the benchmarks
 * measure, the suite only checks that they run.
 */
@Timeout(600)
class BenchCommandTest {

    private static final Pattern METRIC = Pattern.compile("metric=([a-z0-9_]+) value=(-?[0-9.]+) unit=(\\S+)");
    private static final Pattern REPORT = Pattern.compile("bench: (\\w+) report in (\\S+) \\(report.json, (\\d+) plots\\)");

    @Test
    void localReportsEveryFigureOfTheStoreOnOneNode() throws Exception {
        Map<String, Double> metrics = run(List.of("local", "--quick"), "local", 2);
        assertEquals(List.of("local_storebatch_add_ops_per_s", "local_heap_per_flow", "local_add_or_update_ops_per_s",
                "local_get_flow_entries_ms_per_device", "local_count_ms", "local_storebatch_remove_ops_per_s",
                "local_removal_reports_ops_per_s"), List.copyOf(metrics.keySet()));
        assertTrue(metrics.get("local_storebatch_add_ops_per_s") > 0);
        assertTrue(metrics.get("local_heap_per_flow") > 0, "a stored flow takes heap");
    }

    @Test
    void replicationReportsBytesPerChangedFlowOfEveryKind() throws Exception {
        Map<String, Double> metrics = run(List.of("replication", "--quick"), "replication", 1);
        for (String kind : List.of("snapshot", "add", "modify", "readd", "remove")) {
            Double bytes = metrics.get("replication_" + kind + "_bytes_per_flow");
            assertTrue(bytes != null && bytes > 0 && bytes < 1000, kind + ": " + bytes);
        }
        // What the devices report of the flows the store wants on them stays on their masters.
        assertEquals(0.0, metrics.get("replication_added_report_bytes_per_flow"));
        assertEquals(0.0, metrics.get("replication_statistics_bytes_per_flow"));
    }

    @Test
    void clusterReportsEveryConfigurationAndTheSummary() throws Exception {
        // Sync only, to keep the suite short: async differs only in a node property the bench passes on.
        List<String> args = new ArrayList<>(List.of("cluster", "--quick", "--modes", "sync"));
        args.addAll(ports());
        Map<String, Double> metrics = run(args, "cluster", 2);
        double acked = 0;
        for (String mode : List.of("sync")) {
            for (int batch : List.of(1, 100, 1000)) {
                for (int inFlight : List.of(1, 16, 64)) {
                    String prefix = "cluster_" + mode + "_b" + batch + "_f" + inFlight;
                    // A quick window can be shorter than one call of a heavy configuration: only the sum must grow.
                    acked += metrics.get(prefix + "_acked_flows_per_s");
                    for (String figure : List.of("_p50_ms", "_p99_ms", "_p999_ms", "_failed_calls", "_cpu_percent",
                            "_gc_percent")) {
                        assertTrue(metrics.containsKey(prefix + figure), prefix + figure);
                    }
                    assertTrue(metrics.get(prefix + "_p99_ms") >= metrics.get(prefix + "_p50_ms"), prefix);
                }
            }
        }
        assertTrue(acked > 0, "the nodes' load generators had flows acknowledged");
        for (String summary : List.of("cluster_sync_acked_flows_per_s", "cluster_sync_single_flow_writes_per_s",
                "cluster_sync_p99_ms_single_flow_inflight1", "cluster_sync_p99_ms_batch1000_inflight1",
                "cluster_sync_p99_ms_batch1000_inflight16", "cluster_gc_percent")) {
            assertTrue(metrics.containsKey(summary), summary);
        }
        assertEquals(metrics.get("cluster_sync_b1_f64_acked_flows_per_s"), metrics.get("cluster_sync_single_flow_writes_per_s"));
    }

    @Test
    void restReportsTheFlowsAcknowledgedThroughBulkPosts() throws Exception {
        List<String> args = new ArrayList<>(List.of("rest", "--quick"));
        args.addAll(ports());
        Map<String, Double> metrics = run(args, "rest", 2);
        assertTrue(metrics.get("rest_acked_flows_per_s") > 0);
        assertEquals(metrics.get("rest_b1000_f4_acked_flows_per_s"), metrics.get("rest_acked_flows_per_s"));
    }

    private static List<String> ports() throws Exception {
        return List.of("--run-dir", Files.createTempDirectory("flowstore-bench-run").toString(), "--rest-port-base",
                String.valueOf(TestPorts.freeRange(3)), "--cluster-port-base", String.valueOf(TestPorts.freeRange(3)));
    }

    /**
     * Runs a bench command; checks its exit status, its metric lines and its report; returns the
     * metrics in the order printed.
     */
    private static Map<String, Double> run(List<String> args, String mode, int plots) throws Exception {
        Path out = Files.createTempDirectory("flowstore-bench");
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(args);
        all.addAll(List.of("--out", out.toString()));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = FlowstoreCommand.commandLine().execute(all.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertEquals(0, exit, "exit status");

        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            Matcher m = METRIC.matcher(line);
            if (line.startsWith("metric=")) {
                assertTrue(m.matches(), "contract form: " + line);
                assertFalse(metrics.containsKey(m.group(1)), "one line per metric: " + line);
                metrics.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        Matcher report = output.lines().map(REPORT::matcher).filter(Matcher::matches).findFirst().orElseThrow();
        assertEquals(mode, report.group(1));
        Path dir = Path.of(report.group(2));
        assertTrue(dir.startsWith(out) && dir.getFileName().toString().startsWith(mode + "-"), dir.toString());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals(metrics.keySet(), fieldNames(json.path("metrics")));
        if (json.has("plotsSkipped")) {
            System.out.println("plots not checked: " + json.path("plotsSkipped").asText());
        } else {
            assertEquals(plots, Integer.parseInt(report.group(3)), "plots");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(plots, files.filter(p -> p.toString().endsWith(".png")).count());
            }
        }
        return metrics;
    }

    private static java.util.Set<String> fieldNames(JsonNode object) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
