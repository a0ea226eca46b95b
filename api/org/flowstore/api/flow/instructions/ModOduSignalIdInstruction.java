package org.flowstore.api.flow.instructions;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.OduSignalId;

/**
 * Set the ODU signal (ONOS's L1 modification, subtype ODU_SIGID).
 *
 * @param oduSignalId the signal
 */
public record ModOduSignalIdInstruction(OduSignalId oduSignalId) implements Instruction {

    /** Checks the signal is present. */
    public ModOduSignalIdInstruction {
        requireNonNull(oduSignalId, "ODU_SIGID oduSignalId");
    }

    @Override
    public Type type() {
        return Type.L1MODIFICATION;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.L1MODIFICATION.ordinal()).putInt(oduSignalId.tributaryPortNumber())
                .putInt(oduSignalId.tributarySlotLength()).putBytes(oduSignalId.tributarySlotBitmap().toByteArray());
    }

    @Override
    public String toString() {
        return "ODU_SIGID:" + oduSignalId;
    }
}
