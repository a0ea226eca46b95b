package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.PortNumber;

/**
 * Enqueue the packet on a queue: of the output port, or of the port given (as ONOS allows).
 *
 * @param queueId the queue id, 0 to 2^32-1
 * @param port the port whose queue it is, or null for the output port's
 */
public record SetQueueInstruction(long queueId, PortNumber port) implements Instruction {

    /** Checks the id fits in 32 unsigned bits. */
    public SetQueueInstruction {
        checkArgument(queueId >= 0 && queueId <= 0xFFFF_FFFFL, "QUEUE queueId must be 0..2^32-1, was %s", queueId);
    }

    /**
     * Creates an enqueue on a queue of the output port.
     *
     * @param queueId the queue id
     */
    public SetQueueInstruction(long queueId) {
        this(queueId, null);
    }

    @Override
    public Type type() {
        return Type.QUEUE;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.QUEUE.ordinal()).putLong(queueId);
        if (port != null) {
            sink.putLong(port.toLong());
        }
    }

    @Override
    public String toString() {
        return "QUEUE:" + queueId + (port == null ? "" : "/" + port);
    }
}
