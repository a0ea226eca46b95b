package org.flowstore.app.rest;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.testing.CriterionSamples;
import org.flowstore.testing.InstructionSamples;
import org.flowstore.testing.StandaloneNode;

/**
 * Every criterion and instruction kind through the REST API of a node that is not the device's
 * master, on a two-node cluster on real Atomix: posted in ONOS's JSON, stored on the master
 * (Kryo between the nodes), pushed to the simulated device, and read back the same from both
 * nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class FlowKindsOverRestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEVICE = "of:0000000000000001";
    private static final String APP = "org.flowstore.kinds";

    private List<StandaloneNode> nodes = List.of();

    @BeforeAll
    void start() throws Exception {
        nodes = StandaloneNode.cluster(2, 1, 10_000);
    }

    @AfterAll
    void stop() {
        nodes.forEach(StandaloneNode::close);
    }

    @Test
    void everyKindPostedToANonMasterIsStoredAndReadBackTheSameOnEveryNode() throws Exception {
        // Just started, the nodes' views of the election may differ for a moment (both saw themselves master once).
        awaitTrue(Duration.ofSeconds(30), () -> nodes.stream().filter(n -> role(n).equals("MASTER")).count() == 1);
        StandaloneNode nonMaster = nodes.stream().filter(n -> !role(n).equals("MASTER")).findFirst().orElseThrow();

        List<Criterion> matches = CriterionSamples.all();
        List<Instruction> actions = InstructionSamples.all();
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode flows = body.putArray("flows");
        for (int i = 0; i < Math.max(matches.size(), actions.size()); i++) {
            ObjectNode flow = flows.addObject().put("priority", 1000 + i).put("isPermanent", true).put("deviceId", DEVICE);
            flow.putObject("selector").putArray("criteria").add(CriterionJson.encode(matches.get(i % matches.size())));
            ObjectNode treatment = flow.putObject("treatment");
            treatment.putArray("instructions").add(InstructionJson.encode(actions.get(i % actions.size())));
            treatment.putArray("deferred").add(InstructionJson.encode(actions.get((i + 1) % actions.size())));
        }
        StandaloneNode.Answer posted = nonMaster.call("POST", "/flows?appId=" + APP, body.toString());
        assertEquals(200, posted.status(), posted.body());
        assertFalse(MAPPER.readTree(posted.body()).has("failed"), posted.body());

        Set<String> expected = rules(flows);
        for (StandaloneNode reader : nodes) {
            JsonNode read = MAPPER.readTree(reader.call("GET", "/flows/application/" + APP, null).body()).get("flows");
            assertEquals(expected, rules(read), "read on the node of REST port " + reader.node().restPort());
        }
    }

    /** This node's role for the device, as its REST API says. */
    private static String role(StandaloneNode node) {
        try {
            for (JsonNode d : MAPPER.readTree(node.call("GET", "/devices", null).body()).get("devices")) {
                if (d.get("id").asText().equals(DEVICE)) {
                    return d.get("role").asText();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no " + DEVICE + " on the node");
    }

    /**
     * The rules a list of flow objects describes, decoded as the REST API decodes a request, each
     * as its priority, match and actions (a rule equals another of the same match whatever its
     * actions, so the actions are compared as text).
     */
    private static Set<String> rules(JsonNode flows) {
        ApplicationId app = ApplicationId.of(0, APP);
        Set<String> rules = new HashSet<>();
        for (JsonInput flow : JsonInput.root(MAPPER.createObjectNode().set("flows", flows)).objects("flows")) {
            FlowRule rule = FlowJson.decodeRule(flow, null, app);
            rules.add(rule.priority() + " " + rule.selector() + " " + rule.treatment());
        }
        return rules;
    }
}
