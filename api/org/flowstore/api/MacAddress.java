package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/** A 48-bit Ethernet MAC address, printed as {@code AA:BB:CC:DD:EE:FF}. */
public final class MacAddress {

    /** Largest MAC address value (48 bits). */
    public static final long MAX_VALUE = 0xFFFF_FFFF_FFFFL;

    private final long value;

    private MacAddress(long value) {
        this.value = value;
    }

    /**
     * Returns the address with a 48-bit value.
     *
     * @param value 0 to {@value #MAX_VALUE}
     * @return the address
     * @throws IllegalArgumentException if the value needs more than 48 bits
     */
    public static MacAddress valueOf(long value) {
        checkArgument(value >= 0 && value <= MAX_VALUE, "MAC address must fit in 48 bits: %s", value);
        return new MacAddress(value);
    }

    /**
     * Parses six colon-separated hex octets, e.g. {@code 00:11:22:33:44:55}.
     *
     * @param text the address text
     * @return the address
     * @throws IllegalArgumentException if the text is not a MAC address
     */
    public static MacAddress valueOf(String text) {
        requireNonNull(text, "MAC address");
        String[] octets = text.trim().split(":", -1);
        checkArgument(octets.length == 6, "MAC address must be six hex octets separated by ':': '%s'", text);
        long v = 0;
        for (String octet : octets) {
            checkArgument(octet.length() >= 1 && octet.length() <= 2, "bad MAC address octet in '%s'", text);
            try {
                v = (v << 8) | Integer.parseInt(octet, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad MAC address octet in '" + text + "'");
            }
        }
        return new MacAddress(v);
    }

    /** Returns the 48-bit value. */
    public long toLong() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof MacAddress other && value == other.value);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (value >>> shift) & 0xFF;
            sb.append(Character.toUpperCase(Character.forDigit(octet >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(octet & 0xF, 16)));
            if (shift > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
