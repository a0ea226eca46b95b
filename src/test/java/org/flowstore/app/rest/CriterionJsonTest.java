package org.flowstore.app.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.Criterion.Type;
import org.flowstore.testing.CriterionSamples;
import org.flowstore.testing.TestFlows;

/**
 * Every criterion kind as JSON, driven by {@link Criterion.Type}: written with the members and
 * value types ONOS's CriterionCodec writes (its names where ONOS has the kind, the field's
 * evident name otherwise), and read back to the same criterion.
 */
class CriterionJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The members each kind is written with, as ONOS's codec writes them ('?' after an optional one). */
    private static final Map<Type, List<String>> MEMBERS = members();

    @ParameterizedTest
    @EnumSource(Type.class)
    void aCriterionIsWrittenAsOnosWritesItAndReadBack(Type type) {
        Criterion sample = CriterionSamples.of(type);
        ObjectNode json = CriterionJson.encode(sample);
        assertEquals(type.name(), json.get("type").asText());
        List<String> expected = MEMBERS.get(type);
        List<String> actual = new ArrayList<>();
        json.fieldNames().forEachRemaining(actual::add);
        assertEquals(expected, actual.subList(1, actual.size()), "members of " + type);
        assertEquals(sample, decode(json), "read back: " + json);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void valuesHaveTheJsonTypesOnosWrites(Type type) {
        ObjectNode json = CriterionJson.encode(CriterionSamples.of(type));
        JsonNode value = json.get(MEMBERS.get(type).get(0));
        switch (type) {
            case ETH_DST, ETH_SRC, ETH_DST_MASKED, ETH_SRC_MASKED, ARP_SHA, ARP_THA, IPV6_ND_SLL, IPV6_ND_TLL, IPV4_SRC,
                    IPV4_DST, IPV6_SRC, IPV6_DST, ARP_SPA, ARP_TPA, IPV6_ND_TARGET, ETH_TYPE, OCH_SIGTYPE, ODU_SIGTYPE,
                    EXTENSION -> assertTrue(value.isTextual(), type + ": " + json);
            case OCH_SIGID, ODU_SIGID -> assertTrue(value.isObject(), type + ": " + json);
            case PROTOCOL_INDEPENDENT -> assertTrue(value.isArray(), type + ": " + json);
            case MPLS_BOS -> assertTrue(value.isBoolean(), type + ": " + json);
            default -> assertTrue(value.isIntegralNumber(), type + ": " + json);
        }
    }

    @Test
    void numbersAreReadFromHexStringsAndTheWidthIsChecked() {
        assertEquals(Criteria.matchField(Type.VLAN_PCP, 5), decode("{\"type\":\"VLAN_PCP\",\"priority\":\"0x5\"}"));
        assertEquals(Criteria.matchField(Type.METADATA, -1L),
                decode("{\"type\":\"METADATA\",\"metadata\":\"0xFFFFFFFFFFFFFFFF\"}"));
        assertEquals(Criteria.matchField(Type.METADATA, -1L), decode("{\"type\":\"METADATA\",\"metadata\":-1}"),
                "a negative number is a 64-bit value's two's complement, as ONOS writes it");
        assertEquals(Criteria.matchField(Type.TUNNEL_ID, 0x10, 0xF0),
                decode("{\"type\":\"TUNNEL_ID\",\"tunnelId\":16,\"tunnelIdMask\":240}"));
        assertEquals(Criteria.matchField(Type.MPLS_BOS, 1), decode("{\"type\":\"MPLS_BOS\",\"bos\":true}"));
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> decode("{\"type\":\"IP_DSCP\",\"ipDscp\":64}"));
        assertTrue(e.getMessage().contains("selector.criteria[0].ipDscp must be 0..63 (IP_DSCP is 6 bits), was 64"),
                e.getMessage());
        e = assertThrows(BadRequestException.class, () -> decode("{\"type\":\"ETH_DST_MASKED\",\"mac\":\"00:00:00:00:00:01\"}"));
        assertTrue(e.getMessage().contains("macMask"), e.getMessage());
        e = assertThrows(BadRequestException.class, () -> decode("{\"type\":\"MPLS_LABEL\",\"label\":1048576}"));
        assertTrue(e.getMessage().contains("MPLS_LABEL is 20 bits"), e.getMessage());
    }

    private static Criterion decode(String criterion) {
        try {
            return decode((ObjectNode) MAPPER.readTree(criterion));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Criterion decode(ObjectNode criterion) {
        ObjectNode rule = MAPPER.createObjectNode().put("priority", 1).put("isPermanent", true);
        rule.putObject("selector").putArray("criteria").add(criterion);
        FlowRule decoded = FlowJson.decodeRule(JsonInput.root(rule), TestFlows.device(1), TestFlows.APP);
        return decoded.selector().criteria().get(0);
    }

    private static Map<Type, List<String>> members() {
        Map<Type, List<String>> m = new EnumMap<>(Type.class);
        for (Type t : List.of(Type.IN_PORT, Type.IN_PHY_PORT)) {
            m.put(t, List.of("port"));
        }
        for (Type t : List.of(Type.ETH_DST, Type.ETH_SRC, Type.ARP_SHA, Type.ARP_THA, Type.IPV6_ND_SLL, Type.IPV6_ND_TLL)) {
            m.put(t, List.of("mac"));
        }
        m.put(Type.ETH_DST_MASKED, List.of("mac", "macMask"));
        m.put(Type.ETH_SRC_MASKED, List.of("mac", "macMask"));
        m.put(Type.ETH_TYPE, List.of("ethType"));
        m.put(Type.VLAN_VID, List.of("vlanId"));
        m.put(Type.IP_PROTO, List.of("protocol"));
        for (Type t : List.of(Type.IPV4_SRC, Type.IPV4_DST, Type.IPV6_SRC, Type.IPV6_DST, Type.ARP_SPA, Type.ARP_TPA)) {
            m.put(t, List.of("ip"));
        }
        m.put(Type.IPV6_ND_TARGET, List.of("targetAddress"));
        for (String protocol : List.of("TCP", "UDP", "SCTP")) {
            String key = protocol.toLowerCase(Locale.ROOT);
            for (String end : List.of("_SRC", "_DST")) {
                m.put(Type.valueOf(protocol + end), List.of(key + "Port"));
                m.put(Type.valueOf(protocol + end + "_MASKED"), List.of(key + "Port", key + "Mask"));
            }
        }
        m.put(Type.METADATA, List.of("metadata", "metadataMask"));
        m.put(Type.VLAN_PCP, List.of("priority"));
        m.put(Type.INNER_VLAN_VID, List.of("innerVlanId"));
        m.put(Type.INNER_VLAN_PCP, List.of("innerPriority"));
        m.put(Type.IP_DSCP, List.of("ipDscp"));
        m.put(Type.IP_ECN, List.of("ipEcn"));
        m.put(Type.ICMPV4_TYPE, List.of("icmpType"));
        m.put(Type.ICMPV4_CODE, List.of("icmpCode"));
        m.put(Type.ARP_OP, List.of("arpOp"));
        m.put(Type.IPV6_FLABEL, List.of("flowLabel", "flowLabelMask"));
        m.put(Type.ICMPV6_TYPE, List.of("icmpv6Type"));
        m.put(Type.ICMPV6_CODE, List.of("icmpv6Code"));
        m.put(Type.MPLS_LABEL, List.of("label"));
        m.put(Type.MPLS_TC, List.of("tc"));
        m.put(Type.MPLS_BOS, List.of("bos"));
        m.put(Type.PBB_ISID, List.of("pbbIsid", "pbbIsidMask"));
        m.put(Type.TUNNEL_ID, List.of("tunnelId", "tunnelIdMask"));
        m.put(Type.IPV6_EXTHDR, List.of("exthdrFlags", "exthdrFlagsMask"));
        m.put(Type.TCP_FLAGS, List.of("tcpFlags", "tcpFlagsMask"));
        m.put(Type.OCH_SIGID, List.of("ochSignalId"));
        m.put(Type.OCH_SIGTYPE, List.of("ochSignalType"));
        m.put(Type.ODU_SIGID, List.of("oduSignalId"));
        m.put(Type.ODU_SIGTYPE, List.of("oduSignalType"));
        m.put(Type.PROTOCOL_INDEPENDENT, List.of("matches"));
        m.put(Type.EXTENSION, List.of("extension"));
        return m;
    }
}
