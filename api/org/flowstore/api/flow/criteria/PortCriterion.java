package org.flowstore.api.flow.criteria;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.PortNumber;

/**
 * Match on the ingress port.
 *
 * @param port the ingress port
 */
public record PortCriterion(PortNumber port) implements Criterion {

    /** Checks the port is present. */
    public PortCriterion {
        requireNonNull(port, "IN_PORT port");
    }

    @Override
    public Type type() {
        return Type.IN_PORT;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.IN_PORT.oxmField()).putLong(port.toLong());
    }

    @Override
    public String toString() {
        return "IN_PORT:" + port;
    }
}
