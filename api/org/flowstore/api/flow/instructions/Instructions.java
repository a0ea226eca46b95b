package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;

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

    /** Checks that an unsigned value fits a field of {@code bits} bits, naming the field. */
    static void checkFits(Enum<?> field, int bits, long value) {
        checkArgument(bits >= 64 || (value >>> bits) == 0, "%s is %s bits: 0..%s, was %s", field, bits,
                (1L << Math.min(bits, 63)) - 1, Long.toUnsignedString(value));
    }

    /** Formats a field's value as ONOS prints it: in hex for a 64-bit field, in decimal otherwise. */
    static String format(int bits, long value) {
        return bits >= 64 ? "0x" + Long.toHexString(value) : Long.toString(value);
    }
}
