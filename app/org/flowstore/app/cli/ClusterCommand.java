package org.flowstore.app.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowstore cluster start|stop|status}: a local multi-process cluster on 127.0.0.1. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start, stop or show a local cluster of node processes on 127.0.0.1.")
final class ClusterCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "start, stop or status")
    String action;

    @Option(names = "--nodes", defaultValue = "3", description = "Nodes to start (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--devices", defaultValue = "8", description = "Simulated devices (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = {"-P", "--property"}, description = "A node property name=value for every node (repeatable)")
    List<String> properties = new ArrayList<>();

    @Option(names = "--json", description = "status: print a JSON array")
    boolean json;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws Exception {
        LocalCluster cluster = run.cluster();
        switch (action) {
            case "start" -> {
                if (nodes < 1 || nodes > 9) {
                    System.err.println("flowstore cluster: --nodes must be 1..9");
                    return 2;
                }
                List<String> args = new ArrayList<>();
                properties.forEach(p -> args.addAll(List.of("-P", p)));
                System.out.printf("starting %d nodes with %d devices (logs in %s)%n", nodes, devices,
                        run.runDir.resolve("logs"));
                try {
                    cluster.start(nodes, devices, args, System.out);
                } catch (IOException e) {
                    System.err.println("flowstore cluster start: " + e.getMessage());
                    return 1;
                }
                System.out.println("cluster ready");
                return 0;
            }
            case "stop" -> {
                if (cluster.stop(System.out).isEmpty()) {
                    System.out.println("no local cluster is running");
                }
                return 0;
            }
            case "status" -> {
                List<LocalCluster.Status> statuses = cluster.status();
                if (json) {
                    ArrayNode list = RestClient.MAPPER.createArrayNode();
                    statuses.forEach(s -> list.addObject().put("id", s.node().id()).put("pid", s.node().pid())
                            .put("rest", s.node().rest()).put("state", s.state()));
                    System.out.println(RestClient.MAPPER.writeValueAsString(list));
                } else if (statuses.isEmpty()) {
                    System.out.println("no local cluster");
                } else {
                    statuses.forEach(s -> System.out.printf("%-4s pid=%-8d %-24s %s%n", s.node().id(), s.node().pid(),
                            s.node().rest(), s.state()));
                }
                return statuses.stream().allMatch(s -> s.state().equals("ACTIVE")) && !statuses.isEmpty() ? 0 : 1;
            }
            default -> {
                System.err.println("flowstore cluster: unknown action '" + action + "' (start, stop or status)");
                return 2;
            }
        }
    }
}
