package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Set a TCP, UDP or SCTP source or destination port.
 *
 * @param subtype TCP_SRC, TCP_DST, UDP_SRC, UDP_DST, SCTP_SRC or SCTP_DST
 * @param port 0 to 65535
 */
public record ModTransportPortInstruction(L4SubType subtype, int port) implements L4ModificationInstruction {

    /** Checks the subtype is present and the port fits in 16 bits. */
    public ModTransportPortInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(port >= 0 && port <= 0xFFFF, "%s port must be 0..65535, was %s", subtype, port);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putInt(port);
    }

    @Override
    public String toString() {
        return subtype + ":" + port;
    }
}
