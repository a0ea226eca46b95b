package org.flowstore.app.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.flowstore.app.bench.BenchReport;
import org.flowstore.app.bench.ReplicationBench;

/** {@code flowstore bench replication}: bytes on the wire per changed flow, on two nodes in this JVM. */
@Command(name = "replication", mixinStandardHelpOptions = true,
        description = "Bytes a master sends its standby per changed flow (add, modify, reports, remove) and per flow of"
                + " a whole-table snapshot; two real nodes in this JVM.")
final class BenchReplicationCommand implements Callable<Integer> {

    @Mixin
    BenchOptions bench;

    @Option(names = "--devices", description = "Devices (default 4; --quick 2)")
    Integer devices;

    @Option(names = "--flows", description = "Flows per device (default 10000; --quick 1000)")
    Integer flows;

    @Override
    public Integer call() throws Exception {
        BenchReport report = new BenchReport("replication", bench.out, System.out);
        ReplicationBench.run(devices != null ? devices : bench.quick ? 2 : 4,
                flows != null ? flows : bench.quick ? 1000 : 10_000, report);
        report.finish();
        return 0;
    }
}
