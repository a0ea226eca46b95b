package org.flowstore.store.cluster;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.DeviceEvent;
import org.flowstore.api.cluster.DeviceProviderService;
import org.flowstore.api.cluster.DeviceService;

/**
 * The devices the cluster knows: those this node is connected to, fed by the device providers
 * ({@link #deviceConnected}, {@link #deviceDisconnected}), and those any node is or was connected to, as seen in
 * the mastership elections (a device every node lost stays known, without a master: requests for
 * it fail with "no master", not "unknown device"). Connecting a device makes this node a candidate for its mastership.
 */
@Component(service = {DeviceService.class, DeviceProviderService.class, DeviceInventory.class}, immediate = true,
        configurationPid = "org.flowstore.store.cluster.DeviceInventory")
@Designate(ocd = DeviceInventory.Properties.class)
public final class DeviceInventory implements DeviceService, DeviceProviderService {

    /**
     * Devices this node connects to by configuration, for deployments without a device subsystem
     * (a lab, the Karaf smoke test): each listed device is connected at activation, and
     * {@code @Modified} connects added ones and disconnects removed ones.
     */
    @ObjectClassDefinition(name = "flowstore device inventory",
            description = "Devices this node is connected to by configuration")
    @interface Properties {
        /** Device ids, such as of:0000000000000001. */
        @AttributeDefinition(required = false, description = "Device ids this node connects to (e.g. of:0000000000000001)")
        String[] devices();
    }

    /** Property listing configured devices (a String[] or comma-separated text). */
    public static final String DEVICES = "devices";
    private static final Logger log = LoggerFactory.getLogger(DeviceInventory.class);
    private static final long CONNECT_TIMEOUT_MILLIS = 30_000;

    private final Set<DeviceId> configured = ConcurrentHashMap.newKeySet();

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
     * Connects the configured devices.
     *
     * @param properties the component properties
     * @throws IllegalArgumentException naming a malformed device id
     */
    @Activate
    public void activate(Map<String, Object> properties) {
        modified(properties);
    }

    /**
     * Connects devices added to the configuration and disconnects removed ones.
     *
     * @param properties the component properties
     */
    @Modified
    public void modified(Map<String, Object> properties) {
        Set<DeviceId> wanted = parse(properties.get(DEVICES));
        for (DeviceId gone : Set.copyOf(configured)) {
            if (!wanted.contains(gone)) {
                configured.remove(gone);
                await(deviceDisconnected(gone), "disconnect from " + gone);
            }
        }
        for (DeviceId added : wanted) {
            if (configured.add(added)) {
                await(deviceConnected(added), "connect to " + added);
            }
        }
    }

    private static Set<DeviceId> parse(Object raw) {
        Set<DeviceId> ids = new LinkedHashSet<>();
        if (raw == null) {
            return ids;
        }
        String[] items = raw instanceof String[] array ? array : raw.toString().split(",");
        for (String item : items) {
            if (!item.isBlank()) {
                try {
                    ids.add(DeviceId.deviceId(item.trim()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("device inventory property devices: " + e.getMessage(), e);
                }
            }
        }
        return ids;
    }

    private static void await(CompletableFuture<Void> step, String what) {
        try {
            step.get(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not {}: {}", what, e.toString());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Listeners hear {@code DEVICE_ADDED} before this node runs for the device's mastership.
     */
    @Override
    public CompletableFuture<Void> deviceConnected(DeviceId deviceId) {
        if (connected.add(deviceId)) {
            listeners.post(new DeviceEvent(DeviceEvent.Type.DEVICE_ADDED, deviceId));
        }
        return mastership.claim(deviceId);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Listeners hear {@code DEVICE_REMOVED} while this node is still a candidate (and the master
     * if it was): what they do with the device's flows happens before the mastership moves.
     */
    @Override
    public CompletableFuture<Void> deviceDisconnected(DeviceId deviceId) {
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
        return connected.contains(deviceId) || mastership.hasElection(deviceId);
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
