package org.flowstore.api.flow.instructions;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.OchSignal;

/**
 * Tune to an optical channel signal (ONOS's L0 modification, subtype OCH).
 *
 * @param lambda the signal
 */
public record ModOchSignalInstruction(OchSignal lambda) implements Instruction {

    /** Checks the signal is present. */
    public ModOchSignalInstruction {
        requireNonNull(lambda, "OCH lambda");
    }

    @Override
    public Type type() {
        return Type.L0MODIFICATION;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.L0MODIFICATION.ordinal()).putInt(lambda.gridType().ordinal())
                .putInt(lambda.channelSpacing().ordinal()).putInt(lambda.spacingMultiplier())
                .putInt(lambda.slotGranularity());
    }

    @Override
    public String toString() {
        return "OCH:" + lambda;
    }
}
