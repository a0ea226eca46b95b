package org.flowstore.store.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.BucketRepair;
import org.flowstore.serializers.protocol.DigestCheck;
import org.flowstore.serializers.protocol.DigestResult;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * The standby's side of replication: applies a master's deltas and snapshots to this node's copy
 * of a device table, in version order.
 *
 * <p>A delta applies only on top of a version within its range, in its lineage; one that cannot
 * apply is refused, and the master answers with a snapshot. Data from an older term than this
 * node knows is refused: a deposed master cannot overwrite its successor. A delta that arrives
 * while a snapshot is coming in is refused too: it is held only once it is applied, and a
 * snapshot may never complete (its sender may die or be deposed), so the master's next snapshot,
 * taken after the delta, brings it. Only what this copy holds is ever answered as held.
 *
 * <p>Thread-safety: each device's copy is updated under that device's receiver state lock.
 */
final class BackupReceiver {

    private static final Logger log = LoggerFactory.getLogger(BackupReceiver.class);

    /** Per device: the snapshot being received. */
    private static final class ReplicaState {
        long snapshotId;
        int nextChunk = -1;
        TableVersion snapshotVersion;
        List<FlowEntry> snapshotEntries;
    }

    private final NodeId localNode;
    private final FlowTables tables;
    private final MastershipService mastership;
    private final TermPromises promises;
    private final Map<DeviceId, ReplicaState> states = new ConcurrentHashMap<>();
    /** Tells the masters, in every answer, how many flows this node holds and may hold. */
    private final FlowCapacity capacity;

    BackupReceiver(NodeId localNode, FlowTables tables, MastershipService mastership, TermPromises promises,
                   FlowCapacity capacity) {
        this.capacity = capacity;
        this.promises = promises;
        this.localNode = localNode;
        this.tables = tables;
        this.mastership = mastership;
    }

    /** Serves the masters' deltas, snapshots, digests and repairs, on the router's replication threads. */
    void serve(MasterRouter router) {
        router.serveReplication(FlowStoreSubjects.BACKUP_DELTA, BackupDelta.class, this::onDelta);
        router.serveReplication(FlowStoreSubjects.BACKUP_SNAPSHOT, SnapshotChunk.class, this::onSnapshotChunk);
        router.serveReplication(FlowStoreSubjects.DIGEST_CHECK, DigestCheck.class, this::onDigestCheck);
        router.serveReplication(FlowStoreSubjects.BUCKET_REPAIR, BucketRepair.class, this::onBucketRepair);
    }

    /**
     * Answers a new master's question about this copy's version, and from then on refuses data
     * from older terms (and, as a deposed master, acknowledges no more writes: see
     * {@link TermPromises}).
     *
     * @param claimed true for the version this copy vouches for ({@link DeviceFlowTable#claimedVersion}),
     *                false for everything it holds
     */
    TableVersion promise(DeviceId deviceId, long term, boolean claimed) {
        ReplicaState state = states.computeIfAbsent(deviceId, d -> new ReplicaState());
        synchronized (state) {
            promises.promise(deviceId, term);
            DeviceFlowTable table = tables.existing(deviceId);
            return table == null ? TableVersion.EMPTY : claimed ? table.claimedVersion() : table.version();
        }
    }

    Reply onDelta(NodeId sender, BackupDelta delta) {
        DeviceId deviceId = delta.deviceId();
        String refusal = refuseSender(sender, deviceId, delta.term());
        if (refusal != null) {
            return refused(deviceId, refusal, sender);
        }
        ReplicaState state = states.computeIfAbsent(deviceId, d -> new ReplicaState());
        synchronized (state) {
            String stale = olderThanPromise(deviceId, "delta", delta.term(), sender);
            if (stale != null) {
                return refused(deviceId, stale, sender);
            }
            DeviceFlowTable table = tables.replica(deviceId);
            TableVersion current = table.version();
            if (delta.term() < current.term()) {
                return refused(deviceId, "delta of term " + delta.term() + " is older than this copy (" + current + ")",
                        sender);
            }
            if (state.snapshotEntries != null) {
                return refused(deviceId, "a snapshot of " + deviceId + " is coming in; the delta is not held", sender);
            }
            if (delta.from().compareTo(current) > 0) {
                // Deltas arrive in order, so this one follows a delta this copy never got.
                return refused(deviceId, "copy at " + current + " misses the changes before " + delta.from(), sender);
            }
            if (covers(delta, current)) {
                try {
                    table.applyDelta(delta);
                } catch (IllegalStateException unresolved) {
                    // An update or removal names a flow this copy does not hold, or holds twice: a snapshot mends it.
                    return refused(deviceId, unresolved.getMessage(), sender);
                }
                return Reply.of(capacity.held(table.version()));
            }
            if (delta.to().term() == current.term() && delta.to().clock() <= current.clock()) {
                return Reply.of(capacity.held(current));
            }
            return refused(deviceId, "copy at " + current + " cannot take delta " + delta.from() + "->" + delta.to(),
                    sender);
        }
    }

