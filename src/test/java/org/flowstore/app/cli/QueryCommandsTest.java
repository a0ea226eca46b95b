package org.flowstore.app.cli;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.flowstore.app.device.SimulatedDevices;
import org.flowstore.testing.StandaloneNode;
import org.flowstore.testing.TestFlows;

/** The query commands against a running one-node cluster: readable lines and JSON for scripts. */
class QueryCommandsTest {

    private static StandaloneNode node;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        node = StandaloneNode.start(2, 1000, Duration.ofMillis(100), 1 << 20);
        url = "http://127.0.0.1:" + node.node().restPort();
        node.node().manager().applyFlowRules(TestFlows.rules(SimulatedDevices.deviceId(1), 0, 3))
                .get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> node.node().store().getFlowRuleCount(SimulatedDevices.deviceId(1),
                org.flowstore.api.flow.FlowEntryState.ADDED) == 3);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void flowsCountPrintsOneOnosLinePerDevice() {
        Run run = run("flows", "-c", "--url", url);
        assertEquals(0, run.exit());
        assertEquals(List.of("deviceId=of:0000000000000001, flowRuleCount=3", "deviceId=of:0000000000000002, flowRuleCount=0"),
                run.lines());
        assertEquals(List.of("deviceId=of:0000000000000002, flowRuleCount=0"),
                run("flows", "-c", "of:0000000000000002", "--url", url).lines());
    }

    @Test
    void flowsListsEachFlowUnderItsDevice() throws Exception {
        Run readable = run("flows", "of:0000000000000001", "--url", url);
        assertEquals("deviceId=of:0000000000000001", readable.lines().get(0));
        assertEquals(4, readable.lines().size());
        assertTrue(readable.lines().get(1).contains("state=ADDED"), readable.lines().get(1));
        assertTrue(readable.lines().get(1).matches(".*selector=\\[IN_PORT:\\d+, ETH_TYPE:0x800, IPV4_DST:10\\.0\\.0\\.\\d+/32],"
                + " treatment=\\[immediate=\\[OUTPUT:\\d+]]"), readable.lines().get(1));
        Run brief = run("flows", "-s", "--url", url);
        assertTrue(brief.lines().get(1).trim().startsWith("ADDED, bytes=0"), brief.lines().get(1));
        JsonNode json = RestClient.MAPPER.readTree(run("flows", "--json", "--url", url).output());
        assertEquals(3, json.get("flows").size());
    }

    @Test
    void mastersAndNodesShowTheCluster() throws Exception {
        List<String> masters = run("masters", "--url", url).lines();
        assertEquals(2, masters.size());
        assertTrue(masters.get(0).matches("of:0000000000000001: master=s1, term=\\d+, backups=\\[]"), masters.get(0));
        JsonNode json = RestClient.MAPPER.readTree(run("masters", "--json", "--url", url).output());
        assertEquals("s1", json.get(1).get("master").asText());

        List<String> nodes = run("nodes", "--url", url).lines();
        assertEquals(1, nodes.size());
        assertTrue(nodes.get(0).matches("id=s1, address=127\\.0\\.0\\.1:\\d+, state=READY \\*"), nodes.get(0));
    }

    @Test
    void aNodeThatDoesNotAnswerFailsTheCommand() {
        Run run = run("masters", "--url", "http://127.0.0.1:1");
        assertEquals(1, run.exit());
    }

    @Test
    void statusWithoutAClusterSaysSo() throws Exception {
        String dir = Files.createTempDirectory("flowstore-status").toString();
        Run readable = run("cluster", "status", "--run-dir", dir);
        assertEquals(List.of("no local cluster"), readable.lines());
        assertEquals(1, readable.exit());
        assertEquals(List.of("[]"), run("cluster", "status", "--json", "--run-dir", dir).lines());
        assertEquals(2, run("cluster", "restart", "--run-dir", dir).exit());
    }

    private record Run(int exit, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    private static synchronized Run run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = FlowstoreCommand.commandLine().execute(args);
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
