package org.flowstore.api.flow.instructions;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.PortNumber;

/**
 * Send the packet out of a port (including logical ports such as CONTROLLER).
 *
 * @param port the output port
 */
public record OutputInstruction(PortNumber port) implements Instruction {

    /** Checks the port is present. */
    public OutputInstruction {
        requireNonNull(port, "OUTPUT port");
    }

    @Override
    public Type type() {
        return Type.OUTPUT;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.OUTPUT.ordinal()).putLong(port.toLong());
    }

    @Override
    public String toString() {
        return "OUTPUT:" + port;
    }
}
