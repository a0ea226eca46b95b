package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

/**
 * A standby's answer to a delta or a snapshot chunk, with the standby's room: masters refuse
 * writes that add flows to a device whose standby reported it is at its memory bound.
 *
 * @param held true when the standby holds the data (applied, or queued behind a delta in flight)
 * @param version the standby's version after handling it
 * @param reason why the data was not taken (the master then sends a full snapshot); empty when held
 * @param heldFlows the flows the standby holds, as master or standby, after handling it
 * @param maxFlows the standby's memory bound: the most flows it holds before it refuses new ones
 */
public record BackupAck(boolean held, TableVersion version, String reason, long heldFlows, long maxFlows) {

    /** Checks the parts. */
    public BackupAck {
        requireNonNull(version, "version");
        requireNonNull(reason, "reason");
        if (heldFlows < 0 || maxFlows < 1) {
            throw new IllegalArgumentException("a standby holds 0 or more flows (" + heldFlows
                    + ") under a bound of 1 or more (" + maxFlows + ")");
        }
    }

    /**
     * Returns the answer of a standby that holds the data.
     *
     * @param version its version now
     * @param heldFlows the flows it holds
     * @param maxFlows its bound
     * @return the answer
     */
    public static BackupAck held(TableVersion version, long heldFlows, long maxFlows) {
        return new BackupAck(true, version, "", heldFlows, maxFlows);
    }

    /**
     * Returns the answer of a standby that needs a snapshot.
     *
     * @param version its version
     * @param reason why
     * @param heldFlows the flows it holds
     * @param maxFlows its bound
     * @return the answer
     */
    public static BackupAck refused(TableVersion version, String reason, long heldFlows, long maxFlows) {
        return new BackupAck(false, version, reason, heldFlows, maxFlows);
    }
}
