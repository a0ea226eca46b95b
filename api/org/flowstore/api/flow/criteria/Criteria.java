package org.flowstore.api.flow.criteria;

import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;

/**
 * Factory of criteria. The values that millions of rules share (ingress ports below 1024, the
 * common frame types, every IP protocol) come from caches, so a large table holds one criterion
 * object per distinct value instead of one per rule.
 */
public final class Criteria {

    /** Frame type of IPv4. */
    public static final int ETH_TYPE_IPV4 = 0x0800;
    /** Frame type of ARP. */
    public static final int ETH_TYPE_ARP = 0x0806;
    /** Frame type of 802.1Q VLAN tags. */
    public static final int ETH_TYPE_VLAN = 0x8100;
    /** Frame type of IPv6. */
    public static final int ETH_TYPE_IPV6 = 0x86DD;
    /** Frame type of LLDP. */
    public static final int ETH_TYPE_LLDP = 0x88CC;
    /** Frame type of BDDP (ONOS link discovery). */
    public static final int ETH_TYPE_BDDP = 0x8942;

    private static final PortCriterion[] IN_PORTS = new PortCriterion[1024];
    private static final IPProtocolCriterion[] IP_PROTOCOLS = new IPProtocolCriterion[256];
    private static final EthTypeCriterion IPV4 = new EthTypeCriterion(ETH_TYPE_IPV4);
    private static final EthTypeCriterion ARP = new EthTypeCriterion(ETH_TYPE_ARP);
    private static final EthTypeCriterion VLAN = new EthTypeCriterion(ETH_TYPE_VLAN);
    private static final EthTypeCriterion IPV6 = new EthTypeCriterion(ETH_TYPE_IPV6);
    private static final EthTypeCriterion LLDP = new EthTypeCriterion(ETH_TYPE_LLDP);
    private static final EthTypeCriterion BDDP = new EthTypeCriterion(ETH_TYPE_BDDP);

    static {
        for (int i = 0; i < IN_PORTS.length; i++) {
            IN_PORTS[i] = new PortCriterion(PortNumber.portNumber(i));
        }
        for (int i = 0; i < IP_PROTOCOLS.length; i++) {
            IP_PROTOCOLS[i] = new IPProtocolCriterion(i);
        }
    }

    private Criteria() {
    }

    /**
     * Matches the ingress port.
     *
     * @param port the port
     * @return the criterion
     */
    public static PortCriterion matchInPort(PortNumber port) {
        long n = port.toLong();
        return n < IN_PORTS.length ? IN_PORTS[(int) n] : new PortCriterion(port);
    }

    /**
     * Matches the Ethernet source address.
     *
     * @param mac the address
     * @return the criterion
     */
    public static EthCriterion matchEthSrc(MacAddress mac) {
        return new EthCriterion(Criterion.Type.ETH_SRC, mac);
    }

    /**
     * Matches the Ethernet destination address.
     *
     * @param mac the address
     * @return the criterion
     */
    public static EthCriterion matchEthDst(MacAddress mac) {
        return new EthCriterion(Criterion.Type.ETH_DST, mac);
    }

    /**
     * Matches the Ethernet frame type.
     *
     * @param ethType 0 to 0xFFFF
     * @return the criterion
     */
    public static EthTypeCriterion matchEthType(int ethType) {
        return switch (ethType) {
            case ETH_TYPE_IPV4 -> IPV4;
            case ETH_TYPE_ARP -> ARP;
            case ETH_TYPE_VLAN -> VLAN;
            case ETH_TYPE_IPV6 -> IPV6;
            case ETH_TYPE_LLDP -> LLDP;
            case ETH_TYPE_BDDP -> BDDP;
            default -> new EthTypeCriterion(ethType);
        };
    }

    /**
     * Matches the VLAN id.
     *
     * @param vlanId the VLAN id
     * @return the criterion
     */
    public static VlanIdCriterion matchVlanId(VlanId vlanId) {
        return new VlanIdCriterion(vlanId);
    }

    /**
     * Matches the IP protocol.
     *
     * @param protocol 0 to 255
     * @return the criterion
     */
    public static IPProtocolCriterion matchIPProtocol(int protocol) {
        return protocol >= 0 && protocol < IP_PROTOCOLS.length ? IP_PROTOCOLS[protocol] : new IPProtocolCriterion(protocol);
    }

