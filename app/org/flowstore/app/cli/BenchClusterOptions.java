package org.flowstore.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the benches that run a local cluster of node processes take: its size, the workload's key
 * space, the measured and unmeasured time, and where the cluster keeps its state
 * ({@code <run dir>/bench}).
 */
final class BenchClusterOptions {

    @Mixin
    RunOptions run;

    @Option(names = "--nodes", defaultValue = "3", description = "Node processes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--devices", defaultValue = "8", description = "Simulated devices (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--keys", description = "Flows each writer rewrites per device (default 10000; --quick 2000)")
    Integer keys;

    @Option(names = "--duration-ms", description = "Measured time of each configuration (default 10000; --quick"
            + " shorter)")
    Integer durationMillis;

    @Option(names = "--warmup-ms", description = "Unmeasured time before it (default 2000 or more; --quick shorter)")
    Integer warmupMillis;

    @Option(names = {"-P", "--property"}, description = "A node property name=value for every node (repeatable),"
            + " after the bench's own")
    List<String> properties = new ArrayList<>();

    int keysPerDevice(boolean quick) {
        return keys != null ? keys : quick ? 2000 : 10_000;
    }

    Duration duration(Duration byDefault) {
        return durationMillis != null ? Duration.ofMillis(durationMillis) : byDefault;
    }

    Duration warmup(Duration byDefault) {
        return warmupMillis != null ? Duration.ofMillis(warmupMillis) : byDefault;
    }

    /** Returns the arguments of every node: the bench's own properties, then the user's ({@code -P}), which win. */
    List<String> nodeArgs(String... benchProperties) {
        List<String> args = new ArrayList<>();
        for (String p : benchProperties) {
            args.addAll(List.of("-P", p));
        }
        properties.forEach(p -> args.addAll(List.of("-P", p)));
        return args;
    }

    /** Returns where the bench's cluster keeps its state and logs. */
    Path dir() {
        return run.runDir.resolve("bench");
    }

    /** Returns the bench's cluster, not started. */
    LocalCluster cluster() {
        return new LocalCluster(dir(), run.restBase, run.clusterBase);
    }
}
