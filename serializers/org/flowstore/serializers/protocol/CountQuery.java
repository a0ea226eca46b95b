package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntryState;

/**
 * Asks a device's master how many entries it holds, in one state or in all.
 *
 * @param deviceId the device
 * @param state the state to count, or null for every state
 */
public record CountQuery(DeviceId deviceId, FlowEntryState state) {

    /** Checks the device is present. */
    public CountQuery {
        requireNonNull(deviceId, "deviceId");
    }
}
