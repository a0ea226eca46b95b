package org.flowstore.api.flow.criteria;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.ByteString;

/**
 * A device-specific match the store carries without reading it: its bytes, as a driver wrote
 * them (ONOS's extension criterion).
 *
 * @param payload the bytes
 */
public record ExtensionCriterion(ByteString payload) implements Criterion {

    /** Checks the payload is present. */
    public ExtensionCriterion {
        requireNonNull(payload, "EXTENSION payload");
    }

    @Override
    public Type type() {
        return Type.EXTENSION;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.EXTENSION.code()).putBytes(payload.toByteArray());
    }

    @Override
    public String toString() {
        return "EXTENSION:" + payload;
    }
}
