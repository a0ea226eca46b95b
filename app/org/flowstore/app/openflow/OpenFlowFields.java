package org.flowstore.app.openflow;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;

import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.oxm.OFOxms;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.ICMPv4Code;
import org.projectfloodlight.openflow.types.ICMPv4Type;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6FlowLabel;
import org.projectfloodlight.openflow.types.IpDscp;
import org.projectfloodlight.openflow.types.IpEcn;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.OFBooleanValue;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.OFValueType;
import org.projectfloodlight.openflow.types.OFVlanVidMatch;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U16;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.VlanPcp;

import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.Criterion.Type;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.EthTypeCriterion;
import org.flowstore.api.flow.criteria.FieldCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.IPProtocolCriterion;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;

/**
 * The flow model's header fields as OpenFlow 1.3 OXM fields, both ways: a selector becomes a
 * {@link Match}, a criterion an OXM (a match field, or the value of a set-field action), and back.
 * Kinds OpenFlow 1.3 has no field for (PBB I-SID, inner VLAN, optical, protocol-independent and
 * extension matches) are refused with an {@link UntranslatableFlowException}; TCP flags travel as
 * Open vSwitch's experimenter field, the form OVS accepts in OpenFlow 1.3.
 */
final class OpenFlowFields {

    /** A header field held as a number, and its OpenFlow value type. */
    private record NumberField<F extends OFValueType<F>>(MatchField<F> field, LongFunction<F> of, ToLongFunction<F> value) {
    }

    private static final Map<Type, NumberField<?>> NUMBERS = new EnumMap<>(Type.class);
    private static final Map<MatchField<?>, Type> NUMBER_TYPES = new HashMap<>();

    static {
        number(Type.IN_PHY_PORT, MatchField.IN_PHY_PORT, v -> OFPort.of((int) v), p -> p.getPortNumber() & 0xFFFF_FFFFL);
        number(Type.METADATA, MatchField.METADATA, OFMetadata::ofRaw, m -> m.getValue().getValue());
        number(Type.VLAN_PCP, MatchField.VLAN_PCP, v -> VlanPcp.of((byte) v), VlanPcp::getValue);
        number(Type.IP_DSCP, MatchField.IP_DSCP, v -> IpDscp.of((byte) v), IpDscp::getDscpValue);
        number(Type.IP_ECN, MatchField.IP_ECN, v -> IpEcn.of((byte) v), IpEcn::getEcnValue);
        number(Type.ICMPV4_TYPE, MatchField.ICMPV4_TYPE, v -> ICMPv4Type.of((short) v), ICMPv4Type::getType);
        number(Type.ICMPV4_CODE, MatchField.ICMPV4_CODE, v -> ICMPv4Code.of((short) v), ICMPv4Code::getCode);
        number(Type.ARP_OP, MatchField.ARP_OP, v -> ArpOpcode.of((int) v), ArpOpcode::getOpcode);
        number(Type.IPV6_FLABEL, MatchField.IPV6_FLABEL, v -> IPv6FlowLabel.of((int) v),
                l -> l.getIPv6FlowLabelValue() & 0xFFFF_FFFFL);
        number(Type.ICMPV6_TYPE, MatchField.ICMPV6_TYPE, v -> U8.of((short) v), U8::getValue);
        number(Type.ICMPV6_CODE, MatchField.ICMPV6_CODE, v -> U8.of((short) v), U8::getValue);
        number(Type.MPLS_LABEL, MatchField.MPLS_LABEL, U32::of, U32::getValue);
        number(Type.MPLS_TC, MatchField.MPLS_TC, v -> U8.of((short) v), U8::getValue);
        number(Type.MPLS_BOS, MatchField.MPLS_BOS, v -> OFBooleanValue.of(v != 0), b -> b.getValue() ? 1 : 0);
        number(Type.TUNNEL_ID, MatchField.TUNNEL_ID, U64::of, U64::getValue);
        number(Type.IPV6_EXTHDR, MatchField.IPV6_EXTHDR, v -> U16.of((int) v), U16::getValue);
        number(Type.TCP_FLAGS, MatchField.OVS_TCP_FLAGS, v -> U16.of((int) v), U16::getValue);
    }

    private static <F extends OFValueType<F>> void number(Type type, MatchField<F> field, LongFunction<F> of,
                                                          ToLongFunction<F> value) {
        NUMBERS.put(type, new NumberField<>(field, of, value));
        NUMBER_TYPES.put(field, type);
    }

