package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * Asks a device's master for the entry with a flow id.
 *
 * @param deviceId the device
 * @param flowId the 64-bit flow id
 */
public record EntryQuery(DeviceId deviceId, long flowId) {

    /** Checks the device is present. */
    public EntryQuery {
        requireNonNull(deviceId, "deviceId");
    }
}
