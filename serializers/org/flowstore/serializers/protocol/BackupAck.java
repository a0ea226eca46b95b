package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

/**
 * A standby's answer to a delta or a snapshot chunk.
 *
 * @param held true when the standby holds the data (applied, or queued behind a delta in flight)
 * @param version the standby's version after handling it
 * @param reason why the data was not taken (the master then sends a full snapshot); empty when held
 */
public record BackupAck(boolean held, TableVersion version, String reason) {

    /** Checks the parts. */
    public BackupAck {
        requireNonNull(version, "version");
        requireNonNull(reason, "reason");
    }

    /**
     * Returns the answer of a standby that holds the data.
     *
     * @param version its version now
     * @return the answer
     */
    public static BackupAck held(TableVersion version) {
        return new BackupAck(true, version, "");
    }

    /**
     * Returns the answer of a standby that needs a snapshot.
     *
     * @param version its version
     * @param reason why
     * @return the answer
     */
    public static BackupAck refused(TableVersion version, String reason) {
        return new BackupAck(false, version, reason);
    }
}