    /**
     * One OXM field with its value, and its mask when it is not an exact match.
     *
     * @param field the OXM field
     * @param value the value
     * @param mask the mask, null for an exact match
     * @param <F> the field's value type
     */
    record Oxm<F extends OFValueType<F>>(MatchField<F> field, F value, F mask) {

        void addTo(Match.Builder match) {
            if (mask == null) {
                match.setExact(field, value);
            } else {
                match.setMasked(field, value, mask);
            }
        }

        OFOxm<F> toOxm(OFOxms oxms) {
            return mask == null ? oxms.fromValue(value, field) : oxms.fromValueAndMask(value, mask, field);
        }
    }

    private OpenFlowFields() {
    }

    /**
     * Builds the OpenFlow match of a selector.
     *
     * @param match an empty match builder of the switch's version
     * @param selector the selector
     * @return the match
     * @throws UntranslatableFlowException for a kind OpenFlow 1.3 cannot match
     */
    static Match toMatch(Match.Builder match, TrafficSelector selector) {
        for (Criterion c : selector.criteria()) {
            toOxm(c).addTo(match);
        }
        return match.build();
    }

    /**
     * Reads an OpenFlow match back into a selector.
     *
     * @param match the match a switch reported
     * @return the selector
     * @throws UntranslatableFlowException for a field or mask the flow model has no form for
     */
    static TrafficSelector toSelector(Match match) {
        TrafficSelector.Builder selector = TrafficSelector.builder();
        if (match instanceof OFMatchV3 oxms) {
            // Every field the switch sent: Match.getMatchFields() leaves out a field whose
            // prerequisites are missing, and the model's selector holds it.
            for (OFOxm<?> oxm : oxms.getOxmList()) {
                selector.add(toCriterion(oxm));
            }
        } else {
            throw new UntranslatableFlowException("an OpenFlow 1.0 match has no OXM fields: " + match);
        }
        return selector.build();
    }

    /**
     * Reads an OXM field back into a criterion.
     *
     * @param oxm the field, its value and its mask
     * @return the criterion
     * @throws UntranslatableFlowException for a field or mask the flow model has no form for
     */
    static <F extends OFValueType<F>> Criterion toCriterion(OFOxm<F> oxm) {
        return toCriterion(oxm.getMatchField(), oxm.getValue(), oxm.isMasked() ? oxm.getMask() : null);
    }

    /**
     * Returns a criterion as an OXM field (exact, or masked where the criterion has a partial mask).
     *
     * @param c the criterion
     * @return the field, value and mask
     * @throws UntranslatableFlowException for a kind OpenFlow 1.3 has no field for
     */
    static Oxm<?> toOxm(Criterion c) {
        if (c instanceof PortCriterion p) {
            return new Oxm<>(MatchField.IN_PORT, OFPort.of((int) p.port().toLong()), null);
        } else if (c instanceof EthTypeCriterion e) {
            return new Oxm<>(MatchField.ETH_TYPE, EthType.of(e.ethType()), null);
        } else if (c instanceof IPProtocolCriterion p) {
            return new Oxm<>(MatchField.IP_PROTO, IpProtocol.of((short) p.protocol()), null);
        } else if (c instanceof VlanIdCriterion v) {
            return vlan(v.vlanId());
        } else if (c instanceof EthCriterion e) {
            MatchField<org.projectfloodlight.openflow.types.MacAddress> field = switch (e.type()) {
                case ETH_DST, ETH_DST_MASKED -> MatchField.ETH_DST;
                case ETH_SRC, ETH_SRC_MASKED -> MatchField.ETH_SRC;
                case ARP_SHA -> MatchField.ARP_SHA;
                case ARP_THA -> MatchField.ARP_THA;
                case IPV6_ND_SLL -> MatchField.IPV6_ND_SLL;
                case IPV6_ND_TLL -> MatchField.IPV6_ND_TLL;
                default -> throw unsupported(e.type());
            };
            return new Oxm<>(field, mac(e.mac()), e.mask() == null ? null : mac(e.mask()));
        } else if (c instanceof IPCriterion ip) {
            return ip(ip);
        } else if (c instanceof TransportPortCriterion t) {
            MatchField<TransportPort> field = switch (t.type()) {
                case TCP_SRC, TCP_SRC_MASKED -> MatchField.TCP_SRC;
                case TCP_DST, TCP_DST_MASKED -> MatchField.TCP_DST;
                case UDP_SRC, UDP_SRC_MASKED -> MatchField.UDP_SRC;
                case UDP_DST, UDP_DST_MASKED -> MatchField.UDP_DST;
                case SCTP_SRC, SCTP_SRC_MASKED -> MatchField.SCTP_SRC;
                case SCTP_DST, SCTP_DST_MASKED -> MatchField.SCTP_DST;
                default -> throw unsupported(t.type());
            };
            return new Oxm<>(field, TransportPort.of(t.port()),
                    t.type().isMaskedForm() ? TransportPort.of(t.mask()) : null);
        } else if (c instanceof FieldCriterion f && NUMBERS.containsKey(f.type())) {
            return number(NUMBERS.get(f.type()), f);
        }
        throw unsupported(c.type());
    }

