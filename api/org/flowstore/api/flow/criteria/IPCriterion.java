package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.IpPrefix;

/**
 * Match on an IPv4 or IPv6 source or destination prefix.
 *
 * @param type IPV4_SRC, IPV4_DST, IPV6_SRC or IPV6_DST
 * @param ip the prefix, of the family the type names
 */
public record IPCriterion(Type type, IpPrefix ip) implements Criterion {

    /** Checks the type is an IP type and the prefix family matches it. */
    public IPCriterion {
        requireNonNull(type, "type");
        requireNonNull(ip, type + " ip");
        boolean v4 = type == Type.IPV4_SRC || type == Type.IPV4_DST;
        boolean v6 = type == Type.IPV6_SRC || type == Type.IPV6_DST;
        checkArgument(v4 || v6, "IPCriterion needs an IPV4_/IPV6_ SRC or DST type, not %s", type);
        checkArgument(v4 == ip.isIp4(), "%s needs an %s prefix, was %s", type, v4 ? "IPv4" : "IPv6", ip);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.oxmField()).putLong(ip.address().high()).putLong(ip.address().low())
                .putInt(ip.prefixLength());
    }

    @Override
    public String toString() {
        return type + ":" + ip;
    }
}
