package org.flowstore.store.cluster;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.DeviceEvent;
import org.flowstore.api.cluster.DeviceService;

/**
 * The devices the cluster knows: those this node is connected to, fed by whoever connects devices
 * ({@link #connect}, {@link #disconnect}), and those any node is or was connected to, as seen in
 * the mastership elections (a device every node lost stays known, without a master: requests for
 * it fail with "no master", not "unknown device"). Connecting a device makes this node a candidate for its mastership.
 */
@Component(service = {DeviceService.class, DeviceInventory.class})
public final class DeviceInventory implements DeviceService {

    private final AtomixMastership mastership;
    private final Set<DeviceId> connected = ConcurrentHashMap.newKeySet();
    private final Listeners<DeviceEvent> listeners = new Listeners<>(Runnable::run, "the device inventory");

    /**
     * Creates the inventory.
     *
     * @param mastership the elections that connected devices join
     */
    @Activate
    public DeviceInventory(@Reference(name = "mastership") AtomixMastership mastership) {
        this.mastership = mastership;
    }

    /**
     * Records that this node is connected to a device and runs for its mastership.
     *
     * @param deviceId the device
     * @return completes when this node is a candidate
     */
    public CompletableFuture<Void> connect(DeviceId deviceId) {
        if (connected.add(deviceId)) {
            listeners.post(new DeviceEvent(DeviceEvent.Type.DEVICE_ADDED, deviceId));
        }
        return mastership.claim(deviceId);
    }

    /**
     * Records that this node lost a device and leaves its election.
     *
     * @param deviceId the device
     * @return completes when this node is no longer a candidate
     */
    public CompletableFuture<Void> disconnect(DeviceId deviceId) {
        if (connected.remove(deviceId)) {
            listeners.post(new DeviceEvent(DeviceEvent.Type.DEVICE_REMOVED, deviceId));
        }
        return mastership.release(deviceId);
    }

    @Override
    public Set<DeviceId> getDevices() {
        Set<DeviceId> all = new HashSet<>(mastership.devices());
        all.addAll(connected);
        return Set.copyOf(all);
    }

    @Override
    public boolean isKnown(DeviceId deviceId) {
        return connected.contains(deviceId) || mastership.devices().contains(deviceId);
    }

    @Override
    public void addListener(Consumer<DeviceEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<DeviceEvent> listener) {
        listeners.remove(listener);
    }
}
