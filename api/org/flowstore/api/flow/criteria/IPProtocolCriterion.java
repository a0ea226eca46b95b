package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

/**
 * Match on the IP protocol number.
 *
 * @param protocol 0 to 255, e.g. 6 for TCP, 17 for UDP
 */
public record IPProtocolCriterion(int protocol) implements Criterion {

    /** Checks the protocol fits in 8 bits. */
    public IPProtocolCriterion {
        checkArgument(protocol >= 0 && protocol <= 0xFF, "IP_PROTO must be 0..255, was %s", protocol);
    }

    @Override
    public Type type() {
        return Type.IP_PROTO;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.IP_PROTO.oxmField()).putInt(protocol);
    }

    @Override
    public String toString() {
        return "IP_PROTO:" + protocol;
    }
}
