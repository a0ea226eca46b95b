package org.flowstore.api.flow.instructions;

/** Modification of an L3 header field; {@link #subtype()} says which. */
public sealed interface L3ModificationInstruction extends Instruction
        permits ModIPInstruction, ModTtlInstruction, ModL3FieldInstruction, ModArpEthInstruction {

    /** L3 field modified. The order of the constants is part of the wire format: append only. */
    enum L3SubType {
        /** IPv4 source address. */
        IPV4_SRC,
        /** IPv4 destination address. */
        IPV4_DST,
        /** IPv6 source address. */
        IPV6_SRC,
        /** IPv6 destination address. */
        IPV6_DST,
        /** Decrement the TTL. */
        DEC_TTL,
        /** Set the IPv6 flow label (20 bits). */
        IPV6_FLABEL(20),
        /** Copy the TTL outwards, from the next-to-outermost header to the outermost. */
        TTL_OUT,
        /** Copy the TTL inwards, from the outermost header to the next-to-outermost. */
        TTL_IN,
        /** Set the ARP source protocol (IPv4) address. */
        ARP_SPA,
        /** Set the ARP source hardware address. */
        ARP_SHA,
        /** Set the ARP opcode (16 bits). */
        ARP_OP(16),
        /** Set the IP DSCP (6 bits). */
        IP_DSCP(6),
        /** Set the IP TTL (8 bits; OpenFlow's set-nw-ttl). */
        IP_TTL(8);

        private final int bits;

        L3SubType() {
            this(0);
        }

        L3SubType(int bits) {
            this.bits = bits;
        }

        /** Returns the width in bits of the number this subtype sets ({@link ModL3FieldInstruction}); 0 for the others. */
        public int bits() {
            return bits;
        }
    }

    /** Returns the field modified. */
    L3SubType subtype();

    @Override
    default Type type() {
        return Type.L3MODIFICATION;
    }
}
