package org.flowstore.app.rest;

import java.util.Comparator;
import java.util.List;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.app.rest.RestApi.NotFoundException;

/** The devices a request may name: a path's device id parsed (400 when malformed) and known to the cluster (404 when not). */
final class KnownDevices {

    private final DeviceService devices;

    KnownDevices(DeviceService devices) {
        this.devices = devices;
    }

    /** Returns the device a request names, known to the cluster. */
    DeviceId known(String text) {
        DeviceId deviceId;
        try {
            deviceId = DeviceId.deviceId(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("deviceId: " + e.getMessage());
        }
        if (!devices.isKnown(deviceId)) {
            throw new NotFoundException("unknown device " + text);
        }
        return deviceId;
    }

    /** Returns every device the cluster knows, in the order of their ids: lists are stable between calls. */
    List<DeviceId> sorted() {
        return devices.getDevices().stream().sorted(Comparator.comparing(DeviceId::uri)).toList();
    }
}
