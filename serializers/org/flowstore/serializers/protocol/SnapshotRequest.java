package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * A new master asks a standby to send it the standby's copy of a device table, because that
 * copy is more advanced than its own. The reply comes once every chunk was taken.
 *
 * @param deviceId the device
 * @param term the new master's term
 */
public record SnapshotRequest(DeviceId deviceId, long term) {

    /** Checks the device is present. */
    public SnapshotRequest {
        requireNonNull(deviceId, "deviceId");
    }
}
