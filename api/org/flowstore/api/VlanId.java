package org.flowstore.api;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * An IEEE 802.1Q VLAN id, 0 to 4095, or the markers {@link #NONE} (untagged) and {@link #ANY}
 * (any tag). Every value is cached.
 */
public final class VlanId {

    /** Largest VLAN id. */
    public static final int MAX_VLAN = 4095;
    /** Value of {@link #NONE}. */
    public static final int NONE_VALUE = 0xFFFF;
    /** Value of {@link #ANY}. */
    public static final int ANY_VALUE = 0x1000;

    private static final VlanId[] CACHE = new VlanId[MAX_VLAN + 1];

    static {
        for (int i = 0; i <= MAX_VLAN; i++) {
            CACHE[i] = new VlanId((short) i);
        }
    }

    /** No VLAN tag. */
    public static final VlanId NONE = new VlanId((short) NONE_VALUE);
    /** Any VLAN tag. */
    public static final VlanId ANY = new VlanId((short) ANY_VALUE);

    private final short value;

    private VlanId(short value) {
        this.value = value;
    }

    /**
     * Returns the VLAN id with a value.
     *
     * @param value 0 to {@value #MAX_VLAN}, {@value #ANY_VALUE} for ANY or {@value #NONE_VALUE} for NONE
     * @return the VLAN id
     * @throws IllegalArgumentException for any other value
     */
    public static VlanId vlanId(int value) {
        if (value == NONE_VALUE) {
            return NONE;
        }
        if (value == ANY_VALUE) {
            return ANY;
        }
        checkArgument(value >= 0 && value <= MAX_VLAN, "VLAN id must be 0..%s, was %s", MAX_VLAN, value);
        return CACHE[value];
    }

    /** Returns the value as an unsigned number. */
    public int toInt() {
        return value & 0xFFFF;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof VlanId other && value == other.value);
    }

    @Override
    public int hashCode() {
        return value;
    }

    @Override
    public String toString() {
        return this.equals(NONE) ? "None" : this.equals(ANY) ? "Any" : Integer.toString(toInt());
    }
}
