package org.flowstore.api.cluster;

import java.util.Set;
import java.util.function.Consumer;

import org.flowstore.api.DeviceId;

/** The devices the cluster knows. */
public interface DeviceService {

    /** Returns every known device. */
    Set<DeviceId> getDevices();

    /**
     * Returns true when the cluster knows a device.
     *
     * @param deviceId the device
     * @return true when known
     */
    boolean isKnown(DeviceId deviceId);

    /**
     * Registers a listener of inventory changes. Listeners run on an event thread of the service
     * and must not block.
     *
     * @param listener the listener
     */
    void addListener(Consumer<DeviceEvent> listener);

    /**
     * Unregisters a listener.
     *
     * @param listener the listener that was added
     */
    void removeListener(Consumer<DeviceEvent> listener);
}
