package org.flowstore.store.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.google.common.collect.Lists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.EntryUpdate;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * The master's side of replication: sends each device's changes, as deltas, to the first
 * {@code backupCount} standbys, and whole tables, as chunked snapshots, to standbys that are new
 * or behind.
 *
 * <p>A delta carries only the entries that changed (their latest form) and the rules removed, so
 * a change costs its own size whatever the table's. In {@code sync} mode a batch's delta is cut
 * with the batch and the batch is acknowledged once {@link #replicate} completes; everything
 * else (device statistics, and all changes in {@code async} mode) is cut and sent every
 * {@code backupPeriod} by the flush task. No message carries more than
 * {@value #MAX_ENTRIES_PER_MESSAGE} entries: large deltas go in consecutive pieces, snapshots in
 * chunks. Each standby of a device has one message in flight at a time; the deltas cut meanwhile
 * go together as one when it is answered ({@link StandbyLane}).
 *
 * <p>A standby that refuses a delta (it is not at the delta's base version) or does not answer
 * gets a snapshot; one resynchronisation per (device, standby) runs at a time. Replication
 * reports what the standbys did ({@link Replication}) and the caller decides: a sync-mode batch
 * is acknowledged only when {@link ReplicaQuorum#requiredCopies} standbys hold it.
 *
 * <p>Threads: the flush task runs on the store's scheduler; replies are handled on the transport's
 * threads and never block.
 */
final class Replicator {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);

    /** Most entries in one message (about 100 to 300 bytes each: well under 1 MiB). */
    static final int MAX_ENTRIES_PER_MESSAGE = 2000;

    private record Target(DeviceId deviceId, NodeId standby) {
    }

    private final MasterRouter router;
    private final FlowTables tables;
    private final MastershipService mastership;
    private final ReplicaQuorum quorum;
    private final Supplier<StoreConfig> config;
    private final NodeId localNode;
    /** Per standby of each device: the delta in flight and those cut since, which go next, together. */
    private final Map<Target, StandbyLane> lanes = new ConcurrentHashMap<>();
    /** Resynchronisations running, and the ones queued behind them; guarded by {@code resyncs}. */
    private final Map<Target, CompletableFuture<Boolean>> resyncs = new HashMap<>();
    private final Map<Target, CompletableFuture<Boolean>> queuedResyncs = new HashMap<>();
    private final AtomicLong snapshotIds = new AtomicLong();
    /** Per device, the last term of this node's in which a standby showed it a newer master (warned once). */
    private final Map<DeviceId, Long> supersededTerms = new ConcurrentHashMap<>();
    /** Standbys whose last delta or snapshot was lost: logged once per outage, not once per message. */
    private final OutageLog<Target> unreachable = new OutageLog<>();
    private final PeriodicTask rounds;
    /** Learns the standbys' room from their answers. */
    private final FlowCapacity capacity;

    Replicator(MasterRouter router, FlowTables tables, MastershipService mastership, ReplicaQuorum quorum,
               Supplier<StoreConfig> config, ScheduledExecutorService scheduler, FlowCapacity capacity) {
        this.router = router;
        this.capacity = capacity;
        this.quorum = quorum;
        this.tables = tables;
        this.mastership = mastership;
        this.config = config;
        this.rounds = new PeriodicTask("replication on node " + router.localNode(), this::flush,
                () -> config.get().backupPeriod(), scheduler);
        this.localNode = router.localNode();
    }

    /** Starts (or restarts, after a change of period) the rounds. */
    void schedule() {
        rounds.schedule();
    }

    void stop() {
        rounds.stop();
    }

    /**
     * Returns the standbys that hold copies of a device's table: the first backupCount standbys
     * that are up. A dead standby stays in the election until the cluster evicts it (seconds,
     * longer while a Raft partition elects a leader); writes acknowledged meanwhile must not
     * rest on the master alone, so the next live standby takes its place (it is brought up to
     * date by a snapshot before it acknowledges).
     */
    List<NodeId> targets(DeviceId deviceId) {
        StoreConfig c = config.get();
        if (!c.backupEnabled()) {
            return List.of();
        }
        return mastership.getMastershipFor(deviceId).backups().stream().filter(quorum::isActive)
                .limit(c.backupCount()).toList();
    }

    /** What a standby did with a delta. */
    enum Status {
        /** It holds the delta (applied, or through a snapshot taken after it). */
        HELD,
        /** It did not confirm (no answer in time, or its snapshot failed): it may or may not hold it. */
        UNCONFIRMED,
        /** It holds data of a newer term: this node is no longer the master. */
        SUPERSEDED
    }

    /**
     * What a device's target standbys did with a delta.
     *
     * @param status the worst of the standbys' statuses (SUPERSEDED, then UNCONFIRMED, then HELD)
     * @param copies how many standbys hold the delta
     * @param unconfirmed the standbys that did not confirm it
     */
    record Replication(Status status, int copies, List<NodeId> unconfirmed) {

        /** Nothing changed: there was nothing for the standbys to hold. */
        static final Replication NOTHING_TO_SEND = new Replication(Status.HELD, Integer.MAX_VALUE, List.of());
    }

    /**
     * Sends a delta to the device's target standbys. When every target holds it, the table's
     * acknowledged version moves to the delta's end (see {@link DeviceFlowTable#claimedVersion}).
     * A standby that does not answer is caught up by a snapshot in the background.
     *
     * @return what the standbys did; never fails
     */
    CompletableFuture<Replication> replicate(BackupDelta delta) {
        if (delta == null) {
            return CompletableFuture.completedFuture(Replication.NOTHING_TO_SEND);
        }
        List<NodeId> targets = targets(delta.deviceId());
        if (targets.isEmpty()) {
            acknowledged(delta);
            return CompletableFuture.completedFuture(new Replication(Status.HELD, 0, List.of()));
        }
        List<CompletableFuture<Status>> sent = new ArrayList<>(targets.size());
        for (NodeId standby : targets) {
            sent.add(lanes.computeIfAbsent(new Target(delta.deviceId(), standby), StandbyLane::new).enqueue(delta));
        }
        return CompletableFuture.allOf(sent.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<NodeId> unconfirmed = new ArrayList<>();
            boolean superseded = false;
            for (int i = 0; i < targets.size(); i++) {
                Status status = sent.get(i).join();
                superseded |= status == Status.SUPERSEDED;
                if (status != Status.HELD) {
                    unconfirmed.add(targets.get(i));
                }
            }
            if (unconfirmed.isEmpty()) {
                acknowledged(delta);
            }
            Status worst = superseded ? Status.SUPERSEDED : unconfirmed.isEmpty() ? Status.HELD : Status.UNCONFIRMED;
            return new Replication(worst, targets.size() - unconfirmed.size(), List.copyOf(unconfirmed));
        });
    }

    private void acknowledged(BackupDelta delta) {
        DeviceFlowTable table = tables.existing(delta.deviceId());
        if (table != null) {
            table.markAcknowledged(delta.to());
        }
    }

    /** Cuts and sends the pending changes of every table this node masters. */
    void flush() {
        for (DeviceFlowTable table : tables.all()) {
            MastershipInfo info = mastership.getMastershipFor(table.deviceId());
            // A table not yet taken over in the current term has nothing of this term to send.
            if (info.isMaster(localNode) && table.activeTerm() == info.term()) {
                if (targets(table.deviceId()).isEmpty()) {
                    table.resetDirty();
                } else {
                    table.cutAndHandOff(this::replicate);
                }
            }
        }
    }

    /**
     * Sends a whole table to a standby. If a resynchronisation of it is already running, one more
     * follows it (shared by every caller meanwhile), so the snapshot the caller waits for is taken
     * after the caller's change.
     *
     * @return true when the standby took the last chunk; false when it failed (logged). Never fails.
     */
    CompletableFuture<Boolean> resync(DeviceId deviceId, NodeId standby) {
        Target target = new Target(deviceId, standby);
        CompletableFuture<Boolean> mine;
        synchronized (resyncs) {
            if (resyncs.containsKey(target)) {
                return queuedResyncs.computeIfAbsent(target, t -> new CompletableFuture<>());
            }
            mine = new CompletableFuture<>();
            resyncs.put(target, mine);
        }
        launch(target, mine);
        return mine;
    }

    /**
     * Sends the table (outside any lock: the snapshot takes the table's lock) and, once it is
     * done, starts the resynchronisation queued behind it, if any.
     */
    private void launch(Target target, CompletableFuture<Boolean> result) {
        sendWholeTable(target).whenComplete((ok, e) -> {
            CompletableFuture<Boolean> next;
            synchronized (resyncs) {
                next = queuedResyncs.remove(target);
                if (next == null) {
                    resyncs.remove(target);
                } else {
                    resyncs.put(target, next);
                }
            }
            result.complete(Boolean.TRUE.equals(ok));
            if (next != null) {
                launch(target, next);
            }
        });
    }

    private CompletableFuture<Boolean> sendWholeTable(Target target) {
        DeviceFlowTable table = tables.existing(target.deviceId());
        if (table == null) {
            return CompletableFuture.completedFuture(false);
        }
        MastershipInfo info = mastership.getMastershipFor(target.deviceId());
        if (table.stampedTerm() != info.term()) {
            // Not (yet) this term's copy: sent as the master's data of the term, it would carry an
            // older term's unacknowledged writes into the new term. Alignment sends it once stamped.
            log.debug("Node {} does not send its copy of {} to {}: it is of term {}, the master's term is {}", localNode,
                    target.deviceId(), target.standby(), table.stampedTerm(), info.term());
            return CompletableFuture.completedFuture(false);
        }
        DeviceFlowTable.Snapshot snapshot = table.snapshot();
        log.debug("Node {} sends {} entries of {} at {} to {}", localNode, snapshot.entries().size(),
                target.deviceId(), snapshot.version(), target.standby());
        CompletableFuture<Void> sent;
        try {
            sent = sendSnapshot(target.deviceId(), info.term(), snapshot, target.standby());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((ok, e) -> {
            if (e != null) {
                lost(target, "snapshot", e);
            } else {
                reached(target);
            }
            return e == null;
        });
    }

    /**
     * Sends a snapshot in chunks, each after the previous one was taken.
     *
     * @param term the sender's mastership term, or 0 when a standby sends its copy to a new master
     * @return completes when the last chunk was taken; fails if a chunk was refused or lost
     */
    CompletableFuture<Void> sendSnapshot(DeviceId deviceId, long term, DeviceFlowTable.Snapshot snapshot, NodeId to) {
        long id = ((long) localNode.hashCode() << 32) ^ snapshotIds.incrementAndGet();
        List<List<FlowEntry>> parts = snapshot.entries().isEmpty() ? List.of(List.of())
                : Lists.partition(snapshot.entries(), MAX_ENTRIES_PER_MESSAGE);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            SnapshotChunk chunk = new SnapshotChunk(deviceId, term, id, snapshot.version(), i, last, parts.get(i),
                    last ? snapshot.statistics() : null);
            chain = chain.thenCompose(v -> router.send(FlowStoreSubjects.BACKUP_SNAPSHOT, chunk, to))
                    .thenAccept(reply -> requireHeld(reply, deviceId, to));
        }
        return chain;
    }

    /**
     * Sends a delta's pieces in order to one standby. A standby that is not at the delta's base
     * gets a snapshot (taken after the delta, so it holds the delta too); one that does not
     * answer gets one in the background.
     */
    private CompletableFuture<Status> sendPieces(List<BackupDelta> pieces, NodeId standby) {
        CompletableFuture<DeltaOutcome> chain = CompletableFuture.completedFuture(DeltaOutcome.HELD);
        for (BackupDelta piece : pieces) {
            chain = chain.thenCompose(outcome -> outcome != DeltaOutcome.HELD ? CompletableFuture.completedFuture(outcome)
                    : router.send(FlowStoreSubjects.BACKUP_DELTA, piece, standby).thenApply(reply -> {
                        BackupAck ack = ack(reply, standby);
                        if (ack.held()) {
                            return DeltaOutcome.HELD;
                        }
                        if (ack.version().term() > piece.term()) {
                            // Once per term of this node's: every write until it learns of the new master meets it.
                            Long warned = supersededTerms.put(piece.deviceId(), piece.term());
                            if (warned == null || warned != piece.term()) {
                                log.warn("Node {} is no longer the master of {}: standby {} holds term {} (this node"
                                        + " wrote in term {}); its writes in term {} are not acknowledged", localNode,
                                        piece.deviceId(), standby, ack.version().term(), piece.term(), piece.term());
                            }
                            return DeltaOutcome.SUPERSEDED;
                        }
                        log.info("Standby {} of device {} is at {} and refused delta {}->{} ({}); sending a snapshot",
                                standby, piece.deviceId(), ack.version(), piece.from(), piece.to(), ack.reason());
                        return DeltaOutcome.REFUSED;
                    }));
        }
        DeviceId deviceId = pieces.get(0).deviceId();
        return chain.handle((outcome, e) -> {
            if (e != null) {
                lost(new Target(deviceId, standby), "delta", e);
                resync(deviceId, standby);
                return CompletableFuture.completedFuture(Status.UNCONFIRMED);
            }
            return switch (outcome) {
                case HELD -> {
                    reached(new Target(deviceId, standby));
                    yield CompletableFuture.completedFuture(Status.HELD);
                }
                // A snapshot would be refused too: a newer master exists.
                case SUPERSEDED -> CompletableFuture.completedFuture(Status.SUPERSEDED);
                case REFUSED -> resync(deviceId, standby).thenApply(ok -> ok ? Status.HELD : Status.UNCONFIRMED);
            };
        }).thenCompose(f -> f);
    }

    /**
     * A message to a standby was lost. The first loss of an outage is a warning; the ones that
     * follow while the standby stays out of reach (every write sends it one) are debug only.
     */
    private void lost(Target target, String what, Throwable e) {
        if (unreachable.failed(target)) {
            log.warn("Standby {} of device {} did not take a {} from master {}: {}; once it answers, the next change"
                    + " or anti-entropy round sends it a snapshot (further losses are logged at debug)",
                    target.standby(), target.deviceId(), what, localNode, e.toString());
        } else {
            log.debug("Standby {} of device {} still out of reach of master {} ({}): {}", target.standby(),
                    target.deviceId(), localNode, what, e.toString());
        }
    }

    private void reached(Target target) {
        int lost = unreachable.succeeded(target);
        if (lost > 0) {
            log.info("Standby {} of device {} takes replication from master {} again ({} messages lost meanwhile)",
                    target.standby(), target.deviceId(), localNode, lost);
        }
    }

    /** A delta waiting for its standby, and what its caller is told. */
    private record Queued(BackupDelta delta, CompletableFuture<Status> result) {
    }

    /**
     * One standby of one device: one message in flight at a time, in the order the deltas were
     * cut, so that the standby sees a gap only when a delta was really lost, never because
     * messages overtook each other. The deltas cut while a message is in flight wait, and go
     * together as one delta when it is answered (group commit): under many small concurrent
     * batches a device's replication costs one round trip per group, not per batch, and the
     * standby applies each rule once however often it changed meanwhile.
     *
     * <p>Thread-safe: the state is guarded by the lane's monitor; the next group is taken and sent
     * on the thread that completed the previous message (the transport's), never blocking, and
     * before the previous group's callers are told.
     */
    private final class StandbyLane {

        private final Target target;
        private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
        private boolean sending;

        StandbyLane(Target target) {
            this.target = target;
        }

        /** Sends a delta now if nothing is in flight, else with the next group; never fails. */
        CompletableFuture<Status> enqueue(BackupDelta delta) {
            CompletableFuture<Status> result = new CompletableFuture<>();
            List<Queued> group;
            synchronized (this) {
                waiting.addLast(new Queued(delta, result));
                if (sending) {
                    return result;
                }
                sending = true;
                group = nextGroup();
            }
            send(group);
            return result;
        }

        private void send(List<Queued> group) {
            CompletableFuture<Status> sent;
            try {
                sent = sendPieces(pieces(merge(group.stream().map(Queued::delta).toList())), target.standby());
            } catch (RuntimeException e) {
                log.warn("Master {} could not send changes of {} to standby {}", localNode, target.deviceId(),
                        target.standby(), e);
                sent = CompletableFuture.completedFuture(Status.UNCONFIRMED);
            }
            sent.whenComplete((status, e) -> {
                List<Queued> next;
                synchronized (this) {
                    next = waiting.isEmpty() ? null : nextGroup();
                    sending = next != null;
                }
                // The next group goes before this one's callers run their continuations on this thread: the
                // standby takes it while the master acknowledges these batches.
                if (next != null) {
                    send(next);
                }
                Status outcome = e == null ? status : Status.UNCONFIRMED;
                group.forEach(q -> q.result().complete(outcome));
            });
        }

        /**
         * Takes the waiting deltas that go as one: consecutive (each starts where the one before
         * ended, in one term), of disjoint matches (see {@link #disjoint}), and together within
         * {@value #MAX_ENTRIES_PER_MESSAGE} changes; the first always goes (a larger one travels in
         * pieces). Called holding the lane's monitor.
         */
        private List<Queued> nextGroup() {
            List<Queued> group = new ArrayList<>();
            Queued first = waiting.removeFirst();
            group.add(first);
            TableVersion end = first.delta().to();
            int changes = first.delta().size();
            Set<Long> hashes = null;
            while (!waiting.isEmpty()) {
                BackupDelta next = waiting.peekFirst().delta();
                if (!next.from().equals(end) || next.term() != first.delta().term()
                        || changes + next.size() > MAX_ENTRIES_PER_MESSAGE) {
                    break;
                }
                if (hashes == null) {
                    hashes = new HashSet<>();
                    disjoint(hashes, first.delta());
                }
                if (!disjoint(hashes, next)) {
                    break;
                }
                group.add(waiting.removeFirst());
                end = next.to();
                changes += next.size();
            }
            return group;
        }
    }

    /**
     * Returns consecutive deltas of disjoint matches (see {@link #disjoint}) as one, from the
     * first's base to the last's end: their changes side by side, and the last statistics sent.
     */
    static BackupDelta merge(List<BackupDelta> deltas) {
        if (deltas.size() == 1) {
            return deltas.get(0);
        }
        BackupDelta.Builder merged = BackupDelta.builder();
        List<TableStatisticsEntry> statistics = null;
        for (BackupDelta d : deltas) {
            d.upserts().forEach(merged::upsert);
            d.updates().forEach(merged::update);
            d.removals().forEach(merged::remove);
            if (d.statistics() != null) {
                statistics = d.statistics();
            }
        }
        BackupDelta first = deltas.get(0);
        TableVersion to = deltas.get(deltas.size() - 1).to();
        return merged.build(first.deviceId(), first.term(), first.from(), to, statistics);
    }

    /**
     * Adds a delta's match hashes to those of a group, and returns false, adding none, when one
     * of them is there already. A flow's changes in consecutive deltas do not add up side by side
     * (an update names the flow by id, an upsert replaces by match, a removal names the id the
     * standby held): only deltas that change different matches merge. Two matches with colliding
     * hashes merely stay apart.
     */
    static boolean disjoint(Set<Long> groupHashes, BackupDelta delta) {
        List<Long> hashes = new ArrayList<>(delta.size());
        delta.upserts().forEach(e -> hashes.add(e.id().matchHash()));
        delta.updates().forEach(u -> hashes.add(u.flowId().matchHash()));
        delta.removals().forEach(id -> hashes.add(id.matchHash()));
        for (Long hash : hashes) {
            if (groupHashes.contains(hash)) {
                return false;
            }
        }
        groupHashes.addAll(hashes);
        return true;
    }

    /** What a standby did with a delta. */
    private enum DeltaOutcome {
        /** It holds the delta. */
        HELD,
        /** It is not at the delta's base: it needs a snapshot. */
        REFUSED,
        /** It has data of a newer term: this node is no longer master. */
        SUPERSEDED
    }

    /** Splits a delta into pieces of at most {@value #MAX_ENTRIES_PER_MESSAGE} changes, with consecutive versions. */
    static List<BackupDelta> pieces(BackupDelta delta) {
        if (delta.size() <= MAX_ENTRIES_PER_MESSAGE) {
            return List.of(delta);
        }
        List<Object> changes = new ArrayList<>(delta.size());
        changes.addAll(delta.upserts());
        changes.addAll(delta.updates());
        changes.addAll(delta.removals());
        List<List<Object>> parts = Lists.partition(changes, MAX_ENTRIES_PER_MESSAGE);
        List<BackupDelta> pieces = new ArrayList<>(parts.size());
        TableVersion from = delta.from();
        for (int i = 0; i < parts.size(); i++) {
            boolean last = i == parts.size() - 1;
            // Every change advanced the master's clock at least once, so these intermediate
            // clocks lie inside the delta's range and are the same on every standby.
            TableVersion to = last ? delta.to()
                    : new TableVersion(delta.to().term(), delta.from().clock() + (long) (i + 1) * MAX_ENTRIES_PER_MESSAGE);
            BackupDelta.Builder piece = BackupDelta.builder();
            for (Object change : parts.get(i)) {
                if (change instanceof FlowEntry e) {
                    piece.upsert(e);
                } else if (change instanceof EntryUpdate u) {
                    piece.update(u);
                } else {
                    piece.remove((FlowId) change);
                }
            }
            pieces.add(piece.build(delta.deviceId(), delta.term(), from, to, last ? delta.statistics() : null));
            from = to;
        }
        return pieces;
    }


    /** A standby's answer, whose report of its room the master keeps. */
    private BackupAck ack(Reply reply, NodeId standby) {
        if (!reply.ok()) {
            throw new IllegalStateException(reply.error());
        }
        BackupAck ack = reply.value(BackupAck.class);
        capacity.heard(standby, ack);
        return ack;
    }

    private void requireHeld(Reply reply, DeviceId deviceId, NodeId to) {
        BackupAck ack = ack(reply, to);
        if (!ack.held()) {
            throw new IllegalStateException("node " + to + " refused a snapshot chunk of " + deviceId + ": " + ack.reason());
        }
    }
}
