package org.flowstore.api.cluster;

import java.util.concurrent.CompletableFuture;

import org.flowstore.api.DeviceId;

/**
 * What a device provider tells the cluster about its connections: the device inventory is fed
 * by it. A node connected to a device runs for its mastership; a device no node is connected to
 * stays known, without a master.
 */
public interface DeviceProviderService {

    /**
     * Records that this node is connected to a device, and makes it a candidate for the device's
     * mastership.
     *
     * @param deviceId the device
     * @return completes when this node is a candidate
     */
    CompletableFuture<Void> deviceConnected(DeviceId deviceId);

    /**
     * Records that this node lost its connection to a device, and withdraws it from the device's
     * mastership (the next standby takes over).
     *
     * @param deviceId the device
     * @return completes when this node is no longer a candidate
     */
    CompletableFuture<Void> deviceDisconnected(DeviceId deviceId);
}
