package org.flowstore.app.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.flowstore.api.ByteString;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction;
import org.flowstore.api.flow.instructions.L4ModificationInstruction;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.ModHeaderInstruction;
import org.flowstore.api.flow.instructions.ModOduSignalIdInstruction;
import org.flowstore.api.flow.instructions.ModVlanHeaderInstruction;
import org.flowstore.api.flow.instructions.PiInstruction;
import org.flowstore.api.flow.instructions.SetFieldInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;
import org.flowstore.testing.InstructionSamples;
import org.flowstore.testing.TestFlows;

/**
 * Every instruction kind as JSON ({@link InstructionSamples}): written with the members and value
 * types of ONOS's InstructionCodec and read back the same, and the forms ONOS's own encoder writes
 * that its decoder cannot read are read by their evident meaning.
 */
class InstructionJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Instruction> samples() {
        return InstructionSamples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void anInstructionIsWrittenAsOnosWritesItAndReadBack(Instruction sample) {
        ObjectNode json = InstructionJson.encode(sample);
        assertEquals(sample.type().name(), json.get("type").asText());
        if (sample instanceof L2ModificationInstruction l2) {
            assertEquals(l2.subtype().name(), json.get("subtype").asText());
        } else if (sample instanceof L3ModificationInstruction l3) {
            assertEquals(l3.subtype().name(), json.get("subtype").asText());
        } else if (sample instanceof L4ModificationInstruction l4) {
            assertEquals(l4.subtype().name(), json.get("subtype").asText());
        }
        assertEquals(sample, decode(json), "read back: " + json);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void valuesHaveTheJsonTypesOnosWrites(Instruction sample) {
        ObjectNode json = InstructionJson.encode(sample);
        List<String> members = new ArrayList<>();
        json.fieldNames().forEachRemaining(members::add);
        for (String member : members) {
            JsonNode v = json.get(member);
            switch (member) {
                case "type", "subtype", "port", "mac", "ip", "meterId", "tableId", "ethernetType", "gridType",
                        "channelSpacing", "actionId", "deviceId" -> assertTrue(v.isTextual(), member + " of " + json);
                case "bos" -> assertTrue(v.isBoolean(), member + " of " + json);
                case "field", "oduSignalId", "actionParams", "extension" -> assertTrue(v.isObject(), member + " of " + json);
                default -> assertTrue(v.isIntegralNumber(), member + " of " + json);
            }
        }
    }

    @Test
    void theFormsOnosWritesAreReadByTheirMeaning() {
        assertEquals(new MeterInstruction(10), decode("{\"type\":\"METER\",\"meterId\":\"a\"}"),
                "ONOS writes a meter id as hex digits");
        assertEquals(new MeterInstruction(10), decode("{\"type\":\"METER\",\"meterId\":10}"));
        assertEquals(new TableTypeTransition(5), decode("{\"type\":\"TABLE\",\"tableId\":\"5\"}"));
        assertEquals(new ModHeaderInstruction(L2SubType.MPLS_PUSH, 0x8847),
                decode("{\"type\":\"L2MODIFICATION\",\"subtype\":\"MPLS_PUSH\",\"ethernetType\":-30649}"),
                "ONOS writes MPLS_PUSH's type as a signed 16-bit number");
        assertEquals(new ModVlanHeaderInstruction(L2SubType.VLAN_PUSH, 0x8100),
                decode("{\"type\":\"L2MODIFICATION\",\"subtype\":\"VLAN_PUSH\",\"ethernetType\":\"vlan\"}"));
        assertEquals(new ModHeaderInstruction(L2SubType.MPLS_POP, 0x0800),
                decode("{\"type\":\"L2MODIFICATION\",\"subtype\":\"MPLS_POP\"}"), "pop to IPv4 by default, as ONOS");
        assertEquals(new ModOduSignalIdInstruction(new OduSignalId(5, 8, ByteString.fromHex("f0"))),
                decode("{\"type\":\"L1MODIFICATION\",\"subtype\":\"ODU_SIGID\",\"tributaryPortNumber\":5,"
                        + "\"tributarySlotLength\":8,\"tributarySlotBitmap\":\"f0\"}"),
                "ONOS writes the ODU signal as an object but reads it from the instruction itself");
        assertEquals(PiInstruction.action("drop", List.of()),
                decode("{\"type\":\"PROTOCOL_INDEPENDENT\",\"subtype\":\"ACTION\",\"actionId\":\"drop\"}"));
        assertEquals(new SetFieldInstruction(Criteria.matchField(Criterion.Type.MPLS_TC, 3)),
                decode("{\"type\":\"SET_FIELD\",\"field\":{\"type\":\"MPLS_TC\",\"tc\":3}}"));
    }

    @Test
    void badInstructionsAreRefusedNamingTheMember() {
        assertRefused("{\"type\":\"L2MODIFICATION\",\"subtype\":\"MPLS_LABEL\",\"label\":1048576}",
                "treatment.instructions[0].label must be 0..1048575 (MPLS_LABEL is 20 bits)");
        assertRefused("{\"type\":\"SET_FIELD\",\"field\":{\"type\":\"ETH_DST\",\"mac\":\"00:00:00:00:00:01\"}}",
                "set it with its L2/L3/L4 modification");
        assertRefused("{\"type\":\"L3MODIFICATION\",\"subtype\":\"IP_DSCP\"}", "treatment.instructions[0].ipDscp is required");
        assertRefused("{\"type\":\"TELEPORT\"}", "'TELEPORT' is not a supported instruction");
    }

    private static void assertRefused(String instruction, String message) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> decode(instruction));
        assertTrue(e.getMessage().contains(message), e.getMessage() + " should contain: " + message);
    }

    private static Instruction decode(String instruction) {
        try {
            return decode((ObjectNode) MAPPER.readTree(instruction));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Instruction decode(ObjectNode instruction) {
        ObjectNode rule = MAPPER.createObjectNode().put("priority", 1).put("isPermanent", true);
        rule.putObject("treatment").putArray("instructions").add(instruction);
        FlowRule decoded = FlowJson.decodeRule(JsonInput.root(rule), TestFlows.device(1), TestFlows.APP);
        return decoded.treatment().immediate().get(0);
    }
}
