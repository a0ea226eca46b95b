package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Push or pop an MPLS header or a PBB service tag. The Ethernet type is the pushed header's (say,
 * 0x8847 for MPLS unicast) or, for a pop, the type of what the popped header carried (say, 0x0800).
 *
 * @param subtype MPLS_PUSH, MPLS_POP, PBB_PUSH or PBB_POP
 * @param ethernetType 0 to 0xFFFF
 */
public record ModHeaderInstruction(L2SubType subtype, int ethernetType) implements L2ModificationInstruction {

    /** Ethernet type of MPLS unicast, the usual pushed one. */
    public static final int MPLS_UNICAST = 0x8847;
    /** Ethernet type of a PBB service tag. */
    public static final int PBB = 0x88E7;

    /** Checks the subtype is an MPLS or PBB header operation and the type fits in 16 bits. */
    public ModHeaderInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(subtype == L2SubType.MPLS_PUSH || subtype == L2SubType.MPLS_POP || subtype == L2SubType.PBB_PUSH
                || subtype == L2SubType.PBB_POP, "ModHeaderInstruction needs MPLS_PUSH, MPLS_POP, PBB_PUSH or PBB_POP,"
                + " not %s", subtype);
        checkArgument(ethernetType >= 0 && ethernetType <= 0xFFFF, "%s ethernetType must be 0..0xFFFF, was %s", subtype,
                ethernetType);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putInt(ethernetType);
    }

    @Override
    public String toString() {
        return String.format("%s:0x%04x", subtype, ethernetType);
    }
}
