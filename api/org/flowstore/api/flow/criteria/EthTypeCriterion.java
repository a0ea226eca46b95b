package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.hash.PrimitiveSink;

/**
 * Match on the Ethernet frame type.
 *
 * @param ethType the 16-bit frame type, e.g. {@code 0x0800} for IPv4
 */
public record EthTypeCriterion(int ethType) implements Criterion {

    /** Checks the value fits in 16 bits. */
    public EthTypeCriterion {
        checkArgument(ethType >= 0 && ethType <= 0xFFFF, "ETH_TYPE must be 0..0xFFFF, was %s", ethType);
    }

    @Override
    public Type type() {
        return Type.ETH_TYPE;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.ETH_TYPE.oxmField()).putInt(ethType);
    }

    @Override
    public String toString() {
        return String.format("ETH_TYPE:0x%04x", ethType);
    }
}
