package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import com.google.common.net.InetAddresses;

/**
 * An IPv4 or IPv6 address held as two 64-bit halves (IPv4 uses the low 32 bits of {@link #low()}).
 * Parsing never consults DNS.
 */
public final class IpAddress {

    /** Address family. */
    public enum Version {
        /** 32-bit IPv4. */
        V4(32),
        /** 128-bit IPv6. */
        V6(128);

        private final int bits;

        Version(int bits) {
            this.bits = bits;
        }

        /** Returns the address width in bits. */
        public int bits() {
            return bits;
        }
    }

    private final long high;
    private final long low;
    private final boolean v6;

    private IpAddress(boolean v6, long high, long low) {
        this.v6 = v6;
        this.high = high;
        this.low = low;
    }

    /**
     * Returns the IPv4 address with a 32-bit value.
     *
     * @param value the address bits
     * @return the address
     */
    public static IpAddress ipv4(int value) {
        return new IpAddress(false, 0, value & 0xFFFF_FFFFL);
    }

    /**
     * Returns the IPv6 address with two 64-bit halves.
     *
     * @param high the first 64 bits
     * @param low the last 64 bits
     * @return the address
     */
    public static IpAddress ipv6(long high, long low) {
        return new IpAddress(true, high, low);
    }

    /**
     * Parses a literal IPv4 (dotted quad) or IPv6 address; never a host name.
     *
     * @param text the literal
     * @return the address
     * @throws IllegalArgumentException if the text is not an IP literal
     */
    public static IpAddress valueOf(String text) {
        requireNonNull(text, "IP address");
        InetAddress address;
        try {
            address = InetAddresses.forString(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4((int) toLong(b, 0, 4));
        }
        return ipv6(toLong(b, 0, 8), toLong(b, 8, 8));
    }

    private static long toLong(byte[] b, int offset, int length) {
        long v = 0;
        for (int i = offset; i < offset + length; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** Returns the address family. */
    public Version version() {
        return v6 ? Version.V6 : Version.V4;
    }

    /** Returns true for IPv4. */
    public boolean isIp4() {
        return !v6;
    }

    /** Returns the first 64 bits (0 for IPv4). */
    public long high() {
        return high;
    }

    /** Returns the last 64 bits; for IPv4 the address in the low 32 bits. */
    public long low() {
        return low;
    }

    /** Returns the address bytes in network order (4 or 16 bytes). */
    public byte[] toOctets() {
        byte[] b = new byte[v6 ? 16 : 4];
        if (v6) {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (high >>> (56 - 8 * i));
                b[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
        } else {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (low >>> (24 - 8 * i));
            }
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof IpAddress other && v6 == other.v6 && high == other.high && low == other.low);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) + (v6 ? 1 : 0);
    }

    @Override
    public String toString() {
        try {
            return InetAddresses.toAddrString(InetAddress.getByAddress(toOctets()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes was refused", e);
        }
    }

    static void checkPrefixLength(Version version, int length) {
        checkArgument(length >= 0 && length <= version.bits(),
                "%s prefix length must be 0..%s, was %s", version, version.bits(), length);
    }
}
