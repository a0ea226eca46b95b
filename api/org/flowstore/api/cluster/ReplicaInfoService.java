package org.flowstore.api.cluster;

import java.util.function.Consumer;

import org.flowstore.api.DeviceId;

/** Where each device's table lives (master and standbys), and when that changes. */
public interface ReplicaInfoService {

    /**
     * Returns a device's master and standbys with their term.
     *
     * @param deviceId the device
     * @return the replica placement
     */
    MastershipInfo getReplicaInfoFor(DeviceId deviceId);

    /**
     * Registers a listener of placement changes. Listeners run on an event thread of the
     * service and must not block.
     *
     * @param listener the listener
     */
    void addListener(Consumer<ReplicaInfoEvent> listener);

    /**
     * Unregisters a listener.
     *
     * @param listener the listener that was added
     */
    void removeListener(Consumer<ReplicaInfoEvent> listener);
}
