package org.flowstore.api.store;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;

/**
 * One node's own copy of a device's flow table, summarized so that copies can be compared
 * without reading them: two copies with the same count and digest hold the same entries (rules,
 * states and options; not counters, which standbys may see late).
 *
 * @param deviceId the device
 * @param node the node holding this copy
 * @param role what the node is to the device now
 * @param term the mastership term this copy was last written in
 * @param flowCount how many entries the copy holds
 * @param digest an order-independent digest of the entries (0 for an empty copy)
 */
public record ReplicaSummary(DeviceId deviceId, NodeId node, Role role, long term, int flowCount, long digest) {

    /** What the node holding a copy is to its device. */
    public enum Role {
        /** The device's master: its copy is the table. */
        MASTER,
        /** A standby the master replicates to (one of the first {@code backupCount}): its copy is a backup. */
        STANDBY,
        /**
         * Neither: a standby beyond those replicated to, or a copy left from an earlier role; it
         * holds what it held last, until it is refreshed (it becomes a replicated standby) or dropped.
         */
        STALE
    }

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if an identifier or the role is null
     * @throws IllegalArgumentException if the count is negative
     */
    public ReplicaSummary {
        requireNonNull(deviceId, "deviceId");
        requireNonNull(node, "node");
        requireNonNull(role, "role");
        if (flowCount < 0) {
            throw new IllegalArgumentException("flowCount must not be negative: " + flowCount);
        }
    }
}
