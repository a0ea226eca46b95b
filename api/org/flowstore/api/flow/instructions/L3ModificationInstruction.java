package org.flowstore.api.flow.instructions;

/** Modification of an L3 header field; {@link #subtype()} says which. */
public sealed interface L3ModificationInstruction extends Instruction
        permits ModIPInstruction, ModTtlInstruction {

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
        DEC_TTL
    }

    /** Returns the field modified. */
    L3SubType subtype();

    @Override
    default Type type() {
        return Type.L3MODIFICATION;
    }
}
