package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Push or pop a VLAN header.
 *
 * @param subtype VLAN_PUSH or VLAN_POP
 * @param ethernetType frame type of the pushed tag (e.g. {@code 0x8100}); 0 for VLAN_POP
 */
public record ModVlanHeaderInstruction(L2SubType subtype, int ethernetType) implements L2ModificationInstruction {

    /** Checks the subtype is a header operation and the frame type fits in 16 bits. */
    public ModVlanHeaderInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(subtype == L2SubType.VLAN_PUSH || subtype == L2SubType.VLAN_POP,
                "ModVlanHeaderInstruction needs VLAN_PUSH or VLAN_POP, not %s", subtype);
        checkArgument(ethernetType >= 0 && ethernetType <= 0xFFFF, "%s ethernetType must be 0..0xFFFF", subtype);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putInt(ethernetType);
    }

    @Override
    public String toString() {
        return subtype == L2SubType.VLAN_POP ? "VLAN_POP" : String.format("VLAN_PUSH:0x%04x", ethernetType);
    }
}
