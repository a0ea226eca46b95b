package org.flowstore.app.cli;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.flowstore.store.flow.StoreConfig;
import org.flowstore.testing.TestPorts;

/**
 * Three node processes with a small heap (160 MB, so a memory bound derived from it of 55,924
 * flows per node) and one device, whose master and standby each hold every flow, filled over REST
 * past the bound: the post past it answers 503 naming the node and its bound and stores nothing,
 * every flow acknowledged before is there, reads answer, the nodes stay up. Then one DELETE
 * removes the application's flows, far more than the nodes let wait for their masters
 * ({@code maxWaitingFlows=12000}: removed at once they would be refused), and only that
 * application's; the cluster takes new flows again.
 */
class MemoryBoundTest {

    private static final String APP = "org.test.fill";
    private static final String KEPT_APP = "org.test.kept";
    private static final int KEPT = 10;
    private static final int PER_POST = 5_000;
    private static final long BOUND = (160L << 20) - StoreConfig.HEAP_RESERVED_BYTES;
    private static final int MAX_POSTS = 40;

    @TempDir
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.stop(System.out);
        }
    }

    @Test
    void writesPastTheBoundAre503AndNothingAcknowledgedIsLostAndRemovalMakesRoom() throws Exception {
        cluster = new LocalCluster(dir, TestPorts.freeRange(3), TestPorts.freeRange(3))
                .withJvmOptions(List.of("-Xms160m", "-Xmx160m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=100"));
        List<LocalCluster.Node> nodes = cluster.start(3, 1, List.of("-P", "maxFlowsInFlightPerMaster=1000", "-P",
                "maxWaitingFlows=12000"), System.out);
        List<RestClient> clients = nodes.stream().map(n -> new RestClient(n.rest(), Duration.ofSeconds(60))).toList();
        RestClient client = clients.get(0);
        String device = LocalCluster.deviceIds(1).get(0);

        long bound = BOUND / StoreConfig.HEAP_BYTES_PER_FLOW;
        // Asked again while flows fail: right after the start the master may not see its standby yet.
        DemoCommand.postWithRetry(client, "/onos/v1/flows?appId=" + KEPT_APP, flows(device, 1_000_000, KEPT));
        int acknowledged = 0;
        String firstFlowId = null;
        RestClient.Reply refused = null;
        for (int post = 0; post < MAX_POSTS && refused == null; post++) {
            RestClient.Reply reply = client.post("/onos/v1/flows?appId=" + APP, flows(device, acknowledged, PER_POST));
            if (reply.ok() && reply.body().has("failed")) {
                continue; // not acknowledged (say, the mastership moved): the same flows are posted again
            }
            if (reply.ok()) {
                acknowledged += PER_POST;
                firstFlowId = firstFlowId != null ? firstFlowId : reply.body().at("/flows/0/flowId").asText();
            } else {
                refused = reply;
            }
        }
        assertNotNull(refused, "no post refused after " + acknowledged + " flows");
        assertEquals(503, refused.status(), refused.message());
        assertTrue(refused.message().matches("node n\\d holds \\d+ flows and may hold " + bound
                + " \\(maxFlowsPerNode from its 160 MB heap.*"), refused.message());
        assertTrue(KEPT + acknowledged > bound - PER_POST && KEPT + acknowledged <= bound,
                acknowledged + " flows before the refusal");
        int full = Integer.parseInt(refused.message().substring("node n".length(), "node n".length() + 1));
        JsonNode room = clients.get(full - 1).get("/onos/v1/statistics/flows/replicas").body();
        assertEquals(KEPT + acknowledged, room.path("heldFlows").asLong(), room.toString());
        assertEquals(bound, room.path("maxFlowsPerNode").asLong(), room.toString());

        // Every acknowledged flow is there, nothing of the refused post; every node answers.
        for (RestClient c : clients) {
            assertEquals(KEPT + acknowledged, total(c), "count read on " + c.base());
            assertTrue(c.get("/onos/v1/cluster").ok(), c.base());
        }
        assertTrue(clients.get(1).get("/onos/v1/flows/" + device + "/" + firstFlowId).ok(), "a flow read by id");

        // One DELETE of the application's flows frees the nodes (204, or 202 while it goes on).
        RestClient.Reply removal = client.delete("/onos/v1/flows/application/" + APP);
        assertTrue(removal.status() == 204 || removal.status() == 202, removal.status() + " " + removal.message());
        awaitTrue(Duration.ofSeconds(90), () -> total(client) == KEPT);
        assertEquals(KEPT, client.get("/onos/v1/flows/application/" + KEPT_APP).body().path("flows").size());
        assertTrue(client.post("/onos/v1/flows?appId=" + APP, flows(device, 0, PER_POST)).ok(), "writes are taken again");
        nodes.forEach(n -> assertTrue(LocalCluster.alive(n.pid()), n.id() + " is up"));
    }

    private static ObjectNode flows(String device, int from, int count) {
        ObjectNode body = RestClient.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        for (int i = from; i < from + count; i++) {
            list.add(DemoCommand.flow(device, i));
        }
        return body;
    }

    /** The cluster's flow count as a node reads it, or -1 when it does not answer. */
    private static long total(RestClient client) {
        try {
            return client.get("/onos/v1/statistics/flows/count").body().path("total").asLong(-1);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
