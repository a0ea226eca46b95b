package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

import com.google.common.hash.PrimitiveSink;

/**
 * Match on a TCP, UDP or SCTP source or destination port, exactly or (the _MASKED forms) under a
 * mask.
 *
 * @param type a TCP_, UDP_ or SCTP_ SRC or DST type, or its _MASKED form
 * @param port the port, 0 to 65535
 * @param mask the bits that must match: {@value #EXACT} for the exact forms, any 16-bit mask for
 *             the masked ones
 */
public record TransportPortCriterion(Type type, int port, int mask) implements Criterion {

    /** The mask of an exact match: every bit of the port. */
    public static final int EXACT = 0xFFFF;

    private static final Set<Type> TYPES = EnumSet.of(Type.TCP_SRC, Type.TCP_DST, Type.UDP_SRC, Type.UDP_DST,
            Type.SCTP_SRC, Type.SCTP_DST, Type.TCP_SRC_MASKED, Type.TCP_DST_MASKED, Type.UDP_SRC_MASKED,
            Type.UDP_DST_MASKED, Type.SCTP_SRC_MASKED, Type.SCTP_DST_MASKED);

    /** Checks the type is a transport port type, and the port and mask fit in 16 bits. */
    public TransportPortCriterion {
        requireNonNull(type, "type");
        checkArgument(TYPES.contains(type), "TransportPortCriterion needs a TCP_, UDP_ or SCTP_ SRC or DST type, not %s",
                type);
        checkArgument(port >= 0 && port <= 0xFFFF, "%s port must be 0..65535, was %s", type, port);
        checkArgument(mask >= 0 && mask <= 0xFFFF, "%s mask must be 0..0xFFFF, was %s", type, mask);
        checkArgument(type.isMaskedForm() || mask == EXACT, "%s takes no mask (use the _MASKED form)", type);
    }

    /**
     * Creates an exact match.
     *
     * @param type an exact transport port type
     * @param port the port
     */
    public TransportPortCriterion(Type type, int port) {
        this(type, port, EXACT);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.code()).putInt(port);
        if (type.isMaskedForm()) {
            sink.putInt(mask);
        }
    }

    @Override
    public String toString() {
        return type + ":" + port + (type.isMaskedForm() ? "/0x" + Integer.toHexString(mask) : "");
    }
}
