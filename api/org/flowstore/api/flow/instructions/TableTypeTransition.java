package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

/**
 * Continue processing in another flow table.
 *
 * @param tableId the table, 0 to 254
 */
public record TableTypeTransition(int tableId) implements Instruction {

    /** Checks the table id. */
    public TableTypeTransition {
        checkArgument(tableId >= 0 && tableId <= 254, "TABLE tableId must be 0..254, was %s", tableId);
    }

    @Override
    public Type type() {
        return Type.TABLE;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.TABLE.ordinal()).putInt(tableId);
    }

    @Override
    public String toString() {
        return "TABLE:" + tableId;
    }
}
