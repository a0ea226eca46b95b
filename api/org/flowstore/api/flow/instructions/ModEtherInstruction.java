package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.MacAddress;

/**
 * Set the Ethernet source or destination address.
 *
 * @param subtype ETH_SRC or ETH_DST
 * @param mac the new address
 */
public record ModEtherInstruction(L2SubType subtype, MacAddress mac) implements L2ModificationInstruction {

    /** Checks the subtype is an address field and the address is present. */
    public ModEtherInstruction {
        requireNonNull(subtype, "subtype");
        checkArgument(subtype == L2SubType.ETH_SRC || subtype == L2SubType.ETH_DST,
                "ModEtherInstruction needs ETH_SRC or ETH_DST, not %s", subtype);
        requireNonNull(mac, subtype + " mac");
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putLong(mac.toLong());
    }

    @Override
    public String toString() {
        return subtype + ":" + mac;
    }
}
