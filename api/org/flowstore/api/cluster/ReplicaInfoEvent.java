package org.flowstore.api.cluster;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * A change of where a device's table lives.
 *
 * @param type what changed
 * @param deviceId the device
 * @param mastership the device's mastership after the change
 */
public record ReplicaInfoEvent(Type type, DeviceId deviceId, MastershipInfo mastership) {

    /** Kind of change. */
    public enum Type {
        /** The master (and so the term) changed. */
        MASTER_CHANGED,
        /** Only the standbys or their order changed. */
        BACKUPS_CHANGED
    }

    /** Checks every part is present. */
    public ReplicaInfoEvent {
        requireNonNull(type, "type");
        requireNonNull(deviceId, "deviceId");
        requireNonNull(mastership, "mastership");
    }
}
