package org.flowstore.store.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotRequest;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.serializers.protocol.VersionQuery;

/**
 * What happens to a device's table when its mastership changes.
 *
 * <p>A node that becomes master activates its copy before it takes a write in the new term: it
 * asks every standby, and every other live node, for its copy's version, and if one is ahead of
 * its own (a higher term, or the same term and a higher clock) it asks that node for its copy and
 * installs it. Then it sends a snapshot to each standby whose copy differs, and opens the table
 * to writes, which waited meanwhile (see {@link #activeTable}). In sync mode every acknowledged
 * write is on every live target standby (see {@link Replicator#targets}), so the most advanced
 * copy has them all.
 *
 * <p>A node that is neither master nor standby of a device drops its copy, {@link #DROP_GRACE}
 * later if it still is neither.
 *
 * <p>Threads: mastership events arrive on the mastership service's event thread and are handed
 * to the store's executor; every request has the router's timeout.
 */
final class TermSync {

    private static final Logger log = LoggerFactory.getLogger(TermSync.class);

    private final MasterRouter router;
    private final FlowTables tables;
    private final Replicator replicator;
    private final BackupReceiver receiver;
    private final MastershipService mastership;
    private final ReplicaInfoService replicaInfo;
    private final Executor executor;
    private final NodeId localNode;
    /** Longest wait for a standby to send a whole copy to a new master. */
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(60);

    private final Consumer<ReplicaInfoEvent> listener = this::onReplicaEvent;
    /** Per device: the take-over of the latest term this node started as master. */
    private final ConcurrentMap<DeviceId, Activation> activations = new ConcurrentHashMap<>();
    private final ClusterService cluster;
    private final ReplicaQuorum quorum;
    /** Devices whose take-over failed: the first failure of a run is a warning, the retries debug. */
    private final OutageLog<DeviceId> takeOverFailures = new OutageLog<>();

    /** Longest a master's operation waits for its table to be taken over in a new term. */
    static final Duration ACTIVATION_WAIT = Duration.ofSeconds(10);
    /** How long a node out of a device's election keeps its copy before dropping it. */
    static final Duration DROP_GRACE = Duration.ofSeconds(30);
    /** Pause before a failed take-over or standby alignment is tried again. */
    private static final Duration RETRY = Duration.ofSeconds(1);
    /** How long a new master waits for the version of a node that is not one of the device's standbys. */
    private static final Duration OTHER_NODE_VERSION_WAIT = Duration.ofMillis(500);
    /** Pause between two rounds of version questions. */
    private static final Duration VERSION_ROUND_PAUSE = Duration.ofMillis(500);
    /** Rounds of version questions a new master asks before it settles for the answers it has. */
    private static final int VERSION_ROUNDS = 20;

    TermSync(MasterRouter router, FlowTables tables, Replicator replicator, BackupReceiver receiver,
             MastershipService mastership, ReplicaInfoService replicaInfo, Executor executor, ClusterService cluster,
             ReplicaQuorum quorum) {
        this.quorum = quorum;
        this.cluster = cluster;
        this.router = router;
        this.tables = tables;
        this.replicator = replicator;
        this.receiver = receiver;
        this.mastership = mastership;
        this.replicaInfo = replicaInfo;
        this.executor = executor;
        this.localNode = router.localNode();
    }

    void start() {
        router.serveReplication(FlowStoreSubjects.VERSION_GET, VersionQuery.class,
                (sender, query) -> Reply.of(receiver.promise(query.deviceId(), query.term(), quorum.requiredCopies() > 0)));
        router.serveAsync(FlowStoreSubjects.SNAPSHOT_REQUEST, SnapshotRequest.class, this::sendCopyTo);
        replicaInfo.addListener(listener);
    }

    void stop() {
        replicaInfo.removeListener(listener);
        activations.clear();
    }

