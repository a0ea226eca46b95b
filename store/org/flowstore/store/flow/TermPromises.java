package org.flowstore.store.flow;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.flowstore.api.DeviceId;

/**
 * Per device, the highest mastership term this node promised to a new master: once a node has
 * told a new master of term T what its copy holds, it takes no data of an older term (as a
 * standby) and acknowledges no write of an older term (as a deposed master that has not heard of
 * the election yet). This fence is what makes a master's own view of its mastership irrelevant
 * to safety: the new master's promise reaches the old one before the new master serves.
 *
 * <p>Thread-safe; a promise only ever grows.
 */
final class TermPromises {

    private final ConcurrentMap<DeviceId, Long> promised = new ConcurrentHashMap<>();

    /** Records a promise of a term; returns the highest term promised for the device. */
    long promise(DeviceId deviceId, long term) {
        return promised.merge(deviceId, term, Math::max);
    }

    /** Returns the highest term promised for a device, 0 if none. */
    long promised(DeviceId deviceId) {
        return promised.getOrDefault(deviceId, 0L);
    }
}
