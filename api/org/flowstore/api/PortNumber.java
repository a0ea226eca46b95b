package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Map;

import com.google.common.collect.ImmutableBiMap;

/**
 * A device port: an unsigned 32-bit OpenFlow port number, or one of the reserved logical ports
 * ({@link #CONTROLLER}, {@link #IN_PORT}, {@link #FLOOD}, ...), which print by name.
 * Ports 0 to 1023 are cached, so the common case allocates nothing.
 */
public final class PortNumber implements Comparable<PortNumber> {

    /** Largest port number (unsigned 32 bits). */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /** Send back out of the input port. */
    public static final PortNumber IN_PORT = new PortNumber(0xFFFF_FFF8L);
    /** Submit to the first flow table. */
    public static final PortNumber TABLE = new PortNumber(0xFFFF_FFF9L);
    /** Forward with the device's non-OpenFlow pipeline. */
    public static final PortNumber NORMAL = new PortNumber(0xFFFF_FFFAL);
    /** Flood along the spanning tree, excluding the input port. */
    public static final PortNumber FLOOD = new PortNumber(0xFFFF_FFFBL);
    /** All ports but the input port. */
    public static final PortNumber ALL = new PortNumber(0xFFFF_FFFCL);
    /** Send to the controller. */
    public static final PortNumber CONTROLLER = new PortNumber(0xFFFF_FFFDL);
    /** The device's local networking stack. */
    public static final PortNumber LOCAL = new PortNumber(0xFFFF_FFFEL);
    /** Wildcard port, used in queries. */
    public static final PortNumber ANY = new PortNumber(0xFFFF_FFFFL);

    private static final Map<String, PortNumber> LOGICAL = ImmutableBiMap.<String, PortNumber>builder()
            .put("IN_PORT", IN_PORT).put("TABLE", TABLE).put("NORMAL", NORMAL).put("FLOOD", FLOOD)
            .put("ALL", ALL).put("CONTROLLER", CONTROLLER).put("LOCAL", LOCAL).put("ANY", ANY).build();
    private static final Map<PortNumber, String> NAMES = ImmutableBiMap.copyOf(LOGICAL).inverse();

    private static final PortNumber[] CACHE = new PortNumber[1024];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new PortNumber(i);
        }
    }

    private final long number;

    private PortNumber(long number) {
        this.number = number;
    }

    /**
     * Returns the port with a number; reserved numbers give the logical port constants.
     *
     * @param number 0 to {@value #MAX_NUMBER}
     * @return the port
     * @throws IllegalArgumentException if the number is out of range
     */
    public static PortNumber portNumber(long number) {
        checkArgument(number >= 0 && number <= MAX_NUMBER, "port number must be 0..%s, was %s", MAX_NUMBER, number);
        if (number < CACHE.length) {
            return CACHE[(int) number];
        }
        if (number >= IN_PORT.number) {
            for (PortNumber logical : LOGICAL.values()) {
                if (logical.number == number) {
                    return logical;
                }
            }
        }
        return new PortNumber(number);
    }

    /**
     * Parses a port: a decimal number or a logical name such as {@code CONTROLLER}.
     *
     * @param text the port text
     * @return the port
     * @throws IllegalArgumentException if the text is neither
     */
    public static PortNumber fromString(String text) {
        requireNonNull(text, "port");
        PortNumber logical = LOGICAL.get(text.trim().toUpperCase(Locale.ROOT));
        if (logical != null) {
            return logical;
        }
        try {
            return portNumber(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number or one of " + LOGICAL.keySet() + ": '" + text + "'");
        }
    }

    /** Returns the unsigned 32-bit port number. */
    public long toLong() {
        return number;
    }

    /** Returns true for the reserved logical ports. */
    public boolean isLogical() {
        return NAMES.containsKey(this);
    }

    @Override
    public int compareTo(PortNumber other) {
        return Long.compare(number, other.number);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof PortNumber other && number == other.number);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(number);
    }

    /** Returns the logical name of a reserved port, or the decimal number. */
    @Override
    public String toString() {
        String name = NAMES.get(this);
        return name != null ? name : Long.toString(number);
    }
}
