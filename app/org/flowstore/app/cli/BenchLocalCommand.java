package org.flowstore.app.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.flowstore.app.bench.LocalBench;

/**
 * {@code flowstore bench local}: the store's own work on one node, in a fresh JVM per run (so that
 * no earlier run's JIT profile or heap shapes the figures).
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "One node's store: storeBatch ADD and REMOVE, statistics and removal reports, reads and counts,"
                + " heap per flow; in a fresh JVM.")
final class BenchLocalCommand implements Callable<Integer> {

    @Mixin
    BenchOptions bench;

    @Option(names = "--devices", description = "Devices (default 100; --quick 4)")
    Integer devices;

    @Option(names = "--flows", description = "Flows per device (default 10000; --quick 2000)")
    Integer flows;

    @Option(names = "--batch", defaultValue = "100", description = "Flows per batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--warmup-devices", description = "Devices of the warm-up (default 10; --quick 2)")
    Integer warmupDevices;

    @Option(names = "--repeats", description = "Measured repetitions, the median reported (default 3; --quick 1)")
    Integer repeats;

    @Option(names = "--heap", defaultValue = "3g", description = "The bench JVM's heap (default ${DEFAULT-VALUE})")
    String heap;

    @Override
    public Integer call() throws Exception {
        LocalBench.Settings settings;
        try {
            settings = new LocalBench.Settings(devices != null ? devices : bench.quick ? 4 : 100,
                    flows != null ? flows : bench.quick ? 2000 : 10_000, batch,
                    warmupDevices != null ? warmupDevices : bench.quick ? 2 : 10,
                    repeats != null ? repeats : bench.quick ? 1 : 3);
        } catch (IllegalArgumentException e) {
            System.err.println("flowstore bench local: " + e.getMessage());
            return 2;
        }
        String jvmHeap = bench.quick && heap.equals("3g") ? "512m" : heap;
        String logging = System.getProperty("logback.configurationFile", FlowstoreCommand.CLI_LOGGING);
        List<String> command = new ArrayList<>(ChildJvm.command("-Xms" + jvmHeap, "-Xmx" + jvmHeap,
                "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logging));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalBench.class.getName(),
                bench.out.toString(), String.valueOf(settings.devices()), String.valueOf(settings.flowsPerDevice()),
                String.valueOf(settings.batchSize()), String.valueOf(settings.warmupDevices()),
                String.valueOf(settings.repeats())));
        // Its lines are relayed through this JVM's System.out, where a caller (or a test) reads them.
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println(line);
            }
            return process.waitFor() == 0 ? 0 : 1;
        } finally {
            process.destroyForcibly();
        }
    }
}
