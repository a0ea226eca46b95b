package org.flowstore.api.flow.instructions;

import com.google.common.hash.PrimitiveSink;

/** Decrement the MPLS TTL (DEC_MPLS_TTL). */
public record ModMplsTtlInstruction() implements L2ModificationInstruction {

    @Override
    public L2SubType subtype() {
        return L2SubType.DEC_MPLS_TTL;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(L2SubType.DEC_MPLS_TTL.ordinal());
    }

    @Override
    public String toString() {
        return "DEC_MPLS_TTL";
    }
}
