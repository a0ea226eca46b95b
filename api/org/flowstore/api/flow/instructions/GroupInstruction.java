package org.flowstore.api.flow.instructions;

import com.google.common.hash.PrimitiveSink;

/**
 * Apply a group.
 *
 * @param groupId the group id (unsigned 32 bits, held in an int)
 */
public record GroupInstruction(int groupId) implements Instruction {

    @Override
    public Type type() {
        return Type.GROUP;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.GROUP.ordinal()).putInt(groupId);
    }

    @Override
    public String toString() {
        return "GROUP:" + Integer.toUnsignedString(groupId);
    }
}
