package org.flowstore.api.flow.instructions;

import com.google.common.hash.PrimitiveSink;

/**
 * Drop the packet: an explicit empty action list (ONOS's NOACTION, shown as DROP).
 */
public record NoActionInstruction() implements Instruction {

    @Override
    public Type type() {
        return Type.NOACTION;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.NOACTION.ordinal());
    }

    @Override
    public String toString() {
        return "NOACTION";
    }
}
