package org.flowstore.store.flow;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.flowstore.api.DeviceId;

/**
 * The device tables this node holds, as master or as standby, created on first use. Whether a
 * table may be written as master (it was taken over in the current term) is {@link TermSync}'s
 * to say. Thread-safe.
 */
final class FlowTables {

    private final ConcurrentMap<DeviceId, DeviceFlowTable> tables = new ConcurrentHashMap<>();

    /** Returns a device's table, created if needed. */
    DeviceFlowTable replica(DeviceId deviceId) {
        return tables.computeIfAbsent(deviceId, DeviceFlowTable::new);
    }

    /** Returns a device's table, or null when this node holds none. */
    DeviceFlowTable existing(DeviceId deviceId) {
        return tables.get(deviceId);
    }

    /** Drops this node's copy of a device's table. */
    void drop(DeviceId deviceId) {
        tables.remove(deviceId);
    }

    Collection<DeviceFlowTable> all() {
        return tables.values();
    }

    void clear() {
        tables.clear();
    }
}