    /**
     * Matches the IPv4 source prefix.
     *
     * @param prefix an IPv4 prefix
     * @return the criterion
     */
    public static IPCriterion matchIPSrc(IpPrefix prefix) {
        return new IPCriterion(Criterion.Type.IPV4_SRC, prefix);
    }

    /**
     * Matches the IPv4 destination prefix.
     *
     * @param prefix an IPv4 prefix
     * @return the criterion
     */
    public static IPCriterion matchIPDst(IpPrefix prefix) {
        return new IPCriterion(Criterion.Type.IPV4_DST, prefix);
    }

    /**
     * Matches the IPv6 source prefix.
     *
     * @param prefix an IPv6 prefix
     * @return the criterion
     */
    public static IPCriterion matchIPv6Src(IpPrefix prefix) {
        return new IPCriterion(Criterion.Type.IPV6_SRC, prefix);
    }

    /**
     * Matches the IPv6 destination prefix.
     *
     * @param prefix an IPv6 prefix
     * @return the criterion
     */
    public static IPCriterion matchIPv6Dst(IpPrefix prefix) {
        return new IPCriterion(Criterion.Type.IPV6_DST, prefix);
    }

    /**
     * Matches a TCP or UDP port.
     *
     * @param type TCP_SRC, TCP_DST, UDP_SRC or UDP_DST
     * @param port 0 to 65535
     * @return the criterion
     */
    public static TransportPortCriterion matchTransportPort(Criterion.Type type, int port) {
        return new TransportPortCriterion(type, port);
    }

    /**
     * Returns a match on the Ethernet source address under a mask.
     *
     * @param mac the address
     * @param mask the bits that must match
     * @return the criterion
     */
    public static EthCriterion matchEthSrcMasked(MacAddress mac, MacAddress mask) {
        return new EthCriterion(Criterion.Type.ETH_SRC_MASKED, mac, mask);
    }

    /**
     * Returns a match on the Ethernet destination address under a mask.
     *
     * @param mac the address
     * @param mask the bits that must match
     * @return the criterion
     */
    public static EthCriterion matchEthDstMasked(MacAddress mac, MacAddress mask) {
        return new EthCriterion(Criterion.Type.ETH_DST_MASKED, mac, mask);
    }

    /**
     * Returns a match on a hardware address field: ARP_SHA, ARP_THA, IPV6_ND_SLL or IPV6_ND_TLL
     * (or ETH_SRC / ETH_DST).
     *
     * @param type the field
     * @param mac the address
     * @return the criterion
     */
    public static EthCriterion matchMac(Criterion.Type type, MacAddress mac) {
        return new EthCriterion(type, mac);
    }

    /**
     * Returns a match on an IP address field under a prefix: ARP_SPA, ARP_TPA, IPV6_ND_TARGET
     * (a /128) or the IPv4/IPv6 source and destination.
     *
     * @param type the field
     * @param prefix the prefix
     * @return the criterion
     */
    public static IPCriterion matchIp(Criterion.Type type, IpPrefix prefix) {
        return new IPCriterion(type, prefix);
    }

    /**
     * Returns a match on a transport port under a mask.
     *
     * @param type a _MASKED transport port type
     * @param port the port
     * @param mask the bits that must match
     * @return the criterion
     */
    public static TransportPortCriterion matchTransportPort(Criterion.Type type, int port, int mask) {
        return new TransportPortCriterion(type, port, mask);
    }

    /**
     * Returns an exact match on a field held as a number (VLAN_PCP, IP_DSCP, IP_ECN, ICMP types
     * and codes, ARP_OP, MPLS_LABEL/TC/BOS, PBB_ISID, TUNNEL_ID, METADATA, IPV6_FLABEL,
     * IPV6_EXTHDR, TCP_FLAGS, IN_PHY_PORT, INNER_VLAN_VID/PCP).
     *
     * @param type the field
     * @param value the value, within the field's width
     * @return the criterion
     * @throws IllegalArgumentException naming the field when the value does not fit it
     */
    public static FieldCriterion matchField(Criterion.Type type, long value) {
        return new FieldCriterion(type, value);
    }

    /**
     * Returns a match on a maskable number field under a mask.
     *
     * @param type the field (METADATA, IPV6_FLABEL, PBB_ISID, TUNNEL_ID, IPV6_EXTHDR, TCP_FLAGS)
     * @param value the value, within the field's width
     * @param mask the bits that must match
     * @return the criterion
     */
    public static FieldCriterion matchField(Criterion.Type type, long value, long mask) {
        return new FieldCriterion(type, value, mask);
    }
}
