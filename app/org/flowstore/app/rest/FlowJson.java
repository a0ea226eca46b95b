package org.flowstore.app.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ByteString;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.OchSignal;
import org.flowstore.api.OchSignalType;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.OduSignalType;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.EthTypeCriterion;
import org.flowstore.api.flow.criteria.ExtensionCriterion;
import org.flowstore.api.flow.criteria.FieldCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.IPProtocolCriterion;
import org.flowstore.api.flow.criteria.OpticalCriterion;
import org.flowstore.api.flow.criteria.PiCriterion;
import org.flowstore.api.flow.criteria.PiFieldMatch;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
import org.flowstore.api.flow.instructions.ExtensionInstruction;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L2ModificationInstruction;
import org.flowstore.api.flow.instructions.L3ModificationInstruction.L3SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction;
import org.flowstore.api.flow.instructions.L4ModificationInstruction.L4SubType;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.ModArpEthInstruction;
import org.flowstore.api.flow.instructions.ModEtherInstruction;
import org.flowstore.api.flow.instructions.ModHeaderInstruction;
import org.flowstore.api.flow.instructions.ModIPInstruction;
import org.flowstore.api.flow.instructions.ModL2FieldInstruction;
import org.flowstore.api.flow.instructions.ModL3FieldInstruction;
import org.flowstore.api.flow.instructions.ModMplsTtlInstruction;
import org.flowstore.api.flow.instructions.ModOchSignalInstruction;
import org.flowstore.api.flow.instructions.ModOduSignalIdInstruction;
import org.flowstore.api.flow.instructions.ModTransportPortInstruction;
import org.flowstore.api.flow.instructions.ModTtlInstruction;
import org.flowstore.api.flow.instructions.ModVlanHeaderInstruction;
import org.flowstore.api.flow.instructions.ModVlanIdInstruction;
import org.flowstore.api.flow.instructions.ModVlanPcpInstruction;
import org.flowstore.api.flow.instructions.NoActionInstruction;
import org.flowstore.api.flow.instructions.OutputInstruction;
import org.flowstore.api.flow.instructions.PiInstruction;
import org.flowstore.api.flow.instructions.SetFieldInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;
import org.flowstore.api.flow.instructions.WriteMetadataInstruction;

/**
 * Flow rules and entries as JSON, in the shape of ONOS's flow codecs (FlowEntryCodec,
 * FlowRuleCodec, CriterionCodec, InstructionCodec), so ONOS REST clients work unchanged.
 * Decoding validates everything and names the field at fault; it never returns a partial rule.
 */
