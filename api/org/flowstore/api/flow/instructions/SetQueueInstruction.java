package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

/**
 * Enqueue the packet on a queue of the output port.
 *
 * @param queueId the queue id, 0 to 2^32-1
 */
public record SetQueueInstruction(long queueId) implements Instruction {

    /** Checks the id fits in 32 unsigned bits. */
    public SetQueueInstruction {
        checkArgument(queueId >= 0 && queueId <= 0xFFFF_FFFFL, "QUEUE queueId must be 0..2^32-1, was %s", queueId);
    }

    @Override
    public Type type() {
        return Type.QUEUE;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.QUEUE.ordinal()).putLong(queueId);
    }

    @Override
    public String toString() {
        return "QUEUE:" + queueId;
    }
}
