package org.flowstore.store.flow;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.MastershipService;

/** The device tables this node holds, created on first write. Thread-safe. */
final class FlowTables {

    private final ConcurrentMap<DeviceId, DeviceFlowTable> tables = new ConcurrentHashMap<>();
    private final MastershipService mastership;

    FlowTables(MastershipService mastership) {
        this.mastership = mastership;
    }

    /** Returns a device's table, created if needed, set to stamp changes with the current term. */
    DeviceFlowTable forWrite(DeviceId deviceId) {
        DeviceFlowTable table = tables.computeIfAbsent(deviceId, DeviceFlowTable::new);
        table.setTerm(mastership.getMastershipFor(deviceId).term());
        return table;
    }

    /** Returns a device's table, or null when this node holds none. */
    DeviceFlowTable existing(DeviceId deviceId) {
        return tables.get(deviceId);
    }

    Collection<DeviceFlowTable> all() {
        return tables.values();
    }

    void clear() {
        tables.clear();
    }
}
