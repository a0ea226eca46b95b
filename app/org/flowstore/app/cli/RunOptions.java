package org.flowstore.app.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where a local cluster keeps its state, logs and data, and its base ports. */
final class RunOptions {

    @Option(names = "--run-dir", defaultValue = "${env:FLOWSTORE_RUN_DIR:-run}",
            description = "State, logs and Raft data of the local cluster (default ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--rest-port-base", defaultValue = "8181", hidden = true)
    int restBase;

    @Option(names = "--cluster-port-base", defaultValue = "9876", hidden = true)
    int clusterBase;

    LocalCluster cluster() {
        return new LocalCluster(runDir, restBase, clusterBase);
    }
}
