package org.flowstore.api.flow.instructions;

import com.google.common.hash.PrimitiveSink;

/**
 * Write metadata for the next tables: the bits of {@code mask} take the value's (OpenFlow's
 * write-metadata instruction).
 *
 * @param metadata the value, 64 bits
 * @param mask the bits written, 64 bits
 */
public record WriteMetadataInstruction(long metadata, long mask) implements Instruction {

    @Override
    public Type type() {
        return Type.METADATA;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.METADATA.ordinal()).putLong(metadata).putLong(mask);
    }

    @Override
    public String toString() {
        return "METADATA:0x" + Long.toHexString(metadata) + "/0x" + Long.toHexString(mask);
    }
}
