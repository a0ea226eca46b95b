package org.flowstore.app.rest;

import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.ByteString;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.OchSignal;
import org.flowstore.api.OchSignalType;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.OduSignalType;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
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

/**
 * Criteria as JSON, in the members and value types of ONOS's CriterionCodec (its names where ONOS
 * has the kind, the field's evident name otherwise): written as ONOS writes them and read in every
 * form ONOS reads. Decoding validates everything and names the member at fault.
 */
final class CriterionJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * The JSON member of each criterion held as a number: ONOS's codec names where ONOS has
     * them, otherwise the field's evident name. A mask, where OpenFlow allows one, is
     * {@code <member>Mask}.
     */
    private static final Map<Criterion.Type, String> FIELD_KEYS = fieldKeys();

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

    static Criterion decode(JsonInput c) {
        Criterion.Type type = c.oneOf("type", Criterion.Type.class, "criterion");
        return c.build(() -> switch (type) {
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
            case OCH_SIGTYPE -> OpticalCriterion.of(c.oneOf("ochSignalType", OchSignalType.class, "OCh signal type"));
            case ODU_SIGID -> OpticalCriterion.of(decodeOduSignalId(c.object("oduSignalId")));
            case ODU_SIGTYPE -> OpticalCriterion.of(oduSignalType(c, "oduSignalType"));
            case PROTOCOL_INDEPENDENT -> new PiCriterion(c.objects("matches").stream().map(CriterionJson::decodePiMatch).toList());
            case EXTENSION -> new ExtensionCriterion(c.binary("extension"));
            default -> decodeField(c, type);
        });
    }

    private static PiFieldMatch decodePiMatch(JsonInput m) {
        String field = m.text("field");
        PiFieldMatch.MatchType match = m.oneOf("match", PiFieldMatch.MatchType.class, "P4 match kind");
        return m.build(() -> switch (match) {
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

    static void encodeOchSignal(ObjectNode o, OchSignal signal) {
        o.put("gridType", signal.gridType().name()).put("channelSpacing", signal.channelSpacing().name())
                .put("spacingMultiplier", signal.spacingMultiplier()).put("slotGranularity", signal.slotGranularity());
    }

    static OchSignal decodeOchSignal(JsonInput o) {
        return o.build(() -> new OchSignal(o.oneOf("gridType", OchSignal.GridType.class, "grid type"),
                o.oneOf("channelSpacing", OchSignal.ChannelSpacing.class, "channel spacing"),
                (int) o.number("spacingMultiplier", Integer.MIN_VALUE, Integer.MAX_VALUE),
                (int) o.number("slotGranularity", 1, Integer.MAX_VALUE)));
    }

    /** An ODU signal id; its slot-length member is {@code lengthKey} (ONOS names it differently in criteria and instructions). */
    static void encodeOduSignalId(ObjectNode o, OduSignalId signal, String lengthKey) {
        o.put("tributaryPortNumber", signal.tributaryPortNumber()).put(lengthKey, signal.tributarySlotLength())
                .put("tributarySlotBitmap", signal.tributarySlotBitmap().toHex());
    }

    /** Reads an ODU signal id under either name ONOS gives its slot length. */
    static OduSignalId decodeOduSignalId(JsonInput o) {
        String lengthKey = o.has("tributarySlotLen") ? "tributarySlotLen" : "tributarySlotLength";
        return o.build(() -> new OduSignalId((int) o.number("tributaryPortNumber", 0, 4095),
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
            return Criteria.matchField(type, c.flag(key, type.name()) ? 1 : 0);
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
    static String transportProtocol(String kind) {
        return kind.startsWith("TCP") ? "tcp" : kind.startsWith("UDP") ? "udp" : "sctp";
    }

    private CriterionJson() {
    }
}
