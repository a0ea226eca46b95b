package org.flowstore.app.rest;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.flowstore.testing.StandaloneNode;
import org.flowstore.testing.StandaloneNode.Answer;

/**
 * Every REST endpoint of ARCHITECTURE.md and every error code, on a real one-node cluster with
 * simulated devices. Each test uses its own application and flows, so they share the node.
 */
class RestApiTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String D1 = "of:0000000000000001";
    private static final String D2 = "of:0000000000000002";
    private static final String D3 = "of:0000000000000003";
    private static final int BODY_LIMIT = 64 * 1024;

    private static StandaloneNode node;

    @BeforeAll
    static void start() throws Exception {
        node = StandaloneNode.start(3, 100_000, Duration.ofMillis(100), BODY_LIMIT);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void oneFlowIsCreatedWithItsLocationAndReadEveryWay() throws Exception {
        Answer created = node.call("POST", "/flows/" + D1 + "?appId=org.test.one", flow(null, 1));
        assertEquals(201, created.status(), created.body());
        String flowId = created.location().substring(created.location().lastIndexOf('/') + 1);
        assertEquals("http://127.0.0.1:" + node.node().restPort() + "/onos/v1/flows/" + D1 + "/" + flowId,
                created.location());

        awaitTrue(Duration.ofSeconds(10), () -> state(D1, flowId).equals("ADDED"));
        JsonNode one = json(node.call("GET", "/flows/" + D1 + "/" + flowId, null), 200).get("flows").get(0);
        assertEquals(flowId, one.get("id").asText());
        assertEquals("org.test.one", one.get("appId").asText());
        assertEquals(D1, one.get("deviceId").asText());
        assertEquals(40000, one.get("priority").asInt());
        assertEquals("IN_PORT", one.at("/selector/criteria/0/type").asText());
        assertEquals("OUTPUT", one.at("/treatment/instructions/0/type").asText());

        assertTrue(ids(json(node.call("GET", "/flows/" + D1, null), 200)).contains(flowId));
        assertTrue(ids(json(node.call("GET", "/flows", null), 200)).contains(flowId));
        assertEquals(List.of(flowId), ids(json(node.call("GET", "/flows/application/org.test.one", null), 200)));
    }

    @Test
    void aBatchOfFlowsOverDevicesIsAnsweredWithTheirIdsAndConfirmed() throws Exception {
        String body = "{\"flows\":[" + flow(D1, 10) + "," + flow(D2, 11) + "," + flow(D2, 12) + "]}";
        JsonNode reply = json(node.call("POST", "/flows?appId=org.test.batch", body), 200);
        assertEquals(3, reply.get("flows").size());
        assertEquals(D2, reply.at("/flows/1/deviceId").asText());
        List<String> ids = new ArrayList<>();
        reply.get("flows").forEach(f -> ids.add(f.get("flowId").asText()));
        awaitTrue(Duration.ofSeconds(10), () -> ids(call("GET", "/flows/application/org.test.batch")).containsAll(ids)
                && ids(call("GET", "/flows/pending")).stream().noneMatch(ids::contains));
        assertEquals(ids.size(), ids(call("GET", "/flows/application/org.test.batch")).size());
    }

    @Test
    void flowsAreDeletedOneByOneByListAndByApplication() throws Exception {
        String body = "{\"flows\":[" + flow(D1, 20) + "," + flow(D1, 21) + "," + flow(D2, 22) + "," + flow(D2, 23) + "]}";
        JsonNode reply = json(node.call("POST", "/flows?appId=org.test.delete", body), 200);
        String first = reply.at("/flows/0/flowId").asText();
        assertEquals(204, node.call("DELETE", "/flows/" + D1 + "/" + first, null).status());
        awaitTrue(Duration.ofSeconds(10), () -> node.call("GET", "/flows/" + D1 + "/" + first, null).status() == 404);

        String second = reply.at("/flows/1/flowId").asText();
        Answer deleted = node.call("DELETE", "/flows", "{\"flows\":[{\"deviceId\":\"" + D1 + "\",\"flowId\":\"" + second
                + "\"}]}");
        assertEquals(204, deleted.status(), deleted.body());
        awaitTrue(Duration.ofSeconds(10), () -> node.call("GET", "/flows/" + D1 + "/" + second, null).status() == 404);

        assertEquals(204, node.call("DELETE", "/flows/application/org.test.delete", null).status());
        awaitTrue(Duration.ofSeconds(10), () -> ids(call("GET", "/flows/application/org.test.delete")).isEmpty());
    }

    @Test
    void tableStatisticsCountWhatTheDeviceHolds() throws Exception {
        json(node.call("POST", "/flows?appId=org.test.stats", "{\"flows\":[" + flow(D2, 30) + "]}"), 200);
        awaitTrue(Duration.ofSeconds(10), () -> {
            JsonNode stats = call("GET", "/statistics/flows/tables/" + D2);
            JsonNode table = stats.at("/statistics/0/table/0");
            int count = call("GET", "/statistics/flows/count").get("devices").get(1).get("flowRuleCount").asInt();
            return stats.at("/statistics/0/device").asText().equals(D2) && table.get("tableId").asInt() == 0
                    && table.get("activeEntries").asInt() == count && count > 0;
        });
    }

    @Test
    void clusterDevicesAndMastershipDescribeTheNode() {
        JsonNode nodes = call("GET", "/cluster").get("nodes");
        assertEquals(1, nodes.size());
        assertEquals("s1", nodes.at("/0/id").asText());
        assertEquals("READY", nodes.at("/0/status").asText());
        assertEquals("127.0.0.1", nodes.at("/0/ip").asText());

        JsonNode devices = call("GET", "/devices").get("devices");
        List<String> ids = new ArrayList<>();
        devices.forEach(d -> ids.add(d.get("id").asText()));
        assertTrue(ids.containsAll(List.of(D1, D2)), ids.toString());
        assertEquals("MASTER", devices.get(0).get("role").asText());
        assertTrue(devices.get(0).get("available").asBoolean());

        assertEquals("s1", call("GET", "/mastership/" + D1 + "/master").get("nodeId").asText());
        JsonNode role = call("GET", "/mastership/" + D1 + "/role");
        assertEquals("s1", role.get("master").asText());
        assertTrue(role.get("term").asLong() >= 1);
        assertEquals(0, role.get("backups").size());
    }

    @Test
    void badInputIs400NamingTheFieldAndStoresNothing() throws Exception {
        List<String> before = ids(call("GET", "/flows"));
        Answer malformed = node.call("POST", "/flows/" + D1, "{\"priority\":");
        assertError(malformed, 400, "not valid JSON");
        assertError(node.call("POST", "/flows/" + D1, "[]"), 400, "must be a JSON object");
        String oneBad = "{\"flows\":[" + flow(D1, 40) + ",{\"priority\":1,\"isPermanent\":true,\"deviceId\":\"" + D1
                + "\",\"selector\":{\"criteria\":[{\"type\":\"ETH_TYPE\",\"ethType\":\"ipv4\"}]}}]}";
        assertError(node.call("POST", "/flows", oneBad), 400, "flows[1].selector.criteria[0].ethType");
        assertError(node.call("POST", "/flows", "{}"), 400, "flows is required");
        assertError(node.call("POST", "/flows?appId=", "{\"flows\":[]}"), 400, "appId");
        assertError(node.call("GET", "/flows/" + D1 + "/not-a-number", null), 400, "flowId");
        assertError(node.call("DELETE", "/flows", "{\"flows\":[{\"deviceId\":\"" + D1 + "\"}]}"), 400, "flows[0].flowId");
        assertEquals(List.of(acceptedAfter(4049)), added(before), "nothing stored from refused requests");
    }

    @Test
    void unknownThingsAre404() {
        assertError(node.call("GET", "/flows/of:00000000000000ff", null), 404, "unknown device");
        assertError(node.call("POST", "/flows?appId=x", "{\"flows\":[" + flow("of:00000000000000ff", 1) + "]}"), 404,
                "unknown device");
        assertError(node.call("GET", "/flows/" + D1 + "/12345", null), 404, "no flow 12345");
        assertError(node.call("DELETE", "/flows/" + D1 + "/12345", null), 404, "no flow");
        assertError(node.call("GET", "/flows/application/org.never.registered", null), 404, "unknown application");
        assertError(node.call("GET", "/nothing/here", null), 404, "no resource");
        assertEquals(405, node.call("PUT", "/flows", "{}").status());
    }

    @Test
    void aBodyOverTheLimitIs413AndStoresNothing() {
        List<String> before = ids(call("GET", "/flows"));
        StringBuilder body = new StringBuilder("{\"flows\":[");
        for (int i = 0; body.length() <= BODY_LIMIT; i++) {
            body.append(i == 0 ? "" : ",").append(flow(D1, 1000 + i));
        }
        body.append("]}");
        assertError(node.call("POST", "/flows", body.toString()), 413, "exceeds the limit of " + BODY_LIMIT);
        assertEquals(List.of(acceptedAfter(4048)), added(before), "nothing stored from an oversized request");
    }

    @Test
    void aDeviceWithoutMasterIs503AndARemovedDeviceLosesItsFlows() throws Exception {
        json(node.call("POST", "/flows?appId=org.test.removed", "{\"flows\":[" + flow(D3, 50) + "]}"), 200);
        assertEquals(204, node.call("DELETE", "/devices/" + D3, null).status());
        awaitTrue(Duration.ofSeconds(10), () -> node.call("GET", "/mastership/" + D3 + "/master", null).status() == 503);
        assertError(node.call("GET", "/flows/" + D3, null), 503, "no master");
        assertError(node.call("POST", "/flows/" + D3, flow(null, 51)), 503, "no master");
        assertFalse(call("GET", "/devices").get("devices").get(2).get("available").asBoolean());
        assertTrue(ids(call("GET", "/flows/application/org.test.removed")).isEmpty(), "flows of the removed device");
    }

    /** A flow in ONOS's JSON; deviceId omitted when null. */
    static String flow(String deviceId, int i) {
        return "{\"priority\":40000,\"isPermanent\":true," + (deviceId == null ? "" : "\"deviceId\":\"" + deviceId + "\",")
                + "\"selector\":{\"criteria\":[{\"type\":\"IN_PORT\",\"port\":" + (i % 48 + 1) + "},"
                + "{\"type\":\"ETH_TYPE\",\"ethType\":\"0x800\"},{\"type\":\"IPV4_DST\",\"ip\":\"10.9." + (i >> 8 & 0xFF) + "."
                + (i & 0xFF) + "/32\"}]},\"treatment\":{\"instructions\":[{\"type\":\"OUTPUT\",\"port\":\"2\"}]}}";
    }

    private static JsonNode call(String method, String path) {
        try {
            return json(node.call(method, path, null), 200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(Answer answer, int status) throws Exception {
        assertEquals(status, answer.status(), answer.body());
        return MAPPER.readTree(answer.body());
    }

    private static List<String> ids(JsonNode flows) {
        List<String> ids = new ArrayList<>();
        flows.get("flows").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    private static String state(String device, String flowId) {
        return call("GET", "/flows/" + device + "/" + flowId).at("/flows/0/state").asText();
    }

    /**
     * Flows stored now that were not before. (Comparing totals would not do: flows other tests
     * removed may leave the store meanwhile.)
     */
    /**
     * Stores one valid flow after refused requests and returns its id: once it is acknowledged,
     * anything the refused requests had started would have been stored before it (one node,
     * batches applied in the order they were issued), so checking for it needs no sleep.
     */
    private static String acceptedAfter(int priority) {
        Answer created = node.call("POST", "/flows/" + D1, flow(null, priority));
        assertEquals(201, created.status(), created.body());
        return created.location().substring(created.location().lastIndexOf('/') + 1);
    }

    private static List<String> added(List<String> before) {
        List<String> now = new ArrayList<>(ids(call("GET", "/flows")));
        now.removeAll(before);
        return now;
    }

    private static void assertError(Answer answer, int status, String message) {
        assertEquals(status, answer.status(), answer.body());
        try {
            JsonNode body = MAPPER.readTree(answer.body());
            assertEquals(status, body.get("code").asInt());
            assertTrue(body.get("message").asText().contains(message), body + " should mention: " + message);
        } catch (IOException e) {
            throw new AssertionError(answer.body(), e);
        }
    }
}
