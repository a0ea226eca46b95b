package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * A device's new master asks a standby for its copy's version. By answering, the standby
 * promises to refuse data from any older term, so nothing a deposed master sends afterwards can
 * be acknowledged behind the new master's back.
 *
 * @param deviceId the device
 * @param term the new master's term
 */
public record VersionQuery(DeviceId deviceId, long term) {

    /** Checks the device is present. */
    public VersionQuery {
        requireNonNull(deviceId, "deviceId");
    }
}
