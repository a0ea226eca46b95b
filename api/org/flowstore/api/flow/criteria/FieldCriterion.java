package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

/**
 * Match on a header field held as a number of {@link Criterion.Type#bits()} bits (VLAN_PCP,
 * IP_DSCP, MPLS_LABEL, METADATA, TUNNEL_ID, ...), under a mask where OpenFlow allows one.
 *
 * @param type a number kind ({@link Criterion.Type#isNumber()})
 * @param value the value, unsigned, within the field's width (any long for a 64-bit field)
 * @param mask the bits that must match: all the field's bits for an exact match, the only mask
 *             a kind that cannot be masked accepts
 */
public record FieldCriterion(Type type, long value, long mask) implements Criterion {

    /** Checks the kind holds a number, and the value and mask fit its width. */
    public FieldCriterion {
        requireNonNull(type, "type");
        checkArgument(type.isNumber(), "FieldCriterion needs a number kind, not %s", type);
        long all = allBits(type);
        checkArgument((value & ~all) == 0, "%s is %s bits: 0..%s, was %s", type, type.bits(),
                Long.toUnsignedString(all), Long.toUnsignedString(value));
        checkArgument((mask & ~all) == 0, "%s mask is %s bits, was 0x%s", type, type.bits(), Long.toHexString(mask));
        checkArgument(type.isMaskable() || mask == all, "%s cannot be masked (mask 0x%s)", type, Long.toHexString(mask));
    }

    /**
     * Creates an exact match.
     *
     * @param type a number kind
     * @param value the value
     */
    public FieldCriterion(Type type, long value) {
        this(type, value, type == null ? 0 : allBits(type));
    }

    /** Returns a mask of every bit of a kind's field. */
    public static long allBits(Type type) {
        return type.bits() >= 64 ? -1L : (1L << type.bits()) - 1;
    }

    /** Returns true when every bit of the field must match. */
    public boolean exact() {
        return mask == allBits(type);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.code()).putLong(value).putLong(mask);
    }

    /** As ONOS prints it: {@code TYPE:value}, the value in hex for 64-bit fields, then {@code /mask} when masked. */
    @Override
    public String toString() {
        String v = type.bits() >= 64 ? "0x" + Long.toHexString(value) : Long.toString(value);
        return type + ":" + v + (exact() ? "" : "/0x" + Long.toHexString(mask));
    }
}
