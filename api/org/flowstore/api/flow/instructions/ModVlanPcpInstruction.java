package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

/**
 * Set the VLAN priority code point.
 *
 * @param pcp 0 to 7
 */
public record ModVlanPcpInstruction(int pcp) implements L2ModificationInstruction {

    /** Checks the priority fits in 3 bits. */
    public ModVlanPcpInstruction {
        checkArgument(pcp >= 0 && pcp <= 7, "VLAN_PCP must be 0..7, was %s", pcp);
    }

    @Override
    public L2SubType subtype() {
        return L2SubType.VLAN_PCP;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(L2SubType.VLAN_PCP.ordinal()).putInt(pcp);
    }

    @Override
    public String toString() {
        return "VLAN_PCP:" + pcp;
    }
}
