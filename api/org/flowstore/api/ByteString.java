package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes, written as lower-case hex without separators (as ONOS writes
 * protocol-independent values): the value of a P4 match or action parameter, a tributary slot
 * bitmap, an opaque extension.
 */
public final class ByteString {

    /** Longest byte string accepted: far beyond any header field, small enough for a flow rule. */
    public static final int MAX_LENGTH = 4096;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Returns a byte string holding a copy of the given bytes.
     *
     * @param bytes the bytes, at most {@value #MAX_LENGTH}
     * @return the byte string
     */
    public static ByteString copyOf(byte[] bytes) {
        requireNonNull(bytes, "bytes");
        checkArgument(bytes.length <= MAX_LENGTH, "a byte string holds at most %s bytes, was %s", MAX_LENGTH, bytes.length);
        return new ByteString(bytes.clone());
    }

    /**
     * Parses hex digits, with or without a {@code 0x} prefix (an odd count gets a leading zero).
     *
     * @param hex the digits
     * @return the byte string
     * @throws IllegalArgumentException if the text is not hex digits
     */
    public static ByteString fromHex(String hex) {
        requireNonNull(hex, "hex");
        String digits = hex.trim();
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        checkArgument(digits.length() <= 2 * MAX_LENGTH, "a byte string holds at most %s bytes", MAX_LENGTH);
        if (digits.length() % 2 == 1) {
            digits = "0" + digits;
        }
        try {
            return new ByteString(HEX.parseHex(digits));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex digits: '" + hex + "'", e);
        }
    }

    /** Returns a copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Returns the number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** Returns the bytes as lower-case hex digits, two per byte, without a prefix. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof ByteString other && Arrays.equals(bytes, other.bytes));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "0x" + toHex();
    }
}
