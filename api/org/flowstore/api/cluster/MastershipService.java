package org.flowstore.api.cluster;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;

/** Who masters each device, elected per device so that no two nodes master one device in one term. */
public interface MastershipService {

    /**
     * Returns a device's term, master and standbys, read together.
     *
     * @param deviceId the device
     * @return the mastership; {@link MastershipInfo#NONE} for a device nobody has claimed
     */
    MastershipInfo getMastershipFor(DeviceId deviceId);

    /**
     * Returns the devices a node masters.
     *
     * @param node the node
     * @return the devices
     */
    Set<DeviceId> getDevicesOf(NodeId node);

    /**
     * Gives up this node's mastership of a device, handing it to the first standby that is up.
     *
     * @param deviceId the device
     * @return completes when the hand-off is done, exceptionally if it failed
     */
    CompletableFuture<Void> relinquishMastership(DeviceId deviceId);
}