    private static <F extends OFValueType<F>> Oxm<F> number(NumberField<F> n, FieldCriterion f) {
        return new Oxm<>(n.field(), n.of().apply(f.value()), f.exact() ? null : n.of().apply(f.mask()));
    }

    private static Oxm<OFVlanVidMatch> vlan(VlanId vlan) {
        if (vlan.equals(VlanId.NONE)) {
            return new Oxm<>(MatchField.VLAN_VID, OFVlanVidMatch.UNTAGGED, null);
        }
        if (vlan.equals(VlanId.ANY)) {
            return new Oxm<>(MatchField.VLAN_VID, OFVlanVidMatch.PRESENT, OFVlanVidMatch.PRESENT);
        }
        return new Oxm<>(MatchField.VLAN_VID, OFVlanVidMatch.ofVlan(vlan.toInt()), null);
    }

    private static Oxm<?> ip(IPCriterion c) {
        IpPrefix prefix = c.ip();
        int length = prefix.prefixLength();
        IpAddress address = prefix.address();
        return switch (c.type()) {
            case IPV4_SRC, IPV4_DST, ARP_SPA, ARP_TPA -> {
                MatchField<IPv4Address> field = switch (c.type()) {
                    case IPV4_SRC -> MatchField.IPV4_SRC;
                    case IPV4_DST -> MatchField.IPV4_DST;
                    case ARP_SPA -> MatchField.ARP_SPA;
                    default -> MatchField.ARP_TPA;
                };
                yield new Oxm<>(field, IPv4Address.of((int) address.low()),
                        length == 32 ? null : IPv4Address.ofCidrMaskLength(length));
            }
            case IPV6_SRC, IPV6_DST, IPV6_ND_TARGET -> {
                MatchField<IPv6Address> field = switch (c.type()) {
                    case IPV6_SRC -> MatchField.IPV6_SRC;
                    case IPV6_DST -> MatchField.IPV6_DST;
                    default -> MatchField.IPV6_ND_TARGET;
                };
                yield new Oxm<>(field, IPv6Address.of(address.high(), address.low()),
                        length == 128 ? null : IPv6Address.ofCidrMaskLength(length));
            }
            default -> throw unsupported(c.type());
        };
    }

    /**
     * Reads an OXM field back into a criterion.
     *
     * @param field the field
     * @param value its value
     * @param mask its mask, null when exact
     * @return the criterion
     * @throws UntranslatableFlowException for a field or mask the flow model has no form for
     */
    @SuppressWarnings("unchecked")
    static <F extends OFValueType<F>> Criterion toCriterion(MatchField<F> field, F value, F mask) {
        Type numberType = NUMBER_TYPES.get(field);
        if (numberType != null) {
            NumberField<F> n = (NumberField<F>) NUMBERS.get(numberType);
            long v = n.value().applyAsLong(value);
            return mask == null ? new FieldCriterion(numberType, v)
                    : new FieldCriterion(numberType, v, n.value().applyAsLong(mask));
        }
        Object v = value;
        Object m = mask;
        return switch (field.id) {
            case IN_PORT -> new PortCriterion(PortNumber.portNumber(((OFPort) v).getPortNumber() & 0xFFFF_FFFFL));
            case ETH_TYPE -> new EthTypeCriterion(((EthType) v).getValue());
            case IP_PROTO -> new IPProtocolCriterion(((IpProtocol) v).getIpProtocolNumber());
            case VLAN_VID -> new VlanIdCriterion(vlan((OFVlanVidMatch) v, (OFVlanVidMatch) m));
            case ETH_DST -> mac(m == null ? Type.ETH_DST : Type.ETH_DST_MASKED, v, m);
            case ETH_SRC -> mac(m == null ? Type.ETH_SRC : Type.ETH_SRC_MASKED, v, m);
            case ARP_SHA -> mac(Type.ARP_SHA, v, m);
            case ARP_THA -> mac(Type.ARP_THA, v, m);
            case IPV6_ND_SLL -> mac(Type.IPV6_ND_SLL, v, m);
            case IPV6_ND_TLL -> mac(Type.IPV6_ND_TLL, v, m);
            case IPV4_SRC -> ip4(Type.IPV4_SRC, v, m);
            case IPV4_DST -> ip4(Type.IPV4_DST, v, m);
            case ARP_SPA -> ip4(Type.ARP_SPA, v, m);
            case ARP_TPA -> ip4(Type.ARP_TPA, v, m);
            case IPV6_SRC -> ip6(Type.IPV6_SRC, v, m);
            case IPV6_DST -> ip6(Type.IPV6_DST, v, m);
            case IPV6_ND_TARGET -> ip6(Type.IPV6_ND_TARGET, v, m);
            case TCP_SRC -> port(Type.TCP_SRC, Type.TCP_SRC_MASKED, v, m);
            case TCP_DST -> port(Type.TCP_DST, Type.TCP_DST_MASKED, v, m);
            case UDP_SRC -> port(Type.UDP_SRC, Type.UDP_SRC_MASKED, v, m);
            case UDP_DST -> port(Type.UDP_DST, Type.UDP_DST_MASKED, v, m);
            case SCTP_SRC -> port(Type.SCTP_SRC, Type.SCTP_SRC_MASKED, v, m);
            case SCTP_DST -> port(Type.SCTP_DST, Type.SCTP_DST_MASKED, v, m);
            default -> throw new UntranslatableFlowException("the flow model has no match field for OpenFlow's "
                    + field.getName());
        };
    }

