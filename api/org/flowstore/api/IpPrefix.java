package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.0.0.1/32} or {@code 2001:db8::/32}. The address bits
 * past the prefix length are cleared, so {@code 10.0.0.7/24} equals {@code 10.0.0.0/24}.
 *
 * <p>Held flat (two longs, a length and a family flag) because a flow table keeps one per IP
 * match; the {@link IpAddress} view is made on demand.
 */
public final class IpPrefix {

    private final long high;
    private final long low;
    private final short prefixLength;
    private final boolean v6;

    private IpPrefix(boolean v6, long high, long low, int prefixLength) {
        this.v6 = v6;
        this.prefixLength = (short) prefixLength;
        int width = v6 ? 128 : 32;
        int hostBits = width - prefixLength;
        if (v6) {
            this.high = hostBits >= 64 ? (hostBits >= 128 ? 0 : high & (-1L << (hostBits - 64))) : high;
            this.low = hostBits >= 64 ? 0 : (hostBits == 0 ? low : low & (-1L << hostBits));
        } else {
            this.high = 0;
            this.low = hostBits >= 32 ? 0 : low & (0xFFFF_FFFFL << hostBits) & 0xFFFF_FFFFL;
        }
    }

    /**
     * Returns the prefix of an address and a length; host bits are cleared.
     *
     * @param address the address
     * @param prefixLength 0 to 32 (IPv4) or 0 to 128 (IPv6)
     * @return the prefix
     * @throws IllegalArgumentException if the length is out of range for the family
     */
    public static IpPrefix valueOf(IpAddress address, int prefixLength) {
        requireNonNull(address, "address");
        IpAddress.checkPrefixLength(address.version(), prefixLength);
        return new IpPrefix(!address.isIp4(), address.high(), address.low(), prefixLength);
    }

    /**
     * Returns the IPv4 /32 or IPv6 /128 prefix of one address.
     *
     * @param address the address
     * @return the host prefix
     */
    public static IpPrefix host(IpAddress address) {
        return valueOf(address, address.version().bits());
    }

    /**
     * Parses {@code address/length}; an address without a length is a host prefix.
     *
     * @param text the prefix text
     * @return the prefix
     * @throws IllegalArgumentException if the text is not a prefix
     */
    public static IpPrefix valueOf(String text) {
        requireNonNull(text, "IP prefix");
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            return host(IpAddress.valueOf(t));
        }
        IpAddress address = IpAddress.valueOf(t.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        checkArgument(length >= 0 && length <= address.version().bits(),
                "%s prefix length must be 0..%s: '%s'", address.version(), address.version().bits(), text);
        return valueOf(address, length);
    }

    /** Returns the (masked) network address. */
    public IpAddress address() {
        return v6 ? IpAddress.ipv6(high, low) : IpAddress.ipv4((int) low);
    }

    /** Returns the prefix length in bits. */
    public int prefixLength() {
        return prefixLength;
    }

    /** Returns the address family. */
    public IpAddress.Version version() {
        return v6 ? IpAddress.Version.V6 : IpAddress.Version.V4;
    }

    /** Returns true for an IPv4 prefix. */
    public boolean isIp4() {
        return !v6;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof IpPrefix other && v6 == other.v6 && prefixLength == other.prefixLength
                && high == other.high && low == other.low);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) * 31 + prefixLength + (v6 ? 1 : 0);
    }

    @Override
    public String toString() {
        return address() + "/" + prefixLength;
    }
}
