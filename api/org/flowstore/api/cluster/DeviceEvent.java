package org.flowstore.api.cluster;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * A change of the device inventory.
 *
 * @param type what happened
 * @param deviceId the device
 */
public record DeviceEvent(Type type, DeviceId deviceId) {

    /** Kind of inventory change. */
    public enum Type {
        /** The device became known. */
        DEVICE_ADDED,
        /** The device was removed. */
        DEVICE_REMOVED
    }

    /** Checks both parts are present. */
    public DeviceEvent {
        requireNonNull(type, "type");
        requireNonNull(deviceId, "deviceId");
    }
}
