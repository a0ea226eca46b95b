package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Set an L2 field held as a number of {@link L2SubType#bits()} bits: the MPLS label, bottom-of-stack
 * bit or TTL, or the tunnel id.
 *
 * @param subtype MPLS_LABEL, MPLS_BOS, MPLS_TTL or TUNNEL_ID
 * @param value the new value, unsigned, within the field's width (any long for the 64-bit tunnel id)
 */
public record ModL2FieldInstruction(L2SubType subtype, long value) implements L2ModificationInstruction {

    /** Checks the subtype sets a number and the value fits its width. */
    public ModL2FieldInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(subtype.bits() > 0, "ModL2FieldInstruction needs MPLS_LABEL, MPLS_BOS, MPLS_TTL or TUNNEL_ID, not %s",
                subtype);
        Instructions.checkFits(subtype, subtype.bits(), value);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putLong(value);
    }

    @Override
    public String toString() {
        return subtype + ":" + Instructions.format(subtype.bits(), value);
    }
}
