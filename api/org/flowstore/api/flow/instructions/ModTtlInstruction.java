package org.flowstore.api.flow.instructions;

import com.google.common.hash.PrimitiveSink;

/** Decrement the IP TTL (hop limit). */
public record ModTtlInstruction() implements L3ModificationInstruction {

    @Override
    public L3SubType subtype() {
        return L3SubType.DEC_TTL;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(L3SubType.DEC_TTL.ordinal());
    }

    @Override
    public String toString() {
        return "DEC_TTL";
    }
}
