package org.flowstore.app.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** What every bench mode takes: the smoke switch and where reports go. */
final class BenchOptions {

    @Option(names = "--quick", description = "A smoke run: a small workload, short measurements")
    boolean quick;

    @Option(names = "--out", defaultValue = "${env:FLOWSTORE_BENCH_DIR:-target/bench}",
            description = "Reports go to <out>/<mode>-<timestamp>/ (default ${DEFAULT-VALUE})")
    Path out;
}
