package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.ByteString;

/**
 * One field of a protocol-independent (P4) match: the field's id in the pipeline, how it
 * matches, and the parts that kind of match has (the others are null, the prefix length 0).
 *
 * @param fieldId the field's id in the pipeline, such as {@code hdr.ethernet.dst_addr}
 * @param matchType how the field matches
 * @param value the value of an exact, LPM, ternary or optional match
 * @param mask the mask of a ternary match
 * @param prefixLength the prefix length in bits of an LPM match
 * @param lowValue the lowest value of a range match
 * @param highValue the highest value of a range match
 */
public record PiFieldMatch(String fieldId, MatchType matchType, ByteString value, ByteString mask, int prefixLength,
                           ByteString lowValue, ByteString highValue) {

    /** How a field matches; written on the wire by position: append only. */
    public enum MatchType {
        /** The value exactly. */
        EXACT,
        /** The value's first {@code prefixLength} bits. */
        LPM,
        /** The value's bits under the mask. */
        TERNARY,
        /** A value from low to high, both included. */
        RANGE,
        /** The value exactly, or anything when the field is absent. */
        OPTIONAL
    }

    /** Checks that the match has exactly the parts of its kind. */
    public PiFieldMatch {
        requireNonNull(fieldId, "fieldId");
        checkArgument(!fieldId.isBlank() && fieldId.length() <= 256, "a P4 field id has 1 to 256 characters");
        requireNonNull(matchType, "matchType");
        boolean needsValue = matchType != MatchType.RANGE;
        checkArgument((value != null) == needsValue, "a %s match of %s %s a value", matchType, fieldId,
                needsValue ? "needs" : "takes no");
        checkArgument((mask != null) == (matchType == MatchType.TERNARY), "only a TERNARY match has a mask (%s)", fieldId);
        checkArgument(matchType == MatchType.LPM ? prefixLength >= 0 && prefixLength <= 8 * value.size()
                : prefixLength == 0, "an LPM prefix of %s is 0 to the value's bits; other matches have none", fieldId);
        checkArgument((lowValue != null && highValue != null) == (matchType == MatchType.RANGE)
                && (lowValue == null) == (highValue == null), "a RANGE match of %s needs low and high values, and only"
                + " it has them", fieldId);
    }

    /** Returns an exact match. */
    public static PiFieldMatch exact(String fieldId, ByteString value) {
        return new PiFieldMatch(fieldId, MatchType.EXACT, value, null, 0, null, null);
    }

    /** Returns a longest-prefix match. */
    public static PiFieldMatch lpm(String fieldId, ByteString value, int prefixLength) {
        return new PiFieldMatch(fieldId, MatchType.LPM, value, null, prefixLength, null, null);
    }

    /** Returns a ternary match. */
    public static PiFieldMatch ternary(String fieldId, ByteString value, ByteString mask) {
        return new PiFieldMatch(fieldId, MatchType.TERNARY, value, mask, 0, null, null);
    }

    /** Returns a range match. */
    public static PiFieldMatch range(String fieldId, ByteString lowValue, ByteString highValue) {
        return new PiFieldMatch(fieldId, MatchType.RANGE, null, null, 0, lowValue, highValue);
    }

    /** Returns an optional match. */
    public static PiFieldMatch optional(String fieldId, ByteString value) {
        return new PiFieldMatch(fieldId, MatchType.OPTIONAL, value, null, 0, null, null);
    }

    /** Feeds the canonical encoding of this match. */
    void funnel(PrimitiveSink sink) {
        sink.putUnencodedChars(fieldId).putInt(matchType.ordinal()).putInt(prefixLength);
        for (ByteString part : new ByteString[] {value, mask, lowValue, highValue}) {
            sink.putInt(part == null ? -1 : part.size());
            if (part != null) {
                sink.putBytes(part.toByteArray());
            }
        }
    }

    @Override
    public String toString() {
        return fieldId + "=" + switch (matchType) {
            case EXACT, OPTIONAL -> value.toString();
            case LPM -> value + "/" + prefixLength;
            case TERNARY -> value + "&&&" + mask;
            case RANGE -> lowValue + ".." + highValue;
        };
    }
}
