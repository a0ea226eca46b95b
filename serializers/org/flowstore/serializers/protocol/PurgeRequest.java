package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;

/**
 * Asks a device's master to remove the device's entries, all or one application's.
 *
 * @param deviceId the device
 * @param appId the application whose entries go, or null for all entries
 */
public record PurgeRequest(DeviceId deviceId, ApplicationId appId) {

    /** Checks the device is present. */
    public PurgeRequest {
        requireNonNull(deviceId, "deviceId");
    }
}
