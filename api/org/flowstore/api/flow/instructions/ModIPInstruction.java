package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.IpAddress;

/**
 * Set an IPv4 or IPv6 source or destination address, or the ARP source protocol address.
 *
 * @param subtype IPV4_SRC, IPV4_DST, IPV6_SRC, IPV6_DST or ARP_SPA
 * @param ip the new address, of the family the subtype names
 */
public record ModIPInstruction(L3SubType subtype, IpAddress ip) implements L3ModificationInstruction {

    /** Checks the subtype is an address field of the address's family. */
    public ModIPInstruction {
        requireNonNull(subtype, "subtype");
        requireNonNull(ip, subtype + " ip");
        boolean v4 = subtype == L3SubType.IPV4_SRC || subtype == L3SubType.IPV4_DST || subtype == L3SubType.ARP_SPA;
        boolean v6 = subtype == L3SubType.IPV6_SRC || subtype == L3SubType.IPV6_DST;
        checkArgument(v4 || v6, "ModIPInstruction needs an address subtype (IPV4_/IPV6_ SRC or DST, ARP_SPA), not %s",
                subtype);
        checkArgument(v4 == ip.isIp4(), "%s needs an %s address, was %s", subtype, v4 ? "IPv4" : "IPv6", ip);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(subtype.ordinal()).putLong(ip.high()).putLong(ip.low());
    }

    @Override
    public String toString() {
        return subtype + ":" + ip;
    }
}
