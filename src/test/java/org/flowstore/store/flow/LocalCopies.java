package org.flowstore.store.flow;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.flowstore.api.DeviceId;

/**
 * Describes a node's own copy of a device's table, whatever its role, for tests that check
 * copies node by node (from another package or another process). Never used to answer a caller.
 */
public final class LocalCopies {

    private LocalCopies() {
    }

    /**
     * Returns one line: the copy's version, count (and the count of a walk over its entries), a
     * hash of its bucket digests, and the flow ids it holds; or {@code none}.
     *
     * @param store the node's store
     * @param deviceId the device
     * @return the description
     */
    public static String describe(DistributedFlowRuleStore store, DeviceId deviceId) {
        DeviceFlowTable table = store.localCopy(deviceId);
        if (table == null) {
            return "none";
        }
        synchronized (table) {
            String ids = table.entries().stream().map(e -> Long.toHexString(e.id().value()))
                    .collect(Collectors.joining(","));
            return "version=" + table.version() + " claimed=" + table.claimedVersion() + " count=" + table.count()
                    + " walked=" + table.entries().size() + " digest=" + Arrays.hashCode(table.digests())
                    + " ids=" + ids;
        }
    }
}
