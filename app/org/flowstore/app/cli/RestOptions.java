package org.flowstore.app.cli;

import java.time.Duration;

import picocli.CommandLine.Option;

/** Options of the commands that query a node: which node, and JSON output for scripts. */
final class RestOptions {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8181",
            description = "REST address of any node (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--json", description = "Print JSON for scripts instead of readable text")
    boolean json;

    RestClient client() {
        return new RestClient(url, Duration.ofSeconds(60));
    }
}
