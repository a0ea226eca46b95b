package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Set an L3 field held as a number of {@link L3SubType#bits()} bits: the IPv6 flow label, the ARP
 * opcode, the IP DSCP or the IP TTL.
 *
 * @param subtype IPV6_FLABEL, ARP_OP, IP_DSCP or IP_TTL
 * @param value the new value, unsigned, within the field's width
 */
public record ModL3FieldInstruction(L3SubType subtype, long value) implements L3ModificationInstruction {

    /** Checks the subtype sets a number and the value fits its width. */
    public ModL3FieldInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(subtype.bits() > 0, "ModL3FieldInstruction needs IPV6_FLABEL, ARP_OP, IP_DSCP or IP_TTL, not %s",
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
