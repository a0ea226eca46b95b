package org.flowstore.app.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction.L3SubType;
import org.flowstore.api.flow.instructions.L4ModificationInstruction.L4SubType;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.ModEtherInstruction;
import org.flowstore.api.flow.instructions.ModIPInstruction;
import org.flowstore.api.flow.instructions.ModTransportPortInstruction;
import org.flowstore.api.flow.instructions.ModTtlInstruction;
import org.flowstore.api.flow.instructions.ModVlanHeaderInstruction;
import org.flowstore.api.flow.instructions.ModVlanIdInstruction;
import org.flowstore.api.flow.instructions.ModVlanPcpInstruction;
import org.flowstore.api.flow.instructions.NoActionInstruction;
import org.flowstore.api.flow.instructions.OutputInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;

/**
 * Flow JSON in ONOS's format (examples written from ONOS's flow codecs): every criterion and
 * instruction decodes to the model, encodes back to the same JSON, and bad input is refused
 * naming the field.
 */
class FlowJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ApplicationId APP = ApplicationId.of(3, "org.onosproject.rest");
    private static final DeviceId DEVICE = DeviceId.deviceId("of:0000000000000001");

    /** An ONOS REST client's flow, with one of everything. */
    private static final String ONOS_FLOW = """
            {
              "priority": 40000,
              "timeout": 0,
              "isPermanent": true,
              "deviceId": "of:0000000000000001",
              "tableId": 2,
              "selector": {
                "criteria": [
                  {"type": "IN_PORT", "port": 1},
                  {"type": "ETH_SRC", "mac": "00:00:11:00:00:01"},
                  {"type": "ETH_DST", "mac": "00:00:11:00:00:02"},
                  {"type": "ETH_TYPE", "ethType": "0x800"},
                  {"type": "VLAN_VID", "vlanId": 100},
                  {"type": "IP_PROTO", "protocol": 6},
                  {"type": "IPV4_SRC", "ip": "10.1.0.0/16"},
                  {"type": "IPV4_DST", "ip": "10.2.3.4/32"},
                  {"type": "TCP_SRC", "tcpPort": 1024},
                  {"type": "TCP_DST", "tcpPort": 80}
                ]
              },
              "treatment": {
                "instructions": [
                  {"type": "L2MODIFICATION", "subtype": "ETH_DST", "mac": "00:00:11:00:00:09"},
                  {"type": "L2MODIFICATION", "subtype": "VLAN_ID", "vlanId": 200},
                  {"type": "L2MODIFICATION", "subtype": "VLAN_PCP", "vlanPcp": 3},
                  {"type": "L3MODIFICATION", "subtype": "IPV4_SRC", "ip": "192.168.0.1"},
                  {"type": "L3MODIFICATION", "subtype": "DEC_TTL"},
                  {"type": "L4MODIFICATION", "subtype": "TCP_DST", "tcpPort": 8080},
                  {"type": "GROUP", "groupId": 7},
                  {"type": "METER", "meterId": "0x9"},
                  {"type": "QUEUE", "queueId": 2},
                  {"type": "OUTPUT", "port": "CONTROLLER"}
                ],
                "deferred": [
                  {"type": "OUTPUT", "port": "2"}
                ]
              }
            }""";

    @Test
    void anOnosFlowDecodesToTheModel() throws Exception {
        FlowRule rule = FlowJson.decodeRule(JsonInput.root(MAPPER.readTree(ONOS_FLOW)), null, APP);
        assertEquals(DEVICE, rule.deviceId());
        assertEquals(40000, rule.priority());
        assertEquals(2, rule.tableId());
        assertTrue(rule.isPermanent());
        assertEquals(APP, rule.appId());
        assertEquals(Criteria.matchIPDst(IpPrefix.valueOf("10.2.3.4/32")), rule.selector().getCriterion(Criterion.Type.IPV4_DST));
        assertEquals(Criteria.matchVlanId(VlanId.vlanId(100)), rule.selector().getCriterion(Criterion.Type.VLAN_VID));
        assertEquals(10, rule.selector().criteria().size());
        assertEquals(List.of(
                new ModEtherInstruction(L2SubType.ETH_DST, MacAddress.valueOf("00:00:11:00:00:09")),
                new ModVlanIdInstruction(VlanId.vlanId(200)),
                new ModVlanPcpInstruction(3),
                new ModIPInstruction(L3SubType.IPV4_SRC, IpAddress.valueOf("192.168.0.1")),
                new ModTtlInstruction(),
                new ModTransportPortInstruction(L4SubType.TCP_DST, 8080),
                new GroupInstruction(7),
                new MeterInstruction(9),
                new SetQueueInstruction(2),
                new OutputInstruction(PortNumber.CONTROLLER)), rule.treatment().immediate());
        assertEquals(List.of(new OutputInstruction(PortNumber.portNumber(2))), rule.treatment().deferred());
    }

    @Test
    void encodingAnEntryGivesOnosFieldsAndDecodesBackToTheSameRule() throws Exception {
        FlowRule rule = FlowJson.decodeRule(JsonInput.root(MAPPER.readTree(ONOS_FLOW)), null, APP);
        ObjectNode json = FlowJson.encode(DefaultFlowEntry.builder(rule).state(FlowEntryState.ADDED).life(5).packets(7)
                .bytes(700).build());
        assertEquals(Long.toString(rule.id().value()), json.get("id").asText());
        assertEquals("org.onosproject.rest", json.get("appId").asText());
        assertEquals("of:0000000000000001", json.get("deviceId").asText());
        assertEquals("ADDED", json.get("state").asText());
        assertEquals(7, json.get("packets").asLong());
        assertEquals(700, json.get("bytes").asLong());
        assertEquals(5, json.get("life").asLong());
        assertTrue(json.get("isPermanent").asBoolean());
        JsonNode original = MAPPER.readTree(ONOS_FLOW);
        assertEquals(sortedTypes(original.at("/selector/criteria")), sortedTypes(json.at("/selector/criteria")));
        assertEquals(original.at("/treatment/instructions").toString(), json.at("/treatment/instructions").toString(),
                "instructions in ONOS form");
        assertEquals(original.at("/treatment/deferred").toString(), json.at("/treatment/deferred").toString());
        assertEquals(rule, FlowJson.decodeRule(JsonInput.root(json), null, APP), "round trip");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"IN_PORT\",\"port\":7}",
        "{\"type\":\"ETH_SRC\",\"mac\":\"0A:00:00:00:00:01\"}",
        "{\"type\":\"ETH_TYPE\",\"ethType\":\"0x86dd\"}",
        "{\"type\":\"VLAN_VID\",\"vlanId\":4094}",
        "{\"type\":\"IP_PROTO\",\"protocol\":17}",
        "{\"type\":\"IPV6_SRC\",\"ip\":\"2001:db8::/32\"}",
        "{\"type\":\"IPV6_DST\",\"ip\":\"2001:db8::1/128\"}",
        "{\"type\":\"UDP_SRC\",\"udpPort\":53}",
        "{\"type\":\"UDP_DST\",\"udpPort\":67}"})
    void everyCriterionRoundTrips(String criterion) throws Exception {
        JsonNode c = MAPPER.readTree(criterion);
        FlowRule rule = decode("{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":[" + criterion + "]}}");
        JsonNode encoded = FlowJson.encode(DefaultFlowEntry.pendingAdd(rule)).at("/selector/criteria/0");
        assertEquals(normalized(c), normalized(encoded));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"TABLE\",\"tableId\":\"3\"}",
        "{\"type\":\"NOACTION\"}",
        "{\"type\":\"L2MODIFICATION\",\"subtype\":\"ETH_SRC\",\"mac\":\"0A:00:00:00:00:01\"}",
        "{\"type\":\"L2MODIFICATION\",\"subtype\":\"VLAN_PUSH\",\"ethernetType\":\"0x88a8\"}",
        "{\"type\":\"L2MODIFICATION\",\"subtype\":\"VLAN_POP\"}",
        "{\"type\":\"L3MODIFICATION\",\"subtype\":\"IPV6_DST\",\"ip\":\"2001:db8::9\"}",
        "{\"type\":\"L4MODIFICATION\",\"subtype\":\"UDP_SRC\",\"udpPort\":5000}",
        "{\"type\":\"OUTPUT\",\"port\":\"IN_PORT\"}"})
    void everyInstructionRoundTrips(String instruction) throws Exception {
        FlowRule rule = decode("{\"priority\":1,\"isPermanent\":true,\"treatment\":{\"instructions\":[" + instruction + "]}}");
        JsonNode encoded = FlowJson.encode(DefaultFlowEntry.pendingAdd(rule)).at("/treatment/instructions/0");
        assertEquals(normalized(MAPPER.readTree(instruction)), normalized(encoded));
    }

    @Test
    void dropIsReadAsNoAction() throws Exception {
        FlowRule rule = decode("{\"priority\":1,\"isPermanent\":true,\"treatment\":{\"instructions\":[{\"type\":\"DROP\"}]}}");
        assertEquals(List.of(new NoActionInstruction()), rule.treatment().immediate());
    }

    @Test
    void temporaryRulesNeedATimeoutAndNumbersMayBeText() throws Exception {
        FlowRule rule = decode("{\"priority\":\"100\",\"timeout\":30,\"isPermanent\":false}");
        assertEquals(30, rule.idleTimeout());
        assertEquals(100, rule.priority());
        assertEquals(new ModVlanHeaderInstruction(L2SubType.VLAN_PUSH, 0x8100), decode("{\"priority\":1,\"isPermanent\":true,"
                + "\"treatment\":{\"instructions\":[{\"type\":\"L2MODIFICATION\",\"subtype\":\"VLAN_PUSH\"}]}}")
                .treatment().immediate().get(0));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"isPermanent\":true}|priority is required",
        "{\"priority\":70000,\"isPermanent\":true}|priority must be 0..65535",
        "{\"priority\":1}|timeout is required",
        "{\"priority\":1,\"isPermanent\":\"maybe\"}|isPermanent must be true or false",
        "{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":[{\"type\":\"ETH_TYPE\",\"ethType\":\"0xZZ\"}]}}|selector.criteria[0].ethType must be a whole number",
        "{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":[{\"type\":\"PBB_UCA\",\"pbbUca\":1}]}}|selector.criteria[0].type 'PBB_UCA' is not a supported criterion",
        "{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":[{\"type\":\"ETH_SRC\",\"mac\":\"nope\"}]}}|selector.criteria[0].mac",
        "{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":[{\"type\":\"IPV4_DST\",\"ip\":\"2001:db8::/32\"}]}}|selector.criteria[0]",
        "{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":[{\"type\":\"IN_PORT\"}]}}|selector.criteria[0].port is required",
        "{\"priority\":1,\"isPermanent\":true,\"selector\":{\"criteria\":{}}}|selector.criteria must be an array",
        "{\"priority\":1,\"isPermanent\":true,\"treatment\":{\"instructions\":[{\"type\":\"OUTPUT\",\"port\":\"SIDEWAYS\"}]}}|treatment.instructions[0].port",
        "{\"priority\":1,\"isPermanent\":true,\"treatment\":{\"instructions\":[{\"type\":\"L2MODIFICATION\",\"subtype\":\"MPLS_SWAP\"}]}}|treatment.instructions[0].subtype 'MPLS_SWAP'",
        "{\"priority\":1,\"isPermanent\":true,\"treatment\":{\"instructions\":[{\"type\":\"TABLE\",\"tableId\":300}]}}|treatment.instructions[0].tableId must be 0..254",
        "{\"priority\":1,\"isPermanent\":true,\"treatment\":{\"deferred\":[\"OUTPUT\"]}}|treatment.deferred[0] must be an object",
        "{\"priority\":1,\"isPermanent\":true,\"deviceId\":\"of:0000000000000002\"}|deviceId 'of:0000000000000002' differs"})
    void badInputIsRefusedNamingTheField(String json, String message) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> decode(json));
        assertTrue(e.getMessage().contains(message), e.getMessage() + " should contain: " + message);
    }

    @Test
    void aRefusalInABulkPostNamesTheFlowAndTheFieldFromTheRequestRoot() throws Exception {
        JsonInput root = JsonInput.root(MAPPER.readTree("""
                {"flows": [
                  {"priority": 1, "isPermanent": true, "deviceId": "of:0000000000000001"},
                  {"priority": 1, "isPermanent": true, "deviceId": "of:0000000000000001",
                   "selector": {"criteria": [{"type": "IN_PORT", "port": 1}, {"type": "ETH_TYPE", "ethType": "ip"}]}}
                ]}"""));
        List<JsonInput> flows = root.objects("flows");
        assertEquals("flows[1].selector", flows.get(1).object("selector").path());
        FlowJson.decodeRule(flows.get(0), null, APP);
        BadRequestException e = assertThrows(BadRequestException.class, () -> FlowJson.decodeRule(flows.get(1), null, APP));
        assertEquals("flows[1].selector.criteria[1].ethType must be a whole number, was 'ip'", e.getMessage());
    }

    @Test
    void aRuleWithoutThePathsDeviceNeedsDeviceId() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> FlowJson.decodeRule(
                JsonInput.root(MAPPER.readTree("{\"priority\":1,\"isPermanent\":true}")), null, APP));
        assertEquals("deviceId is required", e.getMessage());
    }

    private static FlowRule decode(String json) throws Exception {
        return FlowJson.decodeRule(JsonInput.root(MAPPER.readTree(json)), DEVICE, APP);
    }

    private static List<String> sortedTypes(JsonNode criteria) {
        List<String> all = new ArrayList<>();
        criteria.forEach(c -> all.add(c.toString()));
        all.sort(null);
        return all;
    }

    /** Case of MACs and hex aside, JSON as ONOS writes it. */
    private static String normalized(JsonNode node) {
        return node.toString().toLowerCase(Locale.ROOT);
    }
}
