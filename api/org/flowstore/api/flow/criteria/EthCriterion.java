package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.MacAddress;

/**
 * Match on the Ethernet source or destination address.
 *
 * @param type {@link Criterion.Type#ETH_SRC} or {@link Criterion.Type#ETH_DST}
 * @param mac the address
 */
public record EthCriterion(Type type, MacAddress mac) implements Criterion {

    /** Checks the type is an Ethernet address type and the address is present. */
    public EthCriterion {
        requireNonNull(type, "type");
        checkArgument(type == Type.ETH_SRC || type == Type.ETH_DST, "EthCriterion needs ETH_SRC or ETH_DST, not %s", type);
        requireNonNull(mac, type + " mac");
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.oxmField()).putLong(mac.toLong());
    }

    @Override
    public String toString() {
        return type + ":" + mac;
    }
}
