package org.flowstore.api.flow.instructions;

/** Modification of an L2 header field; {@link #subtype()} says which. */
public sealed interface L2ModificationInstruction extends Instruction
        permits ModEtherInstruction, ModVlanIdInstruction, ModVlanPcpInstruction, ModVlanHeaderInstruction,
                ModL2FieldInstruction, ModHeaderInstruction, ModMplsTtlInstruction {

    /** L2 field modified. The order of the constants is part of the wire format: append only. */
    enum L2SubType {
        /** Ethernet source address. */
        ETH_SRC,
        /** Ethernet destination address. */
        ETH_DST,
        /** VLAN id. */
        VLAN_ID,
        /** VLAN priority code point. */
        VLAN_PCP,
        /** Push a VLAN header. */
        VLAN_PUSH,
        /** Pop the outer VLAN header. */
        VLAN_POP,
        /** Set the MPLS label (20 bits). */
        MPLS_LABEL(20),
        /** Push an MPLS header. */
        MPLS_PUSH,
        /** Pop the outer MPLS header. */
        MPLS_POP,
        /** Decrement the MPLS TTL. */
        DEC_MPLS_TTL,
        /** Set the tunnel id (64 bits). */
        TUNNEL_ID(64),
        /** Set the MPLS bottom-of-stack bit (1 bit). */
        MPLS_BOS(1),
        /** Set the MPLS TTL (8 bits; OpenFlow's set-mpls-ttl). */
        MPLS_TTL(8),
        /** Push a PBB service tag. */
        PBB_PUSH,
        /** Pop the outer PBB service tag. */
        PBB_POP;

        private final int bits;

        L2SubType() {
            this(0);
        }

        L2SubType(int bits) {
            this.bits = bits;
        }

        /** Returns the width in bits of the number this subtype sets ({@link ModL2FieldInstruction}); 0 for the others. */
        public int bits() {
            return bits;
        }
    }

    /** Returns the field modified. */
    L2SubType subtype();

    @Override
    default Type type() {
        return Type.L2MODIFICATION;
    }
}
