package org.flowstore.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import org.flowstore.testing.TestPorts;

/**
 * Three node processes and Open vSwitch (started by the test in a private folder, dummy
 * user-space datapath), every bridge connected to all three nodes over OpenFlow 1.3: flows posted
 * through REST are in the right bridge with the right match and actions, removals remove them,
 * the bridge's table is repaired when someone changes it behind the cluster's back, and killing
 * a bridge's master with SIGKILL moves the MASTER role to a survivor with a higher generation id
 * without the bridge losing a flow. Skipped, with the reason, where Open vSwitch is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class OpenVSwitchClusterTest {

    private static final String APP = "org.flowstore.ovs.test";
    private static final int BRIDGES = 3;
    private static final int FLOWS_PER_BRIDGE = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Kept when a test fails: the nodes' and the switch's logs are in there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    private LocalSwitches ovs;
    private LocalCluster cluster;
    private List<LocalCluster.Node> nodes = List.of();
    private final Map<String, RestClient> clients = new HashMap<>();
    private int openflowBase;
    /** Flow id to its index in {@link DemoCommand#flow}, per device. */
    private final Map<String, Map<Long, Integer>> posted = new HashMap<>();

    @BeforeAll
    void startSwitchesAndCluster() throws Exception {
        Optional<String> unavailable = LocalSwitches.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        ovs = LocalSwitches.start(dir.resolve("ovs"));
        openflowBase = TestPorts.freeRange(3);
        List<Integer> ports = List.of(openflowBase, openflowBase + 1, openflowBase + 2);
        for (int i = 1; i <= BRIDGES; i++) {
            ovs.addBridge(i, ports);
        }
        cluster = new LocalCluster(dir.resolve("cluster"), TestPorts.freeRange(3), TestPorts.freeRange(3));
        nodes = cluster.startWithSwitches(3, BRIDGES, openflowBase,
                List.of("-P", "openflowStatsPeriod=500", "-P", "pendingAddRetry=1000"), System.out);
        nodes.forEach(n -> clients.put(n.id(), new RestClient(n.rest(), Duration.ofSeconds(30))));
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (cluster != null) {
            cluster.stop(System.out);
        }
        if (ovs != null) {
            ovs.close();
        }
    }

    @Test
    @Order(1)
    void flowsPostedThroughRestAreInTheirBridgeWithTheirMatchAndActions() throws Exception {
        RestClient client = clients.get("n1");
        ObjectNode body = RestClient.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        Map<Integer, String> deviceOf = new HashMap<>();
        for (int i = 0; i < BRIDGES * FLOWS_PER_BRIDGE; i++) {
            String deviceId = LocalSwitches.deviceId(i % BRIDGES + 1);
            deviceOf.put(i, deviceId);
            list.add(DemoCommand.flow(deviceId, i));
        }
        // Asked again while flows fail: right after the start a master may not see its standby yet.
        JsonNode reply = DemoCommand.postWithRetry(client, "/onos/v1/flows?appId=" + APP, body);
        int index = 0;
        for (JsonNode f : reply.path("flows")) {
            posted.computeIfAbsent(f.path("deviceId").asText(), d -> new HashMap<>())
                    .put(Long.parseLong(f.path("flowId").asText()), index++);
        }
        assertEquals(BRIDGES * FLOWS_PER_BRIDGE, index);

        for (int b = 1; b <= BRIDGES; b++) {
            String bridge = "br" + b;
            Map<Long, Integer> expected = posted.get(LocalSwitches.deviceId(b));
            await(bridge + " holds its " + FLOWS_PER_BRIDGE + " flows",
                    () -> new HashSet<>(ovs.cookies(bridge)).containsAll(expected.keySet()));
            List<String> dump = ovs.dumpFlows(bridge);
            assertEquals(FLOWS_PER_BRIDGE, dump.size(), "flows of " + bridge + ": " + dump);
            for (Map.Entry<Long, Integer> e : expected.entrySet()) {
                String line = lineOf(dump, e.getKey()).orElseThrow();
                int i = e.getValue();
                assertEquals(deviceOf.get(i), LocalSwitches.deviceId(b));
                String match = "priority=40000,ip,in_port=" + (i % 48 + 1) + ",nw_dst=10." + (i >> 16 & 0xFF) + "."
                        + (i >> 8 & 0xFF) + "." + (i & 0xFF);
                assertTrue(line.contains(match + " actions=output:" + ((i + 1) % 48 + 1)), line + " should show "
                        + match);
            }
        }
        await("every flow ADDED", () -> countByState(client, "ADDED") >= BRIDGES * FLOWS_PER_BRIDGE);
    }

    @Test
    @Order(2)
    void flowsRemovedThroughRestLeaveTheirBridge() throws Exception {
        String deviceId = LocalSwitches.deviceId(1);
        List<Long> gone = posted.get(deviceId).keySet().stream().limit(5).toList();
        for (long id : gone) {
            RestClient.Reply reply = clients.get("n2").delete("/onos/v1/flows/" + deviceId + "/" + id);
            assertTrue(reply.ok(), reply.message());
            posted.get(deviceId).remove(id);
        }
        await("br1 without the removed flows", () -> ovs.cookies("br1").stream().noneMatch(gone::contains));
        await("the store without the removed flows", () -> gone.stream().allMatch(id -> status(clients.get("n1"),
                "/onos/v1/flows/" + deviceId + "/" + id) == 404));
        assertEquals(FLOWS_PER_BRIDGE - gone.size(), ovs.dumpFlows("br1").size());
    }

    @Test
    @Order(3)
    void aFlowDeletedBehindTheClustersBackIsInstalledAgain() throws Exception {
        Map.Entry<Long, Integer> victim = posted.get(LocalSwitches.deviceId(2)).entrySet().iterator().next();
        int i = victim.getValue();
        ovs.delFlows("br2", "priority=40000,ip,in_port=" + (i % 48 + 1) + ",nw_dst=10." + (i >> 16 & 0xFF) + "."
                + (i >> 8 & 0xFF) + "." + (i & 0xFF), true);
        await("br2 holds flow " + victim.getKey() + " again", () -> ovs.cookies("br2").contains(victim.getKey()));
        assertEquals(FLOWS_PER_BRIDGE, ovs.dumpFlows("br2").size());
    }

    @Test
    @Order(4)
    void aFlowAddedBehindTheClustersBackIsRemoved() throws Exception {
        // add-flow succeeded (it throws otherwise); no dump right after it: the master may have found and
        // removed the foreign flow (statistics every 500 ms) before a slow dump ran, which is what we test.
        ovs.addFlow("br3", "priority=7,ip,nw_dst=10.99.0.1,actions=drop");
        await("br3 without the foreign flow", () -> ovs.dumpFlows("br3").stream()
                .noneMatch(l -> l.contains("nw_dst=10.99.0.1")));
        assertEquals(FLOWS_PER_BRIDGE, ovs.dumpFlows("br3").size());
    }

    @Test
    @Order(5)
    void aFlowTheSwitchRefusesTurnsFailed() throws Exception {
        // An IPv4 destination without ETH_TYPE 0x800: the model takes it, OpenFlow's prerequisites do not.
        String deviceId = LocalSwitches.deviceId(3);
        ObjectNode flow = RestClient.MAPPER.createObjectNode();
        flow.put("priority", 500).put("isPermanent", true);
        flow.putObject("selector").putArray("criteria").addObject().put("type", "IPV4_DST").put("ip", "10.77.0.1/32");
        flow.putObject("treatment").putArray("instructions").addObject().put("type", "OUTPUT").put("port", "2");
        RestClient.Reply reply = clients.get("n3").post("/onos/v1/flows/" + deviceId + "?appId=" + APP, flow);
        // The write waits for the device's answer: the switch's refusal fails it.
        assertEquals(500, reply.status(), reply.message());
        assertTrue(reply.message().contains("refused"), reply.message());
        await("the refused flow FAILED", () -> {
            for (JsonNode f : clients.get("n1").getOk("/onos/v1/flows/" + deviceId).path("flows")) {
                if (f.path("priority").asInt() == 500) {
                    return "FAILED".equals(f.path("state").asText());
                }
            }
            return false;
        });
        assertTrue(ovs.dumpFlows("br3").stream().noneMatch(l -> l.contains("10.77.0.1")));
    }

    @Test
    @Order(6)
    void killingABridgesMasterMovesTheRoleAndTheBridgeKeepsEveryFlow() throws Exception {
        String deviceId = LocalSwitches.deviceId(1);
        JsonNode before = clients.get("n1").getOk("/onos/v1/mastership/" + deviceId + "/role");
        String oldMaster = before.path("master").asText();
        long oldTerm = before.path("term").asLong();
        // ovs-vswitchd writes a controller's role to its database now and then, not at once: right after the
        // switches connected (the cluster starts in seconds), the column can still read "other".
        await(() -> "br1 sees " + oldMaster + " as master: " + ovs.controllers("br1"),
                () -> role(oldMaster).equals("master"));
        Set<Long> held = new HashSet<>(ovs.cookies("br1"));
        assertEquals(posted.get(deviceId).keySet(), held);

        LocalCluster.Node victim = nodes.stream().filter(n -> n.id().equals(oldMaster)).findFirst().orElseThrow();
        RestClient survivor = clients.get(nodes.stream().filter(n -> n != victim).findFirst().orElseThrow().id());
        LocalCluster.kill(victim);

        long deadline = System.nanoTime() + WAIT.toNanos();
        String newMaster = null;
        long newTerm = 0;
        int fewest = Integer.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            fewest = Math.min(fewest, ovs.dumpFlows("br1").size());
            RestClient.Reply reply = survivor.get("/onos/v1/mastership/" + deviceId + "/role");
            if (reply.ok() && !reply.body().path("master").isNull()
                    && !reply.body().path("master").asText().equals(oldMaster)) {
                newMaster = reply.body().path("master").asText();
                newTerm = reply.body().path("term").asLong();
                if (role(newMaster).equals("master")) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        assertTrue(newMaster != null && role(newMaster).equals("master"), "a survivor is br1's MASTER: "
                + ovs.controllers("br1"));
        assertNotEquals(oldMaster, newMaster);
        assertTrue(newTerm > oldTerm, "the new master's term (its generation id) " + newTerm + " > " + oldTerm);
        assertEquals(held.size(), fewest, "br1 never lost a flow during the failover");
        assertEquals(held, new HashSet<>(ovs.cookies("br1")));

        // Writes continue through the new master, and the store and the bridge agree.
        ObjectNode body = RestClient.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        for (int i = 10_000; i < 10_010; i++) {
            list.add(DemoCommand.flow(deviceId, i));
        }
        DemoCommand.postWithRetry(survivor, "/onos/v1/flows?appId=" + APP, body);
        await(() -> "store and br1 agree (store " + storeIds(survivor, deviceId) + ", br1 " + ovs.cookies("br1") + ")",
                () -> storeIds(survivor, deviceId).equals(new HashSet<>(ovs.cookies("br1")))
                        && ovs.cookies("br1").size() == held.size() + 10);
        assertFalse(role(oldMaster).equals("master"));
    }

    /** The role br1's switch gives a node's controller connection: master, slave or other. */
    private String role(String nodeId) throws IOException {
        int port = openflowBase + Integer.parseInt(nodeId.substring(1)) - 1;
        for (String line : ovs.controllers("br1")) {
            if (line.startsWith("tcp:127.0.0.1:" + port + " ")) {
                String[] parts = line.split(" ");
                return parts[2].equals("true") ? parts[1] : "disconnected";
            }
        }
        return "unknown";
    }

    private static Set<Long> storeIds(RestClient client, String deviceId) throws Exception {
        Set<Long> ids = new HashSet<>();
        for (JsonNode f : client.getOk("/onos/v1/flows/" + deviceId).path("flows")) {
            ids.add(Long.parseLong(f.path("id").asText()));
        }
        return ids;
    }

    private static long countByState(RestClient client, String state) throws Exception {
        long n = 0;
        for (JsonNode d : client.getOk("/onos/v1/statistics/flows/count").path("devices")) {
            n += d.path("states").path(state).asLong();
        }
        return n;
    }

    private static int status(RestClient client, String path) {
        try {
            return client.get(path).status();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Optional<String> lineOf(List<String> dump, long cookie) {
        String key = "cookie=0x" + Long.toHexString(cookie) + ",";
        return dump.stream().filter(l -> l.startsWith(key)).findFirst();
    }

    private void await(String what, Callable<Boolean> condition) throws Exception {
        await(() -> what, condition);
    }

    /** Waits for the condition; on timeout, fails with {@code what}, computed then (it may say what differs). */
    private void await(Callable<String> what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.call() + ": not within " + WAIT.toSeconds() + " s (logs in " + dir
                        + ")");
            }
            Thread.sleep(100);
        }
    }
}