    private static VlanId vlan(OFVlanVidMatch value, OFVlanVidMatch mask) {
        if (mask == null) {
            return value.equals(OFVlanVidMatch.UNTAGGED) ? VlanId.NONE : VlanId.vlanId(value.getVlan());
        }
        if (value.equals(OFVlanVidMatch.PRESENT) && mask.equals(OFVlanVidMatch.PRESENT)) {
            return VlanId.ANY;
        }
        throw new UntranslatableFlowException("the flow model matches a VLAN id exactly, untagged or any tag, not "
                + value + "/" + mask);
    }

    private static Criterion mac(Type type, Object value, Object mask) {
        MacAddress mac = MacAddress.valueOf(((org.projectfloodlight.openflow.types.MacAddress) value).getLong());
        if (mask == null) {
            return new EthCriterion(type, mac);
        }
        long m = ((org.projectfloodlight.openflow.types.MacAddress) mask).getLong();
        if (!type.isMaskedForm()) {
            throw new UntranslatableFlowException("the flow model matches " + type + " exactly, not under a mask");
        }
        return new EthCriterion(type, mac, MacAddress.valueOf(m));
    }

    private static Criterion ip4(Type type, Object value, Object mask) {
        int length = 32;
        if (mask != null) {
            IPv4Address m = (IPv4Address) mask;
            if (!m.isCidrMask()) {
                throw new UntranslatableFlowException(type + " under the non-prefix mask " + m + " has no form in the"
                        + " flow model");
            }
            length = m.asCidrMaskLength();
        }
        return new IPCriterion(type, IpPrefix.valueOf(IpAddress.ipv4(((IPv4Address) value).getInt()), length));
    }

    private static Criterion ip6(Type type, Object value, Object mask) {
        int length = 128;
        if (mask != null) {
            IPv6Address m = (IPv6Address) mask;
            if (!m.isCidrMask()) {
                throw new UntranslatableFlowException(type + " under the non-prefix mask " + m + " has no form in the"
                        + " flow model");
            }
            length = m.asCidrMaskLength();
        }
        ByteBuffer bytes = ByteBuffer.wrap(((IPv6Address) value).getBytes());
        return new IPCriterion(type, IpPrefix.valueOf(IpAddress.ipv6(bytes.getLong(), bytes.getLong()), length));
    }

    private static Criterion port(Type exact, Type masked, Object value, Object mask) {
        int port = ((TransportPort) value).getPort();
        return mask == null ? new TransportPortCriterion(exact, port)
                : new TransportPortCriterion(masked, port, ((TransportPort) mask).getPort());
    }

    private static org.projectfloodlight.openflow.types.MacAddress mac(MacAddress mac) {
        return org.projectfloodlight.openflow.types.MacAddress.of(mac.toLong());
    }

    private static UntranslatableFlowException unsupported(Type type) {
        return new UntranslatableFlowException("OpenFlow 1.3 has no field for " + type);
    }
}
