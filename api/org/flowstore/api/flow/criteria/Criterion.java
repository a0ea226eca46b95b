package org.flowstore.api.flow.criteria;

import com.google.common.hash.PrimitiveSink;

/**
 * One match field of a traffic selector. Immutable; equal when type and value are equal.
 * The set of kinds is closed: every kind crosses the wire and has a JSON form.
 */
public sealed interface Criterion
        permits PortCriterion, EthCriterion, EthTypeCriterion, VlanIdCriterion, IPProtocolCriterion,
                IPCriterion, TransportPortCriterion, FieldCriterion, OpticalCriterion, PiCriterion, ExtensionCriterion {

    /**
     * Kind of header field matched: every OpenFlow 1.3 OXM field, the masked forms ONOS names
     * apart, TCP flags, and ONOS's own kinds (inner VLAN, optical signals, protocol-independent and
     * extension matches). Each carries its OpenFlow OXM field number
     * (TCP_FLAGS OpenFlow 1.5's, 42; ONOS's own kinds numbers from 200), which orders the
     * criteria of a selector, and, for fields held as a number ({@link FieldCriterion}), its
     * width in bits and whether OpenFlow lets it be masked.
     *
     * <p>Constants are written on the wire by their position: new ones are only ever appended.
     */
    enum Type {
        /** Ingress port. */
        IN_PORT(0),
        /** Ethernet destination address. */
        ETH_DST(3),
        /** Ethernet source address. */
        ETH_SRC(4),
        /** Ethernet frame type. */
        ETH_TYPE(5),
        /** VLAN id. */
        VLAN_VID(6),
        /** IP protocol number. */
        IP_PROTO(10),
        /** IPv4 source prefix. */
        IPV4_SRC(11),
        /** IPv4 destination prefix. */
        IPV4_DST(12),
        /** TCP source port. */
        TCP_SRC(13),
        /** TCP destination port. */
        TCP_DST(14),
        /** UDP source port. */
        UDP_SRC(15),
        /** UDP destination port. */
        UDP_DST(16),
        /** IPv6 source prefix. */
        IPV6_SRC(26),
        /** IPv6 destination prefix. */
        IPV6_DST(27),
        /** Physical ingress port (32 bits). */
        IN_PHY_PORT(1, 32, false),
        /** Metadata passed between tables (64 bits, maskable). */
        METADATA(2, 64, true),
        /** Ethernet destination address under a mask. */
        ETH_DST_MASKED(3, Shape.MASKED),
        /** Ethernet source address under a mask. */
        ETH_SRC_MASKED(4, Shape.MASKED),
        /** VLAN priority (3 bits). */
        VLAN_PCP(7, 3, false),
        /** IP DSCP (6 bits of the ToS field). */
        IP_DSCP(8, 6, false),
        /** IP ECN (2 bits of the ToS field). */
        IP_ECN(9, 2, false),
        /** TCP source port under a mask. */
        TCP_SRC_MASKED(13, Shape.MASKED),
        /** TCP destination port under a mask. */
        TCP_DST_MASKED(14, Shape.MASKED),
        /** UDP source port under a mask. */
        UDP_SRC_MASKED(15, Shape.MASKED),
        /** UDP destination port under a mask. */
        UDP_DST_MASKED(16, Shape.MASKED),
        /** SCTP source port. */
        SCTP_SRC(17),
        /** SCTP destination port. */
        SCTP_DST(18),
        /** SCTP source port under a mask. */
        SCTP_SRC_MASKED(17, Shape.MASKED),
        /** SCTP destination port under a mask. */
        SCTP_DST_MASKED(18, Shape.MASKED),
        /** ICMPv4 type (8 bits). */
        ICMPV4_TYPE(19, 8, false),
        /** ICMPv4 code (8 bits). */
        ICMPV4_CODE(20, 8, false),
        /** ARP opcode (16 bits). */
        ARP_OP(21, 16, false),
        /** ARP source IPv4 address, as a prefix (the mask OpenFlow allows). */
        ARP_SPA(22),
        /** ARP target IPv4 address, as a prefix (the mask OpenFlow allows). */
        ARP_TPA(23),
        /** ARP source hardware address. */
        ARP_SHA(24),
        /** ARP target hardware address. */
        ARP_THA(25),
        /** IPv6 flow label (20 bits, maskable). */
        IPV6_FLABEL(28, 20, true),
        /** ICMPv6 type (8 bits). */
        ICMPV6_TYPE(29, 8, false),
        /** ICMPv6 code (8 bits). */
        ICMPV6_CODE(30, 8, false),
        /** Target address of an IPv6 neighbour discovery message. */
        IPV6_ND_TARGET(31),
        /** Source link-layer address of an IPv6 neighbour discovery message. */
        IPV6_ND_SLL(32),
        /** Target link-layer address of an IPv6 neighbour discovery message. */
        IPV6_ND_TLL(33),
        /** MPLS label (20 bits). */
        MPLS_LABEL(34, 20, false),
        /** MPLS traffic class (3 bits). */
        MPLS_TC(35, 3, false),
        /** MPLS bottom-of-stack bit (1 bit). */
        MPLS_BOS(36, 1, false),
        /** PBB I-SID (24 bits, maskable). */
        PBB_ISID(37, 24, true),
        /** Logical port metadata, such as a tunnel id (64 bits, maskable). */
        TUNNEL_ID(38, 64, true),
        /** IPv6 extension header pseudo-field (9 bits, maskable). */
        IPV6_EXTHDR(39, 9, true),
        /** TCP flags (12 bits, maskable; an OpenFlow 1.5 field ONOS supports). */
        TCP_FLAGS(42, 12, true),
        /** Inner (customer) VLAN id of a QinQ frame (12 bits; ONOS). */
        INNER_VLAN_VID(200, 12, false),
        /** Inner (customer) VLAN priority of a QinQ frame (3 bits; ONOS). */
        INNER_VLAN_PCP(201, 3, false),
        /** Optical channel signal (ONOS). */
        OCH_SIGID(210),
        /** Optical channel signal grid type (ONOS). */
        OCH_SIGTYPE(211),
        /** ODU signal (ONOS). */
        ODU_SIGID(212),
        /** ODU signal type (ONOS). */
        ODU_SIGTYPE(213),
        /** Protocol-independent (P4) match (ONOS). */
        PROTOCOL_INDEPENDENT(220),
        /** Device-specific match carried as bytes (ONOS). */
        EXTENSION(230);

        /** How a kind's value is held, beyond its own class. */
        private enum Shape {
            /** Held by its own class, exactly. */
            PLAIN,
            /** The masked form of a field ONOS names apart. */
            MASKED,
            /** A number of {@code bits} bits ({@link FieldCriterion}). */
            NUMBER
        }

        private final int oxmField;
        private final Shape shape;
        private final int bits;
        private final boolean maskable;

        Type(int oxmField) {
            this(oxmField, Shape.PLAIN);
        }

        Type(int oxmField, Shape shape) {
            this.oxmField = oxmField;
            this.shape = shape;
            this.bits = 0;
            this.maskable = false;
        }

        Type(int oxmField, int bits, boolean maskable) {
            this.oxmField = oxmField;
            this.shape = Shape.NUMBER;
            this.bits = bits;
            this.maskable = maskable;
        }

        /** Returns the OpenFlow OXM field number of this type (200 and up for ONOS's own kinds). */
        public int oxmField() {
            return oxmField;
        }

        /** Returns true for the masked form of a field that ONOS names apart (ETH_DST_MASKED, TCP_SRC_MASKED, ...). */
        public boolean isMaskedForm() {
            return shape == Shape.MASKED;
        }

        /** Returns true for a field held as a number by a {@link FieldCriterion}. */
        public boolean isNumber() {
            return shape == Shape.NUMBER;
        }

        /** Returns the width in bits of a number field; 0 for the other kinds. */
        public int bits() {
            return bits;
        }

        /** Returns true for a number field OpenFlow lets a rule match under a mask. */
        public boolean isMaskable() {
            return maskable;
        }

        /**
         * Returns the number that opens this kind's canonical encoding: the OXM field number,
         * with 0x80 added for a masked form so it never encodes like the exact one.
         */
        int code() {
            return shape == Shape.MASKED ? 0x80 | oxmField : oxmField;
        }
    }

    /** Returns the kind of header field this criterion matches. */
    Type type();

    /**
     * Writes a canonical, platform-independent encoding of this criterion (its OXM field number
     * and value) into a hash sink. Flow ids and table digests are built from it, so it is the
     * same on every node and across restarts.
     *
     * @param sink where the bytes go
     */
    void funnel(PrimitiveSink sink);
}
