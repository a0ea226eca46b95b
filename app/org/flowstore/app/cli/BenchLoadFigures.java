package org.flowstore.app.cli;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import org.flowstore.app.bench.BenchReport;
import org.flowstore.app.bench.LoadGenerator;
import org.flowstore.app.bench.LoadResult;

/**
 * One load configuration's figures over every writer: flows acknowledged per second (the writers'
 * rates added up), the latency of every acknowledged call (histograms merged), the throughput
 * over time (added up per interval), the nodes' CPU and their JIT compilers' CPU (added up: their
 * share of the machine), GC (the mean of their shares of the wall time), and the calls that failed.
 *
 * @param flowsPerSecond acknowledged flows per second
 * @param latency call-to-completion time, microseconds
 * @param perInterval acknowledged flows per interval
 * @param intervalSeconds the interval
 * @param cpuPercent the machine's CPU the nodes used, percent
 * @param gcPercent the nodes' mean GC time, percent of the wall time
 * @param jitPercent the machine's CPU the nodes' JIT compilers used, percent
 * @param failedCalls calls that failed
 * @param firstFailure the first failure's reason, or empty
 */
record BenchLoadFigures(double flowsPerSecond, Histogram latency, long[] perInterval, double intervalSeconds,
                        double cpuPercent, double gcPercent, double jitPercent, long failedCalls,
                        String firstFailure) {

    /** Adds up what the nodes' load generators measured. */
    static BenchLoadFigures of(List<LoadResult> results) {
        Histogram latency = BenchReport.latencyHistogram();
        int intervals = results.stream().mapToInt(r -> r.ackedPerInterval().length).min().orElse(0);
        long[] perInterval = new long[intervals];
        double rate = 0;
        double cpu = 0;
        double gc = 0;
        double jit = 0;
        long failed = 0;
        String first = "";
        for (LoadResult r : results) {
            latency.add(r.latency());
            for (int i = 0; i < intervals; i++) {
                perInterval[i] += r.ackedPerInterval()[i];
            }
            rate += r.ackedFlows() / r.seconds();
            cpu += r.cpuPercent();
            gc += r.gcPercent() / results.size();
            jit += r.jitPercent();
            failed += r.failedCalls();
            first = first.isEmpty() && !r.firstFailure().isEmpty() ? r.node() + ": " + r.firstFailure() : first;
        }
        return new BenchLoadFigures(rate, latency, perInterval, LoadGenerator.INTERVAL_MILLIS / 1000.0, cpu, gc, jit,
                failed, first);
    }

    /** Returns a latency percentile in ms (0 when nothing was acknowledged). */
    double percentileMillis(double percentile) {
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * Reports the figures as {@code <prefix>_acked_flows_per_s}, {@code _p50_ms}, {@code _p99_ms},
     * {@code _p999_ms}, {@code _failed_calls} and, when the nodes measured them, {@code _cpu_percent},
     * {@code _gc_percent} and {@code _jit_percent}; adds the latency and throughput series to the plots; returns the
     * figures as JSON for the report.
     */
    ObjectNode report(BenchReport report, String prefix, String plot, String series, boolean nodeFigures) {
        report.metric(prefix + "_acked_flows_per_s", Math.round(flowsPerSecond), "flows/s");
        report.metric(prefix + "_p50_ms", percentileMillis(50), "ms");
        report.metric(prefix + "_p99_ms", percentileMillis(99), "ms");
        report.metric(prefix + "_p999_ms", percentileMillis(99.9), "ms");
        report.metric(prefix + "_failed_calls", failedCalls, "calls");
        if (nodeFigures) {
            report.metric(prefix + "_cpu_percent", cpuPercent, "percent");
            report.metric(prefix + "_gc_percent", gcPercent, "percent");
            report.metric(prefix + "_jit_percent", jitPercent, "percent");
        }
        report.latency(plot + " latency", series, latency);
        report.throughput(plot + " throughput", series, perInterval, intervalSeconds, "flows");
        ObjectNode json = RestClient.MAPPER.createObjectNode();
        json.put("name", prefix);
        json.put("ackedFlowsPerSecond", flowsPerSecond);
        json.put("p50Ms", percentileMillis(50));
        json.put("p99Ms", percentileMillis(99));
        json.put("p999Ms", percentileMillis(99.9));
        json.put("maxMs", latency.getMaxValue() / 1000.0);
        json.put("ackedCalls", latency.getTotalCount());
        json.put("failedCalls", failedCalls);
        json.put("firstFailure", firstFailure);
        if (nodeFigures) {
            json.put("cpuPercent", cpuPercent);
            json.put("gcPercent", gcPercent);
            json.put("jitPercent", jitPercent);
        }
        return json;
    }
}
