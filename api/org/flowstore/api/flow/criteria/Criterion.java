package org.flowstore.api.flow.criteria;

import com.google.common.hash.PrimitiveSink;

/**
 * One match field of a traffic selector. Immutable; equal when type and value are equal.
 * The set of kinds is closed: every kind crosses the wire and has a JSON form.
 */
public sealed interface Criterion
        permits PortCriterion, EthCriterion, EthTypeCriterion, VlanIdCriterion, IPProtocolCriterion,
                IPCriterion, TransportPortCriterion {

    /**
     * Kind of header field matched. Each carries its OpenFlow OXM field number, which orders the
     * criteria of a selector and feeds stable flow ids; it never changes across releases.
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
        IPV6_DST(27);

        private final int oxmField;

        Type(int oxmField) {
            this.oxmField = oxmField;
        }

        /** Returns the OpenFlow OXM field number of this type. */
        public int oxmField() {
            return oxmField;
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
