package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Match on a TCP or UDP source or destination port.
 *
 * @param type TCP_SRC, TCP_DST, UDP_SRC or UDP_DST
 * @param port 0 to 65535
 */
public record TransportPortCriterion(Type type, int port) implements Criterion {

    /** Checks the type is a transport port type and the port fits in 16 bits. */
    public TransportPortCriterion {
        requireNonNull(type, "type");
        checkArgument(type == Type.TCP_SRC || type == Type.TCP_DST || type == Type.UDP_SRC || type == Type.UDP_DST,
                "TransportPortCriterion needs a TCP_/UDP_ SRC or DST type, not %s", type);
        checkArgument(port >= 0 && port <= 0xFFFF, "%s port must be 0..65535, was %s", type, port);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.oxmField()).putInt(port);
    }

    @Override
    public String toString() {
        return type + ":" + port;
    }
}
