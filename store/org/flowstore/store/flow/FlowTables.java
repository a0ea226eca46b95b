package org.flowstore.store.flow;

import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.flowstore.api.DeviceId;

/**
 * The device tables this node holds, as master or as standby, created on first use. Whether a
 * table may be written as master (it was taken over in the current term) is {@link TermSync}'s
 * to say. Thread-safe.
 */
final class FlowTables {

    private final ConcurrentMap<DeviceId, DeviceFlowTable> tables = new ConcurrentHashMap<>();
    /** The entries of every table here, kept by the tables as they change. */
    private final LongAdder held = new LongAdder();
    /** Made once: a capturing lambda in {@link #replica} would be allocated on every call (every delta). */
    private final Function<DeviceId, DeviceFlowTable> newTable;

    /** Creates the tables of a node that stamps additions with the system clock. */
    FlowTables() {
        this(Clock.systemUTC());
    }

    /**
     * Creates the tables of a node.
     *
     * @param clock what the tables stamp additions with (see {@link DeviceFlowTable#apply})
     */
    FlowTables(Clock clock) {
        this.newTable = d -> new DeviceFlowTable(d, held, clock);
    }

    /** Returns a device's table, created if needed. */
    DeviceFlowTable replica(DeviceId deviceId) {
        return tables.computeIfAbsent(deviceId, newTable);
    }

    /** Returns how many flows this node holds, as master or standby: an O(1) read, exact when no table is changing. */
    long heldFlows() {
        return held.sum();
    }

    /** Returns a device's table, or null when this node holds none. */
    DeviceFlowTable existing(DeviceId deviceId) {
        return tables.get(deviceId);
    }

    /** Drops this node's copy of a device's table. */
    void drop(DeviceId deviceId) {
        DeviceFlowTable dropped = tables.remove(deviceId);
        if (dropped != null) {
            dropped.detach();
        }
    }

    Collection<DeviceFlowTable> all() {
        return tables.values();
    }

    void clear() {
        tables.keySet().forEach(this::drop);
    }
}
