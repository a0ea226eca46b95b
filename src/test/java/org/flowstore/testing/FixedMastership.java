package org.flowstore.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;

/** A mastership that a test sets device by device, seen the same by every caller; no elections. */
public final class FixedMastership implements MastershipService {

    private final Map<DeviceId, MastershipInfo> masterships = new ConcurrentHashMap<>();

    /** Sets who masters a device, in which term, with which standbys. */
    public void set(DeviceId deviceId, MastershipInfo info) {
        masterships.put(deviceId, info);
    }

    @Override
    public MastershipInfo getMastershipFor(DeviceId deviceId) {
        return masterships.getOrDefault(deviceId, MastershipInfo.NONE);
    }

    @Override
    public Set<DeviceId> getDevicesOf(NodeId node) {
        return Set.copyOf(masterships.entrySet().stream().filter(e -> e.getValue().isMaster(node))
                .map(Map.Entry::getKey).toList());
    }

    @Override
    public CompletableFuture<Void> relinquishMastership(DeviceId deviceId) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no elections in a fixed mastership"));
    }
}
