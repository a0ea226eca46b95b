package org.flowstore.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowstore add-flows N}: posts N flows to a node's REST API ({@code POST /onos/v1/flows},
 * a batch per request), spread over the devices that have a master, and reports how long the
 * cluster took to acknowledge them: {@code added N flows over D devices in T ms (R flows/s)}.
 * Exit status 1 when any flow was refused.
 */
@Command(name = "add-flows", mixinStandardHelpOptions = true,
        description = "Post N flows to a node's REST API, spread over the devices that have a master.")
final class AddFlowsCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "How many flows (1..10000000)")
    int count;

    @Option(names = "--app", defaultValue = "org.flowstore.cli", description = "Application (default ${DEFAULT-VALUE})")
    String app;

    @Option(names = "--batch", defaultValue = "1000", description = "Flows per request (default ${DEFAULT-VALUE})")
    int batch;

    @Mixin
    RestOptions rest;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 10_000_000 || batch < 1) {
            System.err.println("flowstore add-flows: N must be 1..10000000 and --batch at least 1");
            return 2;
        }
        RestClient client = rest.client();
        List<String> devices = new ArrayList<>();
        for (JsonNode d : client.getOk("/onos/v1/devices").path("devices")) {
            if (d.path("available").asBoolean()) {
                devices.add(d.path("id").asText());
            }
        }
        if (devices.isEmpty()) {
            System.err.println("flowstore add-flows: no device has a master");
            return 1;
        }
        // A random base keeps repeated runs from rewriting the same flows.
        int base = ThreadLocalRandom.current().nextInt(1 << 20) << 4;
        long started = System.nanoTime();
        int added = 0;
        for (int from = 0; from < count; from += batch) {
            ObjectNode body = RestClient.MAPPER.createObjectNode();
            ArrayNode list = body.putArray("flows");
            for (int i = from; i < Math.min(count, from + batch); i++) {
                list.add(DemoCommand.flow(devices.get(i % devices.size()), base + i));
            }
            JsonNode reply = DemoCommand.postWithRetry(client, "/onos/v1/flows?appId=" + app, body);
            added += reply.path("flows").size();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("added %d flows over %d devices in %d ms (%.0f flows/s)%n", added, devices.size(), millis,
                added * 1000.0 / Math.max(1, millis));
        return added == count ? 0 : 1;
    }
}