    /**
     * Returns, without blocking, a device's table once it is taken over by this node as master in
     * the current term, starting the take-over if needed (the first operation of a term may
     * arrive before the mastership event); fails after {@link #ACTIVATION_WAIT}, or at
     * once with a {@link Refusal} when this node is not the master.
     */
    CompletableFuture<DeviceFlowTable> activeTable(DeviceId deviceId) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        DeviceFlowTable table = tables.replica(deviceId);
        if (table.activeTerm() == info.term()) {
            return CompletableFuture.completedFuture(table);
        }
        if (!info.isMaster(localNode)) {
            return CompletableFuture.failedFuture(Refusal.notMaster(deviceId, localNode + " is not the master of "
                    + deviceId + " in term " + info.term()));
        }
        return activate(deviceId, info).copy()
                .orTimeout(ACTIVATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, e) -> {
                    if (e == null) {
                        return table;
                    }
                    Throwable cause = Causes.of(e);
                    throw Refusal.refused(deviceId, "the table of " + deviceId + " is not yet taken over by its new"
                            + " master (" + (cause instanceof TimeoutException ? "still being brought up to date after "
                            + ACTIVATION_WAIT.toSeconds() + " s" : cause.getMessage()) + "); try again");
                });
    }

    /**
     * Runs an operation on a device's table once it is taken over (see {@link #activeTable}): at
     * once on the caller's thread when it is, else on the message handlers when it becomes so.
     */
    <R> CompletableFuture<R> onActiveTable(DeviceId deviceId, Function<DeviceFlowTable, R> operation) {
        DeviceFlowTable active = tables.existing(deviceId);
        if (active != null && active.activeTerm() == mastership.getMastershipFor(deviceId).term()) {
            // Taken over already (every operation but the first of a term): no future to wait on.
            try {
                return CompletableFuture.completedFuture(operation.apply(active));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return activeTable(deviceId).thenApplyAsync(operation, executor);
    }

    /**
     * Starts (once per term) bringing a device's table up to date for this node's mastership. A
     * failed take-over leaves the table closed: serving a copy that may miss acknowledged writes
     * would lose them. Why it failed is logged; the next operation or retry starts again.
     *
     * @return completes when the table is active in the term
     */
    private CompletableFuture<Void> activate(DeviceId deviceId, MastershipInfo info) {
        boolean[] created = {false};
        Activation activation = activations.compute(deviceId, (d, current) -> {
            if (current != null && current.term() == info.term()) {
                return current;
            }
            created[0] = true;
            return new Activation(info.term(), new CompletableFuture<>());
        });
        if (created[0]) {
            CompletableFuture<Void> takeOver;
            try {
                takeOver = takeOver(deviceId, info);
            } catch (RuntimeException e) {
                takeOver = CompletableFuture.failedFuture(e);
            }
            takeOver.whenComplete((ok, e) -> {
                if (e != null) {
                    activations.remove(deviceId, activation);
                    activation.done().completeExceptionally(e);
                } else {
                    tables.replica(deviceId).activate(info.term());
                    activation.done().complete(null);
                }
            });
        }
        return activation.done();
    }

    private void onReplicaEvent(ReplicaInfoEvent event) {
        executor.execute(() -> {
            DeviceId deviceId = event.deviceId();
            MastershipInfo info = mastership.getMastershipFor(deviceId);
            log.debug("Node {} handles {} of {}; view {}", localNode, event.type(), deviceId, info);
            if (info.isMaster(localNode)) {
                if (event.type() == ReplicaInfoEvent.Type.MASTER_CHANGED) {
                    activateUntilDone(deviceId, info);
                } else if (tables.existing(deviceId) != null && tables.existing(deviceId).activeTerm() == info.term()) {
                    alignStandbys(deviceId);
                }
            } else if (!info.backups().contains(localNode) && tables.existing(deviceId) != null) {
                // Standbys beyond backupCount keep their (older) copies: a reordering of the
                // standbys must never leave a device with fewer up-to-date copies than before.
                // A node out of the election keeps its copy a while too: it may have been evicted
                // while it held the only up-to-date copy, which the new master then takes.
                CompletableFuture.delayedExecutor(DROP_GRACE.toMillis(), TimeUnit.MILLISECONDS, executor)
                        .execute(() -> dropIfOutOfElection(deviceId));
            }
        });
    }

    private void dropIfOutOfElection(DeviceId deviceId) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        if (!info.isMaster(localNode) && !info.backups().contains(localNode) && tables.existing(deviceId) != null) {
            log.info("Node {} has been neither master nor standby of {} for {} s; dropping its copy", localNode, deviceId,
                    DROP_GRACE.toSeconds());
            tables.drop(deviceId);
            activations.remove(deviceId);
            receiver.forget(deviceId);
        }
    }

    /**
     * Activates a device's table in a term, and tries again a second after each failure while
     * this node is still its master in that term: a table that could not be taken over (too few
     * nodes answered) must not wait for a write to try again.
     */
    private void activateUntilDone(DeviceId deviceId, MastershipInfo info) {
        activate(deviceId, info).whenComplete((ok, e) -> {
            MastershipInfo now = mastership.getMastershipFor(deviceId);
            if (e != null && now.isMaster(localNode) && now.term() == info.term()) {
                CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS, executor)
                        .execute(() -> activateUntilDone(deviceId, now));
            }
        });
    }

    /**
     * Brings this node's copy up to date as the new master, then aligns the standbys. Fails,
     * leaving the table closed to writes, when too few nodes answered to be sure that no
     * acknowledged write is missing (see {@link ReplicaQuorum}), or when a more advanced copy
     * exists but could not be fetched.
     */
    private CompletableFuture<Void> takeOver(DeviceId deviceId, MastershipInfo info) {
        long started = System.nanoTime();
        receiver.promise(deviceId, info.term(), true);
        log.debug("Node {} activates {} in term {} from {}", localNode, deviceId, info.term(), versionOf(deviceId));
        return askVersions(deviceId, info, 0).thenCompose(answers -> {
            int needed = quorum.versionAnswersNeeded();
            if (answers.size() < needed) {
                String reason = "not enough replicas to take over " + deviceId + " in term " + info.term() + ": "
                        + answers.stream().map(Candidate::node).toList() + " answered, " + needed
                        + " other node(s) needed (members " + quorum.members() + ", backupCount copies "
                        + quorum.requiredCopies() + ")";
                return CompletableFuture.failedFuture(new IllegalStateException(reason));
            }
            DeviceFlowTable table = tables.existing(deviceId);
            TableVersion held = table == null ? TableVersion.EMPTY : table.version();
            TableVersion claimed = table == null ? TableVersion.EMPTY : table.claimedVersion();
            // Writes past the claimed version were failed to their callers: a copy that holds
            // exactly the acknowledged ones is better than this one, which holds them too.
            boolean unacknowledged = held.compareTo(claimed) > 0;
            List<Candidate> ahead = new ArrayList<>();
            for (Candidate c : answers) {
                int cmp = c.version().compareTo(claimed);
                if (cmp > 0 || (cmp == 0 && unacknowledged)) {
                    ahead.add(c);
                }
            }
            ahead.sort((a, b) -> b.version().compareTo(a.version()));
            return pullFirst(deviceId, info, claimed, ahead, 0);
        }).whenComplete((ok, e) -> {
            if (e == null) {
                int failed = takeOverFailures.succeeded(deviceId);
                log.info("New master {} took {} over in term {} in {} ms{}", localNode, deviceId, info.term(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        failed > 0 ? " after " + failed + " failed attempts" : "");
            } else if (takeOverFailures.failed(deviceId)) {
                log.warn("New master {} of {} could not take over in term {}: {} (it tries again every {} s; further"
                        + " failures are logged at debug)", localNode, deviceId, info.term(), Causes.message(e),
                        RETRY.toSeconds());
            } else {
                log.debug("New master {} of {} still cannot take over in term {}: {}", localNode, deviceId,
                        info.term(), Causes.message(e));
            }
        }).thenCompose(v -> {
            // Stamped before the standbys are aligned, so they get the copy at its new version once.
            tables.replica(deviceId).stamp(info.term());
            return alignStandbys(deviceId);
        });
    }

    /**
     * Asks every standby and every other live node for its version: the most advanced copy may
     * sit on a node the election dropped (evicted while slow, or restarted and not yet running
     * again). While a live standby has not answered, or fewer nodes answered than
     * {@link ReplicaQuorum#versionAnswersNeeded}, the nodes are asked again (up to
     * {@value #VERSION_ROUNDS} rounds, {@link #VERSION_ROUND_PAUSE} apart): a new master must not settle for
     * its own copy while a more advanced one may exist.
     */
    private CompletableFuture<List<Candidate>> askVersions(DeviceId deviceId, MastershipInfo info, int round) {
        Set<NodeId> toAsk = new LinkedHashSet<>(info.backups());
        cluster.getNodes().stream().filter(n -> !n.equals(localNode) && cluster.isActive(n))
                .sorted(Comparator.comparing(NodeId::id)).forEach(toAsk::add);
        toAsk.remove(localNode);
        List<NodeId> nodes = List.copyOf(toAsk);
        List<CompletableFuture<Candidate>> asked = new ArrayList<>();
        for (NodeId node : nodes) {
            VersionQuery query = new VersionQuery(deviceId, info.term());
            // A node that is no standby is asked in case it holds a more advanced copy, and is not needed
            // for the quorum's count to hold: one just lost (paused, cut off) must not keep the new master
            // waiting for the whole request timeout.
            CompletableFuture<Reply> answer = info.backups().contains(node)
                    ? router.send(FlowStoreSubjects.VERSION_GET, query, node)
                    : router.send(FlowStoreSubjects.VERSION_GET, query, node, OTHER_NODE_VERSION_WAIT);
            asked.add(answer
                    .thenApply(reply -> reply.ok() ? new Candidate(node, reply.value(TableVersion.class)) : null)
                    .exceptionally(e -> {
                        log.info("New master {} of {} got no version from {}: {}", localNode, deviceId, node,
                                e.toString());
                        return null;
                    }));
        }
        return CompletableFuture.allOf(asked.toArray(new CompletableFuture[0])).thenCompose(v -> {
            List<Candidate> answers = new ArrayList<>();
            boolean missingLive = false;
            for (int i = 0; i < nodes.size(); i++) {
                Candidate c = asked.get(i).join();
                if (c != null) {
                    answers.add(c);
                } else if (info.backups().contains(nodes.get(i)) && cluster.isActive(nodes.get(i))) {
                    missingLive = true;
                }
            }
            boolean tooFew = answers.size() < quorum.versionAnswersNeeded();
            MastershipInfo now = mastership.getMastershipFor(deviceId);
            if ((missingLive || tooFew) && round + 1 < VERSION_ROUNDS && now.term() == info.term()) {
                return CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(VERSION_ROUND_PAUSE.toMillis(), TimeUnit.MILLISECONDS,
                                        executor))
                        .thenCompose(x -> askVersions(deviceId, now, round + 1));
            }
            return CompletableFuture.completedFuture(answers);
        });
    }

    /**
     * Takes the copy of a most advanced node, trying the nodes that hold that same version in
     * turn. A less advanced copy is never a fallback: the most advanced one may be the only one
     * with the last acknowledged writes, so when none of its holders sends it the take-over fails
     * and is tried again. A take-over whose term the election has left is abandoned.
     */
    private CompletableFuture<Void> pullFirst(DeviceId deviceId, MastershipInfo info, TableVersion own,
                                              List<Candidate> ahead, int index) {
        if (ahead.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        TableVersion best = ahead.get(0).version();
        if (index >= ahead.size() || !ahead.get(index).version().equals(best)) {
            return CompletableFuture.failedFuture(new IllegalStateException("no node holding the most advanced copy ("
                    + best + ") of " + deviceId + " sent it"));
        }
        long now = mastership.getMastershipFor(deviceId).term();
        if (now != info.term()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the take-over of term " + info.term()
                    + " was superseded by term " + now));
        }
        Candidate source = ahead.get(index);
        log.info("New master {} of {} (term {}) is at {}; taking the copy of {} at {}", localNode, deviceId,
                info.term(), own, source.node(), source.version());
        return router.send(FlowStoreSubjects.SNAPSHOT_REQUEST, new SnapshotRequest(deviceId, info.term()), source.node(),
                        SNAPSHOT_WAIT)
                .thenAccept(reply -> {
                    if (!reply.ok()) {
                        throw new IllegalStateException(reply.error());
                    }
                })
                .handle((ok, e) -> {
                    if (e == null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    log.warn("New master {} of {} could not take the copy of {}: {}", localNode, deviceId, source.node(),
                            Causes.message(e));
                    return pullFirst(deviceId, info, own, ahead, index + 1);
                }).thenCompose(f -> f);
    }

    /**
     * Sends a snapshot to every standby whose copy differs from this master's; a standby that
     * could not be aligned is tried again a second later, while this node is still master.
     */
    private CompletableFuture<Void> alignStandbys(DeviceId deviceId) {
        return alignOnce(deviceId).thenAccept(aligned -> {
            if (!aligned && mastership.getMastershipFor(deviceId).isMaster(localNode)) {
                CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS, executor)
                        .execute(() -> alignStandbys(deviceId));
            }
        });
    }

    /** One alignment pass; completes with true when every standby is aligned. */
    private CompletableFuture<Boolean> alignOnce(DeviceId deviceId) {
        TableVersion own = versionOf(deviceId);
        long term = mastership.getMastershipFor(deviceId).term();
        List<CompletableFuture<Boolean>> syncs = new ArrayList<>();
        for (NodeId standby : replicator.targets(deviceId)) {
            syncs.add(router.send(FlowStoreSubjects.VERSION_GET, new VersionQuery(deviceId, term), standby).thenCompose(reply ->
                    reply.ok() && own.equals(reply.value()) ? CompletableFuture.completedFuture(true)
                            : replicator.resync(deviceId, standby))
                    .exceptionally(e -> {
                        log.info("Master {} of {} could not align standby {}: {}", localNode, deviceId, standby,
                                e.toString());
                        return false;
                    }));
        }
        return CompletableFuture.allOf(syncs.toArray(new CompletableFuture[0]))
                .thenApply(v -> syncs.stream().allMatch(CompletableFuture::join));
    }

    /** A standby sends its copy to the new master that asked for it. */
    private CompletableFuture<Reply> sendCopyTo(NodeId requester, SnapshotRequest request) {
        receiver.promise(request.deviceId(), request.term(), true);
        DeviceFlowTable table = tables.existing(request.deviceId());
        if (table == null) {
            return CompletableFuture.completedFuture(Reply.failure(localNode + " holds no copy of " + request.deviceId()));
        }
        return replicator.sendSnapshot(request.deviceId(), 0, table.snapshot(), requester)
                .thenApply(v -> Reply.of(table.version()));
    }

    private TableVersion versionOf(DeviceId deviceId) {
        DeviceFlowTable table = tables.existing(deviceId);
        return table == null ? TableVersion.EMPTY : table.version();
    }

    private record Candidate(NodeId node, TableVersion version) {
    }

    private record Activation(long term, CompletableFuture<Void> done) {
    }
}
