package org.flowstore.testing;

import java.util.Arrays;
import java.util.List;

import org.flowstore.api.ByteString;
import org.flowstore.api.OchSignal;
import org.flowstore.api.OchSignalType;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.OduSignalType;

import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.Criterion.Type;
import org.flowstore.api.flow.criteria.ExtensionCriterion;
import org.flowstore.api.flow.criteria.FieldCriterion;
import org.flowstore.api.flow.criteria.OpticalCriterion;
import org.flowstore.api.flow.criteria.PiCriterion;
import org.flowstore.api.flow.criteria.PiFieldMatch;

/**
 * One criterion of every kind, with a value that uses the field's whole width (its top bit set,
 * a mask where the kind takes one). The switch has no default: a kind added to
 * {@link Criterion.Type} without a sample here does not compile, so no test can forget it.
 */
public final class CriterionSamples {

    private CriterionSamples() {
    }

    /** Returns the sample of a kind. */
    public static Criterion of(Type type) {
        return switch (type) {
            case IN_PORT -> Criteria.matchInPort(PortNumber.portNumber(0xFFFF_FF00L));
            case ETH_DST, ETH_SRC, ARP_SHA, ARP_THA, IPV6_ND_SLL, IPV6_ND_TLL ->
                    Criteria.matchMac(type, MacAddress.valueOf("8a:00:00:00:00:" + String.format("%02x", type.ordinal())));
            case ETH_DST_MASKED, ETH_SRC_MASKED -> type == Type.ETH_DST_MASKED
                    ? Criteria.matchEthDstMasked(MacAddress.valueOf("01:00:5e:00:00:00"), MacAddress.valueOf("ff:ff:ff:80:00:00"))
                    : Criteria.matchEthSrcMasked(MacAddress.valueOf("02:00:00:00:00:00"), MacAddress.valueOf("02:00:00:00:00:00"));
            case ETH_TYPE -> Criteria.matchEthType(0x88CC);
            case VLAN_VID -> Criteria.matchVlanId(VlanId.vlanId(4094));
            case IP_PROTO -> Criteria.matchIPProtocol(132);
            case IPV4_SRC, IPV4_DST, ARP_SPA, ARP_TPA -> Criteria.matchIp(type, IpPrefix.valueOf("192.168." + type.ordinal() + ".0/24"));
            case IPV6_SRC, IPV6_DST -> Criteria.matchIp(type, IpPrefix.valueOf("2001:db8:" + type.ordinal() + "::/48"));
            case IPV6_ND_TARGET -> Criteria.matchIp(type, IpPrefix.valueOf("fe80::1/128"));
            case TCP_SRC, TCP_DST, UDP_SRC, UDP_DST, SCTP_SRC, SCTP_DST -> Criteria.matchTransportPort(type, 0xFFFF - type.ordinal());
            case TCP_SRC_MASKED, TCP_DST_MASKED, UDP_SRC_MASKED, UDP_DST_MASKED, SCTP_SRC_MASKED, SCTP_DST_MASKED ->
                    Criteria.matchTransportPort(type, 0x8000 | type.ordinal(), 0xFF00);
            case IN_PHY_PORT, VLAN_PCP, IP_DSCP, IP_ECN, ICMPV4_TYPE, ICMPV4_CODE, ARP_OP, ICMPV6_TYPE, ICMPV6_CODE,
                    MPLS_LABEL, MPLS_TC, MPLS_BOS, INNER_VLAN_VID, INNER_VLAN_PCP ->
                    Criteria.matchField(type, 1L << (type.bits() - 1));
            case METADATA, IPV6_FLABEL, PBB_ISID, TUNNEL_ID, IPV6_EXTHDR, TCP_FLAGS ->
                    Criteria.matchField(type, 1L << (type.bits() - 1) | 1, 1L << (type.bits() - 1) | 0xF);
            case OCH_SIGID -> OpticalCriterion.of(new OchSignal(OchSignal.GridType.DWDM, OchSignal.ChannelSpacing.CHL_50GHZ,
                    -8, 4));
            case OCH_SIGTYPE -> OpticalCriterion.of(OchSignalType.FLEX_GRID);
            case ODU_SIGID -> OpticalCriterion.of(new OduSignalId(17, 80, ByteString.fromHex("ff000000000000000001")));
            case ODU_SIGTYPE -> OpticalCriterion.of(OduSignalType.ODU2e);
            case PROTOCOL_INDEPENDENT -> new PiCriterion(List.of(
                    PiFieldMatch.exact("hdr.ethernet.dst_addr", ByteString.fromHex("0a0b0c0d0e0f")),
                    PiFieldMatch.lpm("hdr.ipv4.dst_addr", ByteString.fromHex("0a000000"), 8),
                    PiFieldMatch.ternary("hdr.ipv4.protocol", ByteString.fromHex("06"), ByteString.fromHex("ff")),
                    PiFieldMatch.range("local_metadata.l4_dst_port", ByteString.fromHex("0050"), ByteString.fromHex("01bb")),
                    PiFieldMatch.optional("standard_metadata.ingress_port", ByteString.fromHex("0001"))));
            case EXTENSION -> new ExtensionCriterion(ByteString.fromHex("cafe0001"));
        };
    }

    /** Returns the sample of a kind without its mask, where it has one: a value, as a set-field takes it. */
    public static Criterion exactOf(Type type) {
        Criterion sample = of(type);
        return sample instanceof FieldCriterion f && !f.exact() ? Criteria.matchField(type, f.value()) : sample;
    }

    /** Returns one sample of every kind, in the order of {@link Criterion.Type}. */
    public static List<Criterion> all() {
        return Arrays.stream(Type.values()).map(CriterionSamples::of).toList();
    }
}
