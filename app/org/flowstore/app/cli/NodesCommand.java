package org.flowstore.app.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flowstore nodes}: the cluster's members as one node sees them. */
@Command(name = "nodes", mixinStandardHelpOptions = true, description = "Show the cluster's members and their state.")
final class NodesCommand implements Callable<Integer> {

    @Mixin
    RestOptions rest;

    @Override
    public Integer call() throws Exception {
        JsonNode cluster = rest.client().getOk("/onos/v1/cluster");
        if (rest.json) {
            System.out.println(RestClient.MAPPER.writeValueAsString(cluster.path("nodes")));
            return 0;
        }
        for (JsonNode n : cluster.path("nodes")) {
            System.out.printf("id=%s, address=%s:%d, state=%s%s%n", n.path("id").asText(), n.path("ip").asText(),
                    n.path("tcpPort").asInt(), n.path("status").asText(), n.path("local").asBoolean() ? " *" : "");
        }
        return 0;
    }
}
