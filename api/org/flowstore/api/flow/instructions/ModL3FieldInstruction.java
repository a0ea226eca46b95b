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
        checkArgument(subtype.bits() >= 64 || (value >>> subtype.bits()) == 0, "%s is %s bits: 0..%s, was %s", subtype,
                subtype.bits(), (1L << Math.min(subtype.bits(), 63)) - 1, Long.toUnsignedString(value));
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putLong(value);
    }

    @Override
    public String toString() {
        return subtype + ":" + (subtype.bits() >= 64 ? "0x" + Long.toHexString(value) : Long.toString(value));
    }
}