    Reply onSnapshotChunk(NodeId sender, SnapshotChunk chunk) {
        DeviceId deviceId = chunk.deviceId();
        boolean toNewMaster = chunk.term() == 0;
        if (toNewMaster && !takingOver(deviceId)) {
            return refused(deviceId, localNode + " did not ask for a copy of " + deviceId, sender);
        }
        if (!toNewMaster) {
            String refusal = refuseSender(sender, deviceId, chunk.term());
            if (refusal != null) {
                return refused(deviceId, refusal, sender);
            }
        }
        ReplicaState state = states.computeIfAbsent(deviceId, d -> new ReplicaState());
        synchronized (state) {
            String stale = toNewMaster ? null : olderThanPromise(deviceId, "snapshot", chunk.term(), sender);
            if (stale != null) {
                return refused(deviceId, stale, sender);
            }
            DeviceFlowTable table = tables.replica(deviceId);
            if (chunk.index() == 0) {
                state.snapshotId = chunk.snapshotId();
                state.snapshotVersion = chunk.version();
                state.snapshotEntries = new ArrayList<>();
                state.nextChunk = 0;
            } else if (state.snapshotEntries == null || state.snapshotId != chunk.snapshotId()
                    || state.nextChunk != chunk.index()) {
                return refused(deviceId, "chunk " + chunk.index() + " of snapshot " + chunk.snapshotId()
                        + " arrived out of order", sender);
            }
            state.snapshotEntries.addAll(chunk.entries());
            state.nextChunk++;
            if (!chunk.last()) {
                return Reply.of(capacity.held(table.version()));
            }
            table.install(state.snapshotVersion, state.snapshotEntries, chunk.statistics());
            state.snapshotEntries = null;
            state.nextChunk = -1;
            log.debug("Node {} installed a snapshot of {} from {} at {}", localNode, deviceId, sender, table.version());
            return Reply.of(capacity.held(table.version()));
        }
    }

    /** Compares a master's bucket digests with this copy's (anti-entropy). */
    Reply onDigestCheck(NodeId sender, DigestCheck check) {
        String refusal = refuseSender(sender, check.deviceId(), check.term());
        if (refusal != null) {
            return Reply.failure(refusal);
        }
        DeviceFlowTable.Digests own = tables.replica(check.deviceId()).versionedDigests();
        if (!own.version().equals(check.version()) || own.digests().length != check.digests().length) {
            return Reply.of(new DigestResult(own.version(), List.of()));
        }
        List<Integer> differing = new ArrayList<>();
        for (int i = 0; i < own.digests().length; i++) {
            if (own.digests()[i] != check.digests()[i]) {
                differing.add(i);
            }
        }
        return Reply.of(new DigestResult(own.version(), differing));
    }

    /** Replaces the buckets anti-entropy found different with the master's content. */
    Reply onBucketRepair(NodeId sender, BucketRepair repair) {
        DeviceId deviceId = repair.deviceId();
        String refusal = refuseSender(sender, deviceId, repair.term());
        if (refusal != null) {
            return refused(deviceId, refusal, sender);
        }
        ReplicaState state = states.computeIfAbsent(deviceId, d -> new ReplicaState());
        synchronized (state) {
            String stale = olderThanPromise(deviceId, "repair", repair.term(), sender);
            if (stale != null) {
                return refused(deviceId, stale, sender);
            }
            DeviceFlowTable table = tables.replica(deviceId);
            if (!table.replaceBuckets(repair.version(), repair.buckets(), repair.entries())) {
                return refused(deviceId, "copy moved from " + repair.version() + " to " + table.version(), sender);
            }
            log.warn("Node {} repaired buckets {} of its copy of {} from master {}", localNode, repair.buckets(),
                    deviceId, sender);
            return Reply.of(capacity.held(table.version()));
        }
    }

    /** Why data of a term is refused because a newer master asked this copy first, or null. */
    private String olderThanPromise(DeviceId deviceId, String what, long term, NodeId sender) {
        long promised = promises.promised(deviceId);
        return term < promised ? what + " of term " + term + " from " + sender + " is older than term "
                + promised + " of a new master" : null;
    }

    /** Forgets a device's receiver state (its copy was dropped). */
    void forget(DeviceId deviceId) {
        states.remove(deviceId);
    }

    /** Why data from a sender for a device in a term is refused, or null when it is accepted. */
    private String refuseSender(NodeId sender, DeviceId deviceId, long term) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        if (term > info.term()) {
            // This node's view lags behind the sender's election; versions still guard the copy.
            return null;
        }
        if (info.isMaster(localNode)) {
            return localNode + " is the master of " + deviceId + " in term " + info.term();
        }
        if (!info.isMaster(sender)) {
            return "data of term " + term + " from " + sender + " is stale: " + deviceId + " is mastered by "
                    + info.master().map(NodeId::toString).orElse("nobody") + " in term " + info.term();
        }
        // The current master, possibly re-elected since: its data applies only on top of its own
        // versions, which a copy from another lineage never matches.
        return null;
    }

    /**
     * True when a delta can apply to a copy at a version: the version lies in the delta's range,
     * in the delta's lineage. A delta holds the latest form of every entry it changed, so applying
     * it on top of any state within its range gives the state at its end.
     */
    private static boolean covers(BackupDelta delta, TableVersion current) {
        boolean inRange = delta.from().compareTo(current) <= 0 && current.compareTo(delta.to()) < 0;
        boolean sameLineage = current.term() == delta.from().term() || current.term() == delta.to().term();
        return inRange && sameLineage;
    }

    private Reply refused(DeviceId deviceId, String reason, NodeId sender) {
        DeviceFlowTable table = tables.existing(deviceId);
        log.debug("Node {} refused replication data of {} from {}: {}", localNode, deviceId, sender, reason);
        return Reply.of(capacity.refused(table == null ? TableVersion.EMPTY : table.version(), reason));
    }

    /**
     * True while this node masters a device and is still bringing its copy up to date: the only
     * time it takes a snapshot from a standby.
     */
    private boolean takingOver(DeviceId deviceId) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        DeviceFlowTable table = tables.existing(deviceId);
        return info.isMaster(localNode) && (table == null || table.activeTerm() != info.term());
    }
}
