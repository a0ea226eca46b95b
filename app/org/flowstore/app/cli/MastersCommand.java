package org.flowstore.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flowstore masters}: per device, its master, term and standbys. */
@Command(name = "masters", mixinStandardHelpOptions = true, description = "Show each device's master, term and standbys.")
final class MastersCommand implements Callable<Integer> {

    @Mixin
    RestOptions rest;

    @Override
    public Integer call() throws Exception {
        RestClient client = rest.client();
        ArrayNode all = RestClient.MAPPER.createArrayNode();
        for (JsonNode device : client.getOk("/onos/v1/devices").path("devices")) {
            String id = device.path("id").asText();
            JsonNode role = client.getOk("/onos/v1/mastership/" + id + "/role");
            all.addObject().put("deviceId", id).put("master", role.path("master").asText(null))
                    .put("term", role.path("term").asLong()).set("backups", role.path("backups"));
        }
        if (rest.json) {
            System.out.println(RestClient.MAPPER.writeValueAsString(all));
        } else {
            for (JsonNode d : all) {
                List<String> backups = new ArrayList<>();
                d.path("backups").forEach(b -> backups.add(b.asText()));
                System.out.printf("%s: master=%s, term=%d, backups=%s%n", d.path("deviceId").asText(),
                        d.path("master").isNull() ? "none" : d.path("master").asText(), d.path("term").asLong(),
                        backups);
            }
        }
        return 0;
    }
}