public final class FlowJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The JSON member of each criterion held as a number: ONOS's codec names where ONOS has
     * them, otherwise the field's evident name. A mask, where OpenFlow allows one, is
     * {@code <member>Mask}.
     */
    private static final Map<Criterion.Type, String> FIELD_KEYS = fieldKeys();

    /** The JSON member of each L2 modification that sets a number (ONOS's names; MPLS_TTL's own). */
    private static final Map<L2SubType, String> L2_KEYS = Map.of(L2SubType.MPLS_LABEL, "label", L2SubType.TUNNEL_ID,
            "tunnelId", L2SubType.MPLS_BOS, "bos", L2SubType.MPLS_TTL, "ttl");

    /** The JSON member of each L3 modification that sets a number (ONOS's names; ARP_OP's and IP_TTL's own). */
    private static final Map<L3SubType, String> L3_KEYS = Map.of(L3SubType.IPV6_FLABEL, "flowLabel", L3SubType.ARP_OP,
            "arpOp", L3SubType.IP_DSCP, "ipDscp", L3SubType.IP_TTL, "ttl");

    /** Ethernet types by the names ONOS's encoder writes for header pushes and pops. */
    private static final Map<String, Integer> ETHER_TYPES = Map.of("ipv4", Criteria.ETH_TYPE_IPV4, "arp",
            Criteria.ETH_TYPE_ARP, "vlan", Criteria.ETH_TYPE_VLAN, "qinq", 0x88A8, "ipv6", Criteria.ETH_TYPE_IPV6,
            "mpls_unicast", ModHeaderInstruction.MPLS_UNICAST, "mpls_multicast", 0x8848, "lldp", Criteria.ETH_TYPE_LLDP,
            "bddp", Criteria.ETH_TYPE_BDDP, "pbb", ModHeaderInstruction.PBB);

    private static Map<Criterion.Type, String> fieldKeys() {
        Map<Criterion.Type, String> keys = new EnumMap<>(Criterion.Type.class);
        keys.put(Criterion.Type.IN_PHY_PORT, "port");
        keys.put(Criterion.Type.METADATA, "metadata");
        keys.put(Criterion.Type.VLAN_PCP, "priority");
        keys.put(Criterion.Type.INNER_VLAN_VID, "innerVlanId");
        keys.put(Criterion.Type.INNER_VLAN_PCP, "innerPriority");
        keys.put(Criterion.Type.IP_DSCP, "ipDscp");
        keys.put(Criterion.Type.IP_ECN, "ipEcn");
        keys.put(Criterion.Type.ICMPV4_TYPE, "icmpType");
        keys.put(Criterion.Type.ICMPV4_CODE, "icmpCode");
        keys.put(Criterion.Type.ARP_OP, "arpOp");
        keys.put(Criterion.Type.IPV6_FLABEL, "flowLabel");
        keys.put(Criterion.Type.ICMPV6_TYPE, "icmpv6Type");
        keys.put(Criterion.Type.ICMPV6_CODE, "icmpv6Code");
        keys.put(Criterion.Type.MPLS_LABEL, "label");
        keys.put(Criterion.Type.MPLS_TC, "tc");
        keys.put(Criterion.Type.MPLS_BOS, "bos");
        keys.put(Criterion.Type.PBB_ISID, "pbbIsid");
        keys.put(Criterion.Type.TUNNEL_ID, "tunnelId");
        keys.put(Criterion.Type.IPV6_EXTHDR, "exthdrFlags");
        keys.put(Criterion.Type.TCP_FLAGS, "tcpFlags");
        for (Criterion.Type type : Criterion.Type.values()) {
            if (type.isNumber() && !keys.containsKey(type)) {
                throw new IllegalStateException("no JSON member for criterion " + type);
            }
        }
        return keys;
    }

    private FlowJson() {
    }

    /**
     * Encodes a flow entry as ONOS does.
     *
     * @param entry the entry
     * @return its JSON object
     */
    public static ObjectNode encode(FlowEntry entry) {
        ObjectNode o = JSON.objectNode();
        o.put("id", Long.toString(entry.id().value()));
        o.put("tableId", entry.tableId());
        o.put("appId", entry.appId().name());
        o.put("groupId", 0);
        o.put("priority", entry.priority());
        o.put("timeout", entry.idleTimeout());
        o.put("isPermanent", entry.isPermanent());
        o.put("deviceId", entry.deviceId().uri());
        o.put("state", entry.state().name());
        o.put("life", entry.life());
        o.put("packets", entry.packets());
        o.put("bytes", entry.bytes());
        o.put("liveType", entry.liveType().name());
        o.put("lastSeen", entry.lastSeen());
        o.set("treatment", encode(entry.treatment()));
        o.set("selector", encode(entry.selector()));
        return o;
    }

    private static ObjectNode encode(TrafficSelector selector) {
        ObjectNode o = JSON.objectNode();
        ArrayNode criteria = o.putArray("criteria");
        selector.criteria().forEach(c -> criteria.add(encode(c)));
        return o;
    }

    private static ObjectNode encode(TrafficTreatment treatment) {
        ObjectNode o = JSON.objectNode();
        ArrayNode immediate = o.putArray("instructions");
        treatment.immediate().forEach(i -> immediate.add(encode(i)));
        ArrayNode deferred = o.putArray("deferred");
        treatment.deferred().forEach(i -> deferred.add(encode(i)));
        if (treatment.clearedDeferred()) {
            o.put("clearDeferred", true);
        }
        return o;
    }

    static ObjectNode encode(Criterion criterion) {
        ObjectNode o = JSON.objectNode();
        o.put("type", criterion.type().name());
        if (criterion instanceof PortCriterion c) {
            o.put("port", c.port().toLong());
        } else if (criterion instanceof EthCriterion c) {
            o.put("mac", c.mac().toString());
            if (c.mask() != null) {
                o.put("macMask", c.mask().toString());
            }
        } else if (criterion instanceof EthTypeCriterion c) {
            o.put("ethType", "0x" + Integer.toHexString(c.ethType()));
        } else if (criterion instanceof VlanIdCriterion c) {
            o.put("vlanId", c.vlanId().toInt());
        } else if (criterion instanceof IPProtocolCriterion c) {
            o.put("protocol", c.protocol());
        } else if (criterion instanceof IPCriterion c) {
            if (c.type() == Criterion.Type.IPV6_ND_TARGET) {
                o.put("targetAddress", c.ip().address().toString());
            } else {
                o.put("ip", c.ip().toString());
            }
        } else if (criterion instanceof TransportPortCriterion c) {
            String protocol = transportProtocol(c.type());
            o.put(protocol + "Port", c.port());
            if (c.type().isMaskedForm()) {
                o.put(protocol + "Mask", c.mask());
            }
        } else if (criterion instanceof OpticalCriterion c) {
            switch (c.type()) {
                case OCH_SIGID -> encodeOchSignal(o.putObject("ochSignalId"), c.ochSignal());
                case OCH_SIGTYPE -> o.put("ochSignalType", c.ochSignalType().name());
                case ODU_SIGID -> encodeOduSignalId(o.putObject("oduSignalId"), c.oduSignalId(), "tributarySlotLen");
                default -> o.put("oduSignalType", c.oduSignalType().name());
            }
        } else if (criterion instanceof PiCriterion c) {
            ArrayNode matches = o.putArray("matches");
            for (PiFieldMatch m : c.matches()) {
                ObjectNode match = matches.addObject().put("field", m.fieldId())
                        .put("match", m.matchType().name().toLowerCase(Locale.ROOT));
                switch (m.matchType()) {
                    case EXACT, OPTIONAL -> match.put("value", m.value().toHex());
                    case LPM -> match.put("value", m.value().toHex()).put("prefixLength", m.prefixLength());
                    case TERNARY -> match.put("value", m.value().toHex()).put("mask", m.mask().toHex());
                    case RANGE -> match.put("highValue", m.highValue().toHex()).put("lowValue", m.lowValue().toHex());
                }
            }
        } else if (criterion instanceof ExtensionCriterion c) {
            o.put("extension", Base64.getEncoder().encodeToString(c.payload().toByteArray()));
        } else if (criterion instanceof FieldCriterion c) {
            String key = FIELD_KEYS.get(c.type());
            if (c.type() == Criterion.Type.MPLS_BOS) {
                o.put(key, c.value() == 1);
            } else {
                o.put(key, c.value());
            }
            if (!c.exact()) {
                o.put(key + "Mask", c.mask());
            }
        }
        return o;
    }

    static ObjectNode encode(Instruction instruction) {
        ObjectNode o = JSON.objectNode();
        o.put("type", instruction.type().name());
        if (instruction instanceof OutputInstruction i) {
            o.put("port", i.port().toString());
        } else if (instruction instanceof GroupInstruction i) {
            o.put("groupId", Integer.toUnsignedLong(i.groupId()));
        } else if (instruction instanceof MeterInstruction i) {
            // ONOS writes the meter id as a hex string; with 0x, so that reading it back is not ambiguous.
            o.put("meterId", "0x" + Long.toHexString(i.meterId()));
        } else if (instruction instanceof TableTypeTransition i) {
            o.put("tableId", Integer.toString(i.tableId()));
        } else if (instruction instanceof SetQueueInstruction i) {
            o.put("queueId", i.queueId());
            if (i.port() != null) {
                o.put("port", i.port().toString());
            }
        } else if (instruction instanceof WriteMetadataInstruction i) {
            o.put("metadata", i.metadata()).put("metadataMask", i.mask());
        } else if (instruction instanceof SetFieldInstruction i) {
            o.set("field", encode(i.field()));
        } else if (instruction instanceof ModOchSignalInstruction i) {
            encodeOchSignal(o.put("subtype", "OCH"), i.lambda());
        } else if (instruction instanceof ModOduSignalIdInstruction i) {
            encodeOduSignalId(o.put("subtype", "ODU_SIGID").putObject("oduSignalId"), i.oduSignalId(),
                    "tributarySlotLength");
        } else if (instruction instanceof PiInstruction i) {
            o.put("subtype", i.subtype().name());
            switch (i.subtype()) {
                case ACTION -> {
                    o.put("actionId", i.actionId());
                    ObjectNode params = o.putObject("actionParams");
                    i.params().forEach(p -> params.put(p.id(), p.value().toHex()));
                }
                case ACTION_PROFILE_GROUP_ID -> o.put("groupId", i.profileId());
                case ACTION_PROFILE_MEMBER_ID -> o.put("memberId", i.profileId());
            }
        } else if (instruction instanceof ExtensionInstruction i) {
            o.put("deviceId", i.deviceId().uri());
            o.set("extension", extensionJson(i));
        } else if (instruction instanceof L2ModificationInstruction i) {
            encodeL2(o.put("subtype", i.subtype().name()), i);
        } else if (instruction instanceof L3ModificationInstruction i) {
            encodeL3(o.put("subtype", i.subtype().name()), i);
        } else if (instruction instanceof ModTransportPortInstruction i) {
            o.put("subtype", i.subtype().name()).put(transportProtocol(i.subtype().name()) + "Port", i.port());
        }
        return o;
    }

    private static void encodeL2(ObjectNode o, L2ModificationInstruction instruction) {
        if (instruction instanceof ModEtherInstruction i) {
            o.put("mac", i.mac().toString());
        } else if (instruction instanceof ModVlanIdInstruction i) {
            o.put("vlanId", i.vlanId().toInt());
        } else if (instruction instanceof ModVlanPcpInstruction i) {
            o.put("vlanPcp", i.pcp());
        } else if (instruction instanceof ModVlanHeaderInstruction i && i.subtype() == L2SubType.VLAN_PUSH) {
            o.put("ethernetType", String.format("0x%04x", i.ethernetType()));
        } else if (instruction instanceof ModHeaderInstruction i) {
            o.put("ethernetType", String.format("0x%04x", i.ethernetType()));
        } else if (instruction instanceof ModL2FieldInstruction i) {
            String key = L2_KEYS.get(i.subtype());
            if (i.subtype() == L2SubType.MPLS_BOS) {
                o.put(key, i.value() == 1);
            } else {
                o.put(key, i.value());
            }
        }
    }

    private static void encodeL3(ObjectNode o, L3ModificationInstruction instruction) {
        if (instruction instanceof ModIPInstruction i) {
            o.put("ip", i.ip().toString());
        } else if (instruction instanceof ModArpEthInstruction i) {
            o.put("mac", i.mac().toString());
        } else if (instruction instanceof ModL3FieldInstruction i) {
            o.put(L3_KEYS.get(i.subtype()), i.value());
        }
    }

    /**
     * Decodes a flow rule as ONOS's FlowRuleCodec reads it: {@code priority} required,
     * {@code isPermanent} (default false) or {@code timeout}, {@code tableId}, {@code selector},
     * {@code treatment}; the device from {@code deviceId} unless the request path fixes it.
     *
     * @param in the rule object
     * @param pathDevice the device named by the request path, or null to read {@code deviceId}
     * @param appId the owning application
     * @return the rule
     * @throws BadRequestException naming the first field at fault
     */
    public static FlowRule decodeRule(JsonInput in, DeviceId pathDevice, ApplicationId appId) {
        DeviceId deviceId = pathDevice;
        if (deviceId == null) {
            deviceId = in.parse("deviceId", DeviceId::deviceId);
        } else if (in.has("deviceId") && !in.text("deviceId").trim().equals(pathDevice.uri())) {
            throw new BadRequestException(in.field("deviceId") + " '" + in.text("deviceId") + "' differs from the device "
                    + pathDevice + " of the request path");
        }
        DefaultFlowRule.Builder rule = DefaultFlowRule.builder()
                .forDevice(deviceId)
                .withPriority((int) in.number("priority", 0, 0xFFFF))
                .forTable((int) in.number("tableId", 0, 254, 0))
                .fromApp(appId)
                .withSelector(in.has("selector") ? decodeSelector(in.object("selector")) : TrafficSelector.EMPTY)
                .withTreatment(in.has("treatment") ? decodeTreatment(in.object("treatment")) : TrafficTreatment.EMPTY);
        if (in.bool("isPermanent", false)) {
            rule.makePermanent();
        } else {
            rule.makeTemporary((int) in.number("timeout", 0, 0xFFFF));
        }
        return model(in, rule::build);
    }

    private static TrafficSelector decodeSelector(JsonInput in) {
        TrafficSelector.Builder selector = TrafficSelector.builder();
        for (JsonInput c : in.objects("criteria")) {
            Criterion criterion = decodeCriterion(c);
            model(c, () -> selector.add(criterion));
        }
        return model(in, selector::build);
    }

    private static Criterion decodeCriterion(JsonInput c) {
        Criterion.Type type = kind(c, "type", Criterion.Type.class, "criterion");
        return model(c, () -> switch (type) {
            case IN_PORT -> Criteria.matchInPort(PortNumber.portNumber(c.number("port", 0, PortNumber.MAX_NUMBER)));
            case ETH_SRC, ETH_DST, ARP_SHA, ARP_THA, IPV6_ND_SLL, IPV6_ND_TLL ->
                    Criteria.matchMac(type, c.parse("mac", MacAddress::valueOf));
            case ETH_SRC_MASKED, ETH_DST_MASKED ->
                    new EthCriterion(type, c.parse("mac", MacAddress::valueOf), c.parse("macMask", MacAddress::valueOf));
            case ETH_TYPE -> Criteria.matchEthType((int) c.number("ethType", 0, 0xFFFF));
            case VLAN_VID -> Criteria.matchVlanId(VlanId.vlanId((int) c.number("vlanId", 0, 0xFFFF)));
            case IP_PROTO -> Criteria.matchIPProtocol((int) c.number("protocol", 0, 255));
            case IPV4_SRC, IPV4_DST, IPV6_SRC, IPV6_DST, ARP_SPA, ARP_TPA ->
                    Criteria.matchIp(type, c.parse("ip", IpPrefix::valueOf));
            case IPV6_ND_TARGET ->
                    Criteria.matchIp(type, IpPrefix.valueOf(c.parse("targetAddress", IpAddress::valueOf), 128));
            case TCP_SRC, TCP_DST, UDP_SRC, UDP_DST, SCTP_SRC, SCTP_DST ->
                    Criteria.matchTransportPort(type, (int) c.number(transportProtocol(type) + "Port", 0, 0xFFFF));
            case TCP_SRC_MASKED, TCP_DST_MASKED, UDP_SRC_MASKED, UDP_DST_MASKED, SCTP_SRC_MASKED, SCTP_DST_MASKED ->
                    Criteria.matchTransportPort(type, (int) c.number(transportProtocol(type) + "Port", 0, 0xFFFF),
                            (int) c.number(transportProtocol(type) + "Mask", 0, 0xFFFF));
            case OCH_SIGID -> OpticalCriterion.of(decodeOchSignal(c.object("ochSignalId")));
            case OCH_SIGTYPE -> OpticalCriterion.of(kind(c, "ochSignalType", OchSignalType.class, "OCh signal type"));
            case ODU_SIGID -> OpticalCriterion.of(decodeOduSignalId(c.object("oduSignalId")));
            case ODU_SIGTYPE -> OpticalCriterion.of(oduSignalType(c, "oduSignalType"));
            case PROTOCOL_INDEPENDENT -> new PiCriterion(c.objects("matches").stream().map(FlowJson::decodePiMatch).toList());
            case EXTENSION -> new ExtensionCriterion(c.binary("extension"));
            default -> decodeField(c, type);
        });
    }

    private static PiFieldMatch decodePiMatch(JsonInput m) {
        String field = m.text("field");
        PiFieldMatch.MatchType match = kind(m, "match", PiFieldMatch.MatchType.class, "P4 match kind");
        return model(m, () -> switch (match) {
            case EXACT -> PiFieldMatch.exact(field, m.parse("value", ByteString::fromHex));
            case OPTIONAL -> PiFieldMatch.optional(field, m.parse("value", ByteString::fromHex));
            case LPM -> PiFieldMatch.lpm(field, m.parse("value", ByteString::fromHex),
                    (int) m.number("prefixLength", 0, 8L * ByteString.MAX_LENGTH));
            case TERNARY -> PiFieldMatch.ternary(field, m.parse("value", ByteString::fromHex),
                    m.parse("mask", ByteString::fromHex));
            case RANGE -> PiFieldMatch.range(field, m.parse("lowValue", ByteString::fromHex),
                    m.parse("highValue", ByteString::fromHex));
        });
    }

    private static void encodeOchSignal(ObjectNode o, OchSignal signal) {
        o.put("gridType", signal.gridType().name()).put("channelSpacing", signal.channelSpacing().name())
                .put("spacingMultiplier", signal.spacingMultiplier()).put("slotGranularity", signal.slotGranularity());
    }

    private static OchSignal decodeOchSignal(JsonInput o) {
        return model(o, () -> new OchSignal(kind(o, "gridType", OchSignal.GridType.class, "grid type"),
                kind(o, "channelSpacing", OchSignal.ChannelSpacing.class, "channel spacing"),
                (int) o.number("spacingMultiplier", Integer.MIN_VALUE, Integer.MAX_VALUE),
                (int) o.number("slotGranularity", 1, Integer.MAX_VALUE)));
    }

    /** An ODU signal id; its slot-length member is {@code lengthKey} (ONOS names it differently in criteria and instructions). */
    private static void encodeOduSignalId(ObjectNode o, OduSignalId signal, String lengthKey) {
        o.put("tributaryPortNumber", signal.tributaryPortNumber()).put(lengthKey, signal.tributarySlotLength())
                .put("tributarySlotBitmap", signal.tributarySlotBitmap().toHex());
    }

    /** Reads an ODU signal id under either name ONOS gives its slot length. */
    private static OduSignalId decodeOduSignalId(JsonInput o) {
        String lengthKey = o.has("tributarySlotLen") ? "tributarySlotLen" : "tributarySlotLength";
        return model(o, () -> new OduSignalId((int) o.number("tributaryPortNumber", 0, 4095),
                (int) o.number(lengthKey, 1, 80), o.parse("tributarySlotBitmap", ByteString::fromHex)));
    }

    /** ODU signal types are case-sensitive in ONOS (ODU2e): matched ignoring case here. */
    private static OduSignalType oduSignalType(JsonInput in, String member) {
        String name = in.text(member).trim();
        for (OduSignalType t : OduSignalType.values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new BadRequestException(in.field(member) + " '" + name + "' is not one of "
                + Arrays.toString(OduSignalType.values()));
    }

    /** A criterion on a field held as a number, under the key ONOS uses (and {@code <key>Mask} where OpenFlow allows a mask). */
    private static FieldCriterion decodeField(JsonInput c, Criterion.Type type) {
        String key = FIELD_KEYS.get(type);
        if (type == Criterion.Type.MPLS_BOS) {
            if (!c.has(key)) {
                throw c.fail(c.field(key) + " is required");
            }
            boolean bos = c.node().get(key).isIntegralNumber() ? c.bits(key, 1, type.name()) == 1 : c.bool(key, false);
            return Criteria.matchField(type, bos ? 1 : 0);
        }
        long value = c.bits(key, type.bits(), type.name());
        if (type.isMaskable() && c.has(key + "Mask")) {
            return Criteria.matchField(type, value, c.bits(key + "Mask", type.bits(), type.name()));
        }
        return Criteria.matchField(type, value);
    }

    private static String transportProtocol(Criterion.Type type) {
        return transportProtocol(type.name());
    }

    /** The JSON prefix of a transport field's members, from its kind's name (TCP_SRC, UDP_DST_MASKED, ...). */
    private static String transportProtocol(String kind) {
        return kind.startsWith("TCP") ? "tcp" : kind.startsWith("UDP") ? "udp" : "sctp";
    }

    private static TrafficTreatment decodeTreatment(JsonInput in) {
        TrafficTreatment.Builder treatment = TrafficTreatment.builder();
        for (JsonInput i : in.objects("instructions")) {
            Instruction instruction = decodeInstruction(i);
            model(i, () -> treatment.add(instruction));
        }
        for (JsonInput i : in.objects("deferred")) {
            Instruction instruction = decodeInstruction(i);
            model(i, () -> treatment.addDeferred(instruction));
        }
        if (in.bool("clearDeferred", false)) {
            treatment.wipeDeferred();
        }
        return model(in, treatment::build);
    }

    private static Instruction decodeInstruction(JsonInput i) {
        String type = i.text("type").trim().toUpperCase(Locale.ROOT);
        return model(i, () -> switch (type) {
            case "OUTPUT" -> new OutputInstruction(i.parse("port", PortNumber::fromString));
            case "GROUP" -> new GroupInstruction((int) i.number("groupId", 0, 0xFFFF_FFFFL));
            case "METER" -> new MeterInstruction(meterId(i));
            case "TABLE" -> new TableTypeTransition((int) i.number("tableId", 0, 254));
            case "QUEUE" -> new SetQueueInstruction(i.number("queueId", 0, 0xFFFF_FFFFL),
                    i.has("port") && !i.node().get("port").isNull() ? i.parse("port", PortNumber::fromString) : null);
            case "NOACTION", "DROP" -> new NoActionInstruction();
            case "METADATA" -> new WriteMetadataInstruction(i.bits("metadata", 64, "METADATA"),
                    i.has("metadataMask") ? i.bits("metadataMask", 64, "METADATA") : -1L);
            case "SET_FIELD" -> new SetFieldInstruction(decodeCriterion(i.object("field")));
            case "L0MODIFICATION" -> {
                if (!i.text("subtype").trim().equalsIgnoreCase("OCH")) {
                    throw new BadRequestException(i.field("subtype") + " '" + i.text("subtype") + "' is not one of [OCH]");
                }
                yield new ModOchSignalInstruction(decodeOchSignal(i));
            }
            case "L1MODIFICATION" -> {
                if (!i.text("subtype").trim().equalsIgnoreCase("ODU_SIGID")) {
                    throw new BadRequestException(i.field("subtype") + " '" + i.text("subtype") + "' is not one of [ODU_SIGID]");
                }
                // ONOS writes the signal as an object and reads it from the instruction itself: both are read.
                yield new ModOduSignalIdInstruction(decodeOduSignalId(i.has("oduSignalId") ? i.object("oduSignalId") : i));
            }
            case "PROTOCOL_INDEPENDENT" -> decodePi(i);
            case "EXTENSION" -> new ExtensionInstruction(i.parse("deviceId", DeviceId::deviceId),
                    ByteString.copyOf(extensionBytes(i)));
            case "L2MODIFICATION" -> decodeL2(i);
            case "L3MODIFICATION" -> decodeL3(i);
            case "L4MODIFICATION" -> decodeL4(i);
            default -> throw new BadRequestException(i.field("type") + " '" + type + "' is not a supported instruction;"
                    + " one of " + Arrays.toString(Instruction.Type.values()) + " (DROP for NOACTION)");
        });
    }

    private static PiInstruction decodePi(JsonInput i) {
        PiInstruction.Subtype subtype = subtype(i, PiInstruction.Subtype.class);
        return switch (subtype) {
            case ACTION -> {
                List<PiInstruction.Param> params = new ArrayList<>();
                if (i.has("actionParams")) {
                    JsonInput actionParams = i.object("actionParams");
                    actionParams.node().fieldNames().forEachRemaining(name ->
                            params.add(new PiInstruction.Param(name, actionParams.parse(name, ByteString::fromHex))));
                }
                yield PiInstruction.action(i.text("actionId"), params);
            }
            case ACTION_PROFILE_GROUP_ID -> PiInstruction.profile(subtype, i.number("groupId", 0, 0xFFFF_FFFFL));
            case ACTION_PROFILE_MEMBER_ID -> PiInstruction.profile(subtype, i.number("memberId", 0, 0xFFFF_FFFFL));
        };
    }

    /** The bytes of an extension: its JSON object as compact UTF-8 text, which the store carries unread. */
    private static byte[] extensionBytes(JsonInput i) {
        JsonInput extension = i.object("extension");
        return extension.node().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An extension's JSON object again, from the bytes {@link #extensionBytes} made (raw bytes become a base64 string). */
    private static JsonNode extensionJson(ExtensionInstruction i) {
        try {
            return MAPPER.readTree(i.payload().toByteArray());
        } catch (IOException e) {
            return JSON.binaryNode(i.payload().toByteArray());
        }
    }

    /**
     * The meter id: a number, a {@code 0x} hex string, a decimal string, or a string of hex
     * digits with a letter (the form ONOS's encoder writes, which its own decoder misreads).
     */
    private static long meterId(JsonInput i) {
        JsonNode v = i.node().get("meterId");
        if (v != null && v.isTextual() && v.asText().trim().matches("(?i)[0-9a-f]*[a-f][0-9a-f]*")) {
            return Long.parseLong(v.asText().trim(), 16);
        }
        return i.number("meterId", 0, 0xFFFF_FFFFL);
    }

    private static Instruction decodeL2(JsonInput i) {
        L2SubType subtype = subtype(i, L2SubType.class);
        return switch (subtype) {
            case ETH_SRC, ETH_DST -> new ModEtherInstruction(subtype, i.parse("mac", MacAddress::valueOf));
            case VLAN_ID -> new ModVlanIdInstruction(VlanId.vlanId((int) i.number("vlanId", 0, VlanId.MAX_VLAN)));
            case VLAN_PCP -> new ModVlanPcpInstruction((int) i.number("vlanPcp", 0, 7));
            case VLAN_PUSH -> new ModVlanHeaderInstruction(subtype, ethernetType(i, Criteria.ETH_TYPE_VLAN));
            case VLAN_POP -> new ModVlanHeaderInstruction(subtype, 0);
            case MPLS_PUSH -> new ModHeaderInstruction(subtype, ethernetType(i, ModHeaderInstruction.MPLS_UNICAST));
            case MPLS_POP -> new ModHeaderInstruction(subtype, ethernetType(i, Criteria.ETH_TYPE_IPV4));
            case PBB_PUSH -> new ModHeaderInstruction(subtype, ethernetType(i, ModHeaderInstruction.PBB));
            case PBB_POP -> new ModHeaderInstruction(subtype, 0);
            case DEC_MPLS_TTL -> new ModMplsTtlInstruction();
            case MPLS_BOS -> new ModL2FieldInstruction(subtype, i.node().get("bos") != null
                    && i.node().get("bos").isIntegralNumber() ? i.bits("bos", 1, "MPLS_BOS") : i.bool("bos", true) ? 1 : 0);
            case MPLS_LABEL, TUNNEL_ID, MPLS_TTL ->
                    new ModL2FieldInstruction(subtype, i.bits(L2_KEYS.get(subtype), subtype.bits(), subtype.name()));
        };
    }

    private static Instruction decodeL3(JsonInput i) {
        L3SubType subtype = subtype(i, L3SubType.class);
        return switch (subtype) {
            case DEC_TTL, TTL_OUT, TTL_IN -> new ModTtlInstruction(subtype);
            case IPV4_SRC, IPV4_DST, IPV6_SRC, IPV6_DST, ARP_SPA -> new ModIPInstruction(subtype, i.parse("ip", IpAddress::valueOf));
            case ARP_SHA -> new ModArpEthInstruction(i.parse("mac", MacAddress::valueOf));
            case IPV6_FLABEL, ARP_OP, IP_DSCP, IP_TTL ->
                    new ModL3FieldInstruction(subtype, i.bits(L3_KEYS.get(subtype), subtype.bits(), subtype.name()));
        };
    }

    private static Instruction decodeL4(JsonInput i) {
        L4SubType subtype = subtype(i, L4SubType.class);
        return new ModTransportPortInstruction(subtype, (int) i.number(transportProtocol(subtype.name()) + "Port", 0, 0xFFFF));
    }

    /**
     * The Ethernet type of a header push or pop: a number (a negative one is a 16-bit value
     * written signed, as ONOS writes MPLS_PUSH's), a {@code 0x} hex string, or a name ONOS's
     * encoder writes ({@code vlan}, {@code mpls_unicast}, ...); the default when absent.
     */
    private static int ethernetType(JsonInput i, int defaultType) {
        if (!i.has("ethernetType")) {
            return defaultType;
        }
        JsonNode v = i.node().get("ethernetType");
        if (v.isIntegralNumber()) {
            long n = v.asLong();
            if (n < Short.MIN_VALUE || n > 0xFFFF) {
                throw new BadRequestException(i.field("ethernetType") + " must be 0..0xFFFF, was " + n);
            }
            return (int) n & 0xFFFF;
        }
        Integer named = ETHER_TYPES.get(v.asText().trim().toLowerCase(Locale.ROOT));
        return named != null ? named : (int) i.number("ethernetType", 0, 0xFFFF);
    }

    private static <E extends Enum<E>> E subtype(JsonInput i, Class<E> kind) {
        return kind(i, "subtype", kind, "subtype");
    }

    /** Reads an enum constant by name, case-insensitively; a name it does not know is refused listing those it does. */
    private static <E extends Enum<E>> E kind(JsonInput in, String member, Class<E> kind, String what) {
        String name = in.text(member).trim().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(kind, name);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(in.field(member) + " '" + name + "' is not a supported " + what + "; one of "
                    + Arrays.toString(kind.getEnumConstants()));
        }
    }

    /** Runs a model factory, turning its refusal into one naming the object at fault. */
    private static <T> T model(JsonInput at, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (BadRequestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw at.fail(String.valueOf(e.getMessage()));
        }
    }
}
