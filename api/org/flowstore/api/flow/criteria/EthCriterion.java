package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.MacAddress;

/**
 * Match on a hardware address: Ethernet source or destination (exactly, or under a mask as
 * ETH_SRC_MASKED / ETH_DST_MASKED), ARP source or target hardware address, or an IPv6 neighbour
 * discovery link-layer address.
 *
 * @param type ETH_SRC, ETH_DST, ETH_SRC_MASKED, ETH_DST_MASKED, ARP_SHA, ARP_THA, IPV6_ND_SLL or IPV6_ND_TLL
 * @param mac the address
 * @param mask the bits that must match: present exactly for the masked forms, null otherwise
 */
public record EthCriterion(Type type, MacAddress mac, MacAddress mask) implements Criterion {

    private static final Set<Type> TYPES = EnumSet.of(Type.ETH_SRC, Type.ETH_DST, Type.ETH_SRC_MASKED,
            Type.ETH_DST_MASKED, Type.ARP_SHA, Type.ARP_THA, Type.IPV6_ND_SLL, Type.IPV6_ND_TLL);

    /** Checks the type is a hardware address type and a mask is given exactly for a masked form. */
    public EthCriterion {
        requireNonNull(type, "type");
        checkArgument(TYPES.contains(type), "EthCriterion needs one of %s, not %s", TYPES, type);
        requireNonNull(mac, type + " mac");
        checkArgument(type.isMaskedForm() == (mask != null), type.isMaskedForm() ? "%s needs a mask"
                : "%s takes no mask (use the _MASKED form)", type);
    }

    /**
     * Creates an exact match.
     *
     * @param type an exact hardware address type
     * @param mac the address
     */
    public EthCriterion(Type type, MacAddress mac) {
        this(type, mac, null);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.code()).putLong(mac.toLong());
        if (mask != null) {
            sink.putLong(mask.toLong());
        }
    }

    @Override
    public String toString() {
        return type + ":" + mac + (mask == null ? "" : "/" + mask);
    }
}
