package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * An IP TTL operation without a value: decrement it (DEC_TTL), or copy it outwards (TTL_OUT) or
 * inwards (TTL_IN) between the outermost headers.
 *
 * @param subtype DEC_TTL, TTL_OUT or TTL_IN
 */
public record ModTtlInstruction(L3SubType subtype) implements L3ModificationInstruction {

    /** Checks the subtype is a TTL operation. */
    public ModTtlInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(subtype == L3SubType.DEC_TTL || subtype == L3SubType.TTL_OUT || subtype == L3SubType.TTL_IN,
                "ModTtlInstruction needs DEC_TTL, TTL_OUT or TTL_IN, not %s", subtype);
    }

    /** Creates the decrement of the IP TTL (hop limit). */
    public ModTtlInstruction() {
        this(L3SubType.DEC_TTL);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal());
    }

    @Override
    public String toString() {
        return subtype.name();
    }
}
