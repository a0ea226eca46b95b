package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

/**
 * Apply a meter.
 *
 * @param meterId the meter id, 0 to 2^32-1
 */
public record MeterInstruction(long meterId) implements Instruction {

    /** Checks the id fits in 32 unsigned bits. */
    public MeterInstruction {
        checkArgument(meterId >= 0 && meterId <= 0xFFFF_FFFFL, "METER meterId must be 0..2^32-1, was %s", meterId);
    }

    @Override
    public Type type() {
        return Type.METER;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.METER.ordinal()).putLong(meterId);
    }

    @Override
    public String toString() {
        return "METER:" + meterId;
    }
}
