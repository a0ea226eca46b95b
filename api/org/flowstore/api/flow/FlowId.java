package org.flowstore.api.flow;

/**
 * Identity of a flow rule: 64 bits, the same on every node and across restarts. The high 16
 * bits are the owning application's numeric id; the low 48 bits are a stable hash of the rule's
 * match identity (device, table, priority and selector), so rules that match the same traffic
 * differ only in their application bits.
 *
 * @param value the 64-bit id
 */
public record FlowId(long value) {

    /** Number of low bits holding the match hash. */
    public static final int MATCH_HASH_BITS = 48;
    /** Mask of the match hash bits. */
    public static final long MATCH_HASH_MASK = (1L << MATCH_HASH_BITS) - 1;

    /**
     * Returns the flow id of a value.
     *
     * @param value the 64-bit id
     * @return the flow id
     */
    public static FlowId valueOf(long value) {
        return new FlowId(value);
    }

    /**
     * Composes a flow id from an application id and a match hash.
     *
     * @param appId the 16-bit application id
     * @param matchHash the match hash; only its low 48 bits are used
     * @return the flow id
     */
    public static FlowId of(int appId, long matchHash) {
        return new FlowId(((long) (appId & 0xFFFF) << MATCH_HASH_BITS) | (matchHash & MATCH_HASH_MASK));
    }

    /** Returns the owning application's numeric id (the high 16 bits). */
    public int appId() {
        return (int) (value >>> MATCH_HASH_BITS);
    }

    /** Returns the 48-bit hash of the rule's match identity (the low bits). */
    public long matchHash() {
        return value & MATCH_HASH_MASK;
    }

    /** Returns the id as {@code 0x} followed by lower-case hex digits. */
    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }
}
