package org.flowstore.api.flow.instructions;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.ByteString;
import org.flowstore.api.DeviceId;

/**
 * A device-specific action the store carries without reading it (ONOS's extension instruction):
 * the device whose driver understands it, and its bytes.
 *
 * @param deviceId the device whose driver wrote it
 * @param payload the bytes
 */
public record ExtensionInstruction(DeviceId deviceId, ByteString payload) implements Instruction {

    /** Checks the parts. */
    public ExtensionInstruction {
        requireNonNull(deviceId, "EXTENSION deviceId");
        requireNonNull(payload, "EXTENSION payload");
    }

    @Override
    public Type type() {
        return Type.EXTENSION;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.EXTENSION.ordinal()).putUnencodedChars(deviceId.uri()).putBytes(payload.toByteArray());
    }

    @Override
    public String toString() {
        return "EXTENSION:" + deviceId + ":" + payload;
    }
}
