package org.flowstore.api.flow.instructions;

/** Modification of an L2 header field; {@link #subtype()} says which. */
public sealed interface L2ModificationInstruction extends Instruction
        permits ModEtherInstruction, ModVlanIdInstruction, ModVlanPcpInstruction, ModVlanHeaderInstruction {

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
        VLAN_POP
    }

    /** Returns the field modified. */
    L2SubType subtype();

    @Override
    default Type type() {
        return Type.L2MODIFICATION;
    }
}
