package org.flowstore.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowstore flows [-c] [-s] [deviceId]}: like ONOS's {@code flows}. */
@Command(name = "flows", mixinStandardHelpOptions = true, description = "List flows per device, or count them.")
final class FlowsCommand implements Callable<Integer> {

    @Option(names = "-c", description = "Counts only: deviceId=..., flowRuleCount=N")
    boolean count;

    @Option(names = "-s", description = "Short output: one line per flow")
    boolean brief;

    @Parameters(index = "0", arity = "0..1", description = "Only this device")
    String deviceId;

    @Mixin
    RestOptions rest;

    @Override
    public Integer call() throws Exception {
        RestClient client = rest.client();
        if (count) {
            JsonNode counts = client.getOk("/onos/v1/statistics/flows/count");
            List<JsonNode> devices = new ArrayList<>();
            counts.path("devices").forEach(d -> {
                if (deviceId == null || deviceId.equals(d.path("deviceId").asText())) {
                    devices.add(d);
                }
            });
            if (rest.json) {
                System.out.println(RestClient.MAPPER.writeValueAsString(devices));
            } else {
                devices.forEach(d -> System.out.printf("deviceId=%s, flowRuleCount=%d%n", d.path("deviceId").asText(),
                        d.path("flowRuleCount").asLong()));
            }
            return 0;
        }
        JsonNode flows = client.getOk(deviceId == null ? "/onos/v1/flows" : "/onos/v1/flows/" + deviceId);
        if (rest.json) {
            System.out.println(RestClient.MAPPER.writeValueAsString(flows));
            return 0;
        }
        String current = null;
        for (JsonNode f : flows.path("flows")) {
            String device = f.path("deviceId").asText();
            if (!device.equals(current)) {
                current = device;
                System.out.printf("deviceId=%s%n", device);
            }
            if (brief) {
                System.out.printf("    %s, bytes=%d, packets=%d, table=%d, priority=%d, selector=%s, treatment=%s%n",
                        f.path("state").asText(), f.path("bytes").asLong(), f.path("packets").asLong(),
                        f.path("tableId").asInt(), f.path("priority").asInt(), brief(f.path("selector").path("criteria")),
                        brief(f.path("treatment").path("instructions")));
            } else {
                System.out.printf("    id=%s, state=%s, bytes=%d, packets=%d, duration=%d, liveType=%s, priority=%d,"
                        + " tableId=%d, appId=%s, selector=%s, treatment=%s%n", f.path("id").asText(),
                        f.path("state").asText(), f.path("bytes").asLong(), f.path("packets").asLong(),
                        f.path("life").asLong(), f.path("liveType").asText(), f.path("priority").asInt(),
                        f.path("tableId").asInt(), f.path("appId").asText(), brief(f.path("selector").path("criteria")),
                        treatment(f.path("treatment")));
            }
        }
        return 0;
    }

    /** Criteria or instructions as ONOS's CLI shows them: {@code [IN_PORT:1, ETH_TYPE:0x800, OUTPUT:2]}. */
    static String brief(JsonNode items) {
        List<String> parts = new ArrayList<>();
        for (JsonNode item : items) {
            List<String> values = new ArrayList<>();
            item.fields().forEachRemaining(field -> {
                if (!field.getKey().equals("type")) {
                    values.add(field.getValue().asText());
                }
            });
            parts.add(item.path("type").asText() + (values.isEmpty() ? "" : ":" + String.join("/", values)));
        }
        return parts.toString();
    }

    private static String treatment(JsonNode treatment) {
        String text = "[immediate=" + brief(treatment.path("instructions"));
        if (treatment.path("deferred").size() > 0) {
            text += ", deferred=" + brief(treatment.path("deferred"));
        }
        return text + (treatment.path("clearDeferred").asBoolean() ? ", clearDeferred]" : "]");
    }
}
