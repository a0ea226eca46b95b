package org.flowstore.store.flow;

import org.flowstore.api.cluster.MessageSubject;

/** Every message subject the flow store sends or handles: the one place to find its protocol. */
public final class FlowStoreSubjects {

    /** Batch forwarded to the device's master; reply: accepted, or why not. */
    public static final MessageSubject BATCH_APPLY = new MessageSubject("flowstore-batch-apply");
    /** A device finished a batch; sent to the master, which routes it to the issuer. */
    public static final MessageSubject BATCH_COMPLETE = new MessageSubject("flowstore-batch-complete");
    /** A finished batch's outcome ({@code BatchCompletion}), sent by the master to the node that issued the batch. */
    public static final MessageSubject BATCH_COMPLETED_DELIVER = new MessageSubject("flowstore-completion-deliver");
    /** Entry with the match of a rule. */
    public static final MessageSubject ENTRY_GET = new MessageSubject("flowstore-entry-get");
    /** Entry with a flow id. */
    public static final MessageSubject ENTRY_GET_BY_ID = new MessageSubject("flowstore-entry-getbyid");
    /** Every entry of a device. */
    public static final MessageSubject ENTRIES_GET = new MessageSubject("flowstore-entries-get");
    /** Entry count of a device, all or in one state. */
    public static final MessageSubject COUNT_GET = new MessageSubject("flowstore-count-get");
    public static final MessageSubject COUNTS_GET = new MessageSubject("flowstore-counts-get");
    /** Sum of the entry counts of the devices a node masters. */
    public static final MessageSubject TOTAL_COUNT_GET = new MessageSubject("flowstore-totalcount-get");
    /** A device's report of an entry (addOrUpdateFlowRule). */
    public static final MessageSubject ENTRY_REPORT = new MessageSubject("flowstore-entry-report");
    /** Remove an entry (removeFlowRule). */
    public static final MessageSubject ENTRY_REMOVE = new MessageSubject("flowstore-entry-remove");
    /** Move an entry back to PENDING_ADD (pendingFlowRule). */
    public static final MessageSubject ENTRY_PENDING = new MessageSubject("flowstore-entry-pending");
    /** Remove a device's entries, all or one application's. */
    public static final MessageSubject ENTRIES_PURGE = new MessageSubject("flowstore-entries-purge");
    /** Store a device's table statistics. */
    public static final MessageSubject TABLE_STATS_UPDATE = new MessageSubject("flowstore-tablestats-update");
    /** Read a device's table statistics. */
    public static final MessageSubject TABLE_STATS_GET = new MessageSubject("flowstore-tablestats-get");

    /** A master's changes to a device table, to a standby; reply: {@code BackupAck}. */
    public static final MessageSubject BACKUP_DELTA = new MessageSubject("flowstore-backup-apply");
    /** One chunk of a whole device table, to a copy that is new or behind; reply: {@code BackupAck}. */
    public static final MessageSubject BACKUP_SNAPSHOT = new MessageSubject("flowstore-snapshot-apply");
    /** The version of a node's copy of a device table; reply: {@code TableVersion}. */
    public static final MessageSubject VERSION_GET = new MessageSubject("flowstore-version-get");
    /** A new master asks a standby to send its more advanced copy; reply once it was sent. */
    public static final MessageSubject SNAPSHOT_REQUEST = new MessageSubject("flowstore-snapshot-request");

    /** Anti-entropy: a master's bucket digests; reply: {@code DigestResult}. */
    public static final MessageSubject DIGEST_CHECK = new MessageSubject("flowstore-digest-check");
    /** Anti-entropy: the content of the buckets that differ; reply: {@code BackupAck}. */
    public static final MessageSubject BUCKET_REPAIR = new MessageSubject("flowstore-bucket-repair");

    private FlowStoreSubjects() {
    }
}
