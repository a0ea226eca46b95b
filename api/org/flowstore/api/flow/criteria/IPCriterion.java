package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.IpPrefix;

/**
 * Match on an IP address under a prefix: IPv4 or IPv6 source or destination, ARP source or
 * target protocol address (IPv4; a prefix is the mask OpenFlow allows), or the target address of
 * an IPv6 neighbour discovery message (a whole IPv6 address).
 *
 * @param type IPV4_SRC, IPV4_DST, IPV6_SRC, IPV6_DST, ARP_SPA, ARP_TPA or IPV6_ND_TARGET
 * @param ip the prefix, of the family the type names
 */
public record IPCriterion(Type type, IpPrefix ip) implements Criterion {

    private static final Set<Type> V4 = EnumSet.of(Type.IPV4_SRC, Type.IPV4_DST, Type.ARP_SPA, Type.ARP_TPA);
    private static final Set<Type> V6 = EnumSet.of(Type.IPV6_SRC, Type.IPV6_DST, Type.IPV6_ND_TARGET);

    /** Checks the type is an IP address type and the prefix family (and, for a ND target, length) matches it. */
    public IPCriterion {
        requireNonNull(type, "type");
        requireNonNull(ip, type + " ip");
        boolean v4 = V4.contains(type);
        checkArgument(v4 || V6.contains(type), "IPCriterion needs one of %s or %s, not %s", V4, V6, type);
        checkArgument(v4 == ip.isIp4(), "%s needs an %s prefix, was %s", type, v4 ? "IPv4" : "IPv6", ip);
        checkArgument(type != Type.IPV6_ND_TARGET || ip.prefixLength() == 128,
                "IPV6_ND_TARGET is a whole address (/128), was %s", ip);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.code()).putLong(ip.address().high()).putLong(ip.address().low())
                .putInt(ip.prefixLength());
    }

    @Override
    public String toString() {
        return type + ":" + (type == Type.IPV6_ND_TARGET ? ip.address().toString() : ip.toString());
    }
}
