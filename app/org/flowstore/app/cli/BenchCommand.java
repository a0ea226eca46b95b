package org.flowstore.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code flowstore bench local|cluster|rest|replication}: the store's benchmarks. Each mode prints
 * one {@code metric=<name> value=<v> unit=<u>} line per figure and writes {@code report.json} and
 * PNG plots under {@code <out>/<mode>-<timestamp>/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: one node's store (local), a 3-process cluster under load (cluster, rest), bytes on"
                + " the wire (replication).",
        subcommands = {BenchLocalCommand.class, BenchClusterCommand.class, BenchRestCommand.class,
            BenchReplicationCommand.class})
final class BenchCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "name a mode: local, cluster, rest or replication");
    }
}
