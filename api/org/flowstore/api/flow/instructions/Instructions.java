package org.flowstore.api.flow.instructions;

import org.flowstore.api.PortNumber;

/**
 * Factory of instructions. Output to ports below 1024 and the drop instruction are cached.
 */
public final class Instructions {

    private static final OutputInstruction[] OUTPUTS = new OutputInstruction[1024];
    private static final NoActionInstruction DROP = new NoActionInstruction();

    static {
        for (int i = 0; i < OUTPUTS.length; i++) {
            OUTPUTS[i] = new OutputInstruction(PortNumber.portNumber(i));
        }
    }

    private Instructions() {
    }

    /**
     * Output to a port.
     *
     * @param port the port
     * @return the instruction
     */
    public static OutputInstruction createOutput(PortNumber port) {
        long n = port.toLong();
        return n < OUTPUTS.length ? OUTPUTS[(int) n] : new OutputInstruction(port);
    }

    /** Returns the drop (no action) instruction. */
    public static NoActionInstruction createNoAction() {
        return DROP;
    }
}
