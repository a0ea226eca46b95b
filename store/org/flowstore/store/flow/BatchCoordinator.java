package org.flowstore.store.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.serializers.protocol.BatchCompletion;
import org.flowstore.serializers.protocol.Reply;

/**
 * The life of a batch: from the node that issues it, to the device's master that applies it and
 * raises BATCH_OPERATION_REQUESTED, back to the issuer's delegate as BATCH_OPERATION_COMPLETED.
 *
 * <p>Every batch gets exactly one COMPLETED on its issuer: success, or every rule failed with a
 * reason. The master remembers each applied batch's issuer by (device, batch id) until the
 * device finishes it; the issuer remembers each batch it forwarded until its completion arrives
 * or the forward fails, so a completion that arrives after the issuer already failed the batch
 * is dropped, not delivered twice.
 *
 * <p>Routing is the {@link MasterRouter}'s: a batch is one {@link MasterRouter.Route}, applied
 * here when this node is the master and forwarded otherwise, and sent again to the next master
 * when a node answers that it is not the master. A failure says what kind it is
 * ({@link CompletedBatchOperation.Failure}): no master, refused or unconfirmed by the store, no
 * room, or invalid.
 *
 * <p>Admission ({@link MasterAdmission}): the flows this node's batches have awaiting one
 * master's answer are bounded by {@code maxFlowsInFlightPerMaster}; later batches for that master
 * wait here, in order, and go as answers make room, so callers of an overloaded master are slowed
 * down rather than timed out. A batch that waits {@link #ADMISSION_WAIT}, or finds
 * {@code maxWaitingFlows} waiting already, fails as {@link CompletedBatchOperation.Failure#OVERLOADED}.
 * So does a batch that would add flows past the memory bound of its master or of a standby
 * ({@link FlowCapacity}): the master refuses it before applying anything.
 *
 * <p>Threads: {@link #submit} and {@link #complete} run on the caller's thread; forwarded
 * batches, completions, forward outcomes, mastership events and batches admitted from the wait
 * are handled on the message-handler executor; orphaned and long-waiting batches are failed on
 * the scheduler.
 */
final class BatchCoordinator {

    private static final Logger log = LoggerFactory.getLogger(BatchCoordinator.class);

    private record BatchKey(DeviceId deviceId, long batchId) {
    }

    private final MasterRouter router;
    private final TermSync termSync;
    private final Replicator replicator;
    private final ReplicaQuorum quorum;
    private final FlowCapacity capacity;
    private final MastershipService mastership;
    private final ReplicaInfoService replicaInfo;
    private final Supplier<StoreConfig> config;
    private final Consumer<FlowRuleBatchEvent> delegate;
    private final StoreExecutors executors;
    private final NodeId localNode;
    private final Consumer<ReplicaInfoEvent> masterChanges = this::onReplicaEvent;

    /** On a master: batches awaiting their device, and the node that issued each. */
    private final ConcurrentMap<BatchKey, NodeId> issuers = new ConcurrentHashMap<>();
    /** On an issuer: batches forwarded to a master whose completion has not arrived, with that master. */
    private final ConcurrentMap<BatchKey, Forwarded> forwarded = new ConcurrentHashMap<>();

    /** Devices whose batches fail here for want of a working master: one warning per outage. */
    private final OutageLog<DeviceId> masterOutages = new OutageLog<>();
    /** On an issuer: bounds the flows awaiting each master's answer; the rest wait here, in order. */
    private final MasterAdmission<FlowRuleBatchOperation> admission;

    private MasterRouter.Route<FlowRuleBatchOperation, Void> apply;
    private ScheduledFuture<?> orphanChecks;

    /** A batch forwarded to a master. */
    private record Forwarded(FlowRuleBatchOperation batch, NodeId master, long sentAtNanos) {
    }

    /** Longest a forwarded batch waits for its completion before it is failed. */
    static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(60);
    /** How often forwarded batches whose completion can no longer come are failed. */
    static final Duration ORPHAN_CHECK_PERIOD = Duration.ofSeconds(1);
    /**
     * Longest a batch waits for room at its master before it fails as overloaded: well within the
     * flow-rule manager's batch timeout (30 s by default), so the caller hears why.
     */
    static final Duration ADMISSION_WAIT = Duration.ofSeconds(20);

    /**
     * @param delegate where this node's batch events go (REQUESTED on a master, COMPLETED on an issuer)
     */
    BatchCoordinator(MasterRouter router, TermSync termSync, Replicator replicator, ReplicaQuorum quorum,
                     FlowCapacity capacity, MastershipService mastership, ReplicaInfoService replicaInfo,
                     Supplier<StoreConfig> config, Consumer<FlowRuleBatchEvent> delegate, StoreExecutors executors) {
        this.router = router;
        this.termSync = termSync;
        this.replicator = replicator;
        this.quorum = quorum;
        this.capacity = capacity;
        this.mastership = mastership;
        this.replicaInfo = replicaInfo;
        this.config = config;
        this.delegate = delegate;
        this.executors = executors;
        this.localNode = router.localNode();
        this.admission = new MasterAdmission<>(() -> config.get().maxFlowsInFlightPerMaster(),
                () -> config.get().maxWaitingFlows());
    }

    /** Starts serving forwarded batches and completions, and failing orphaned batches. */
    void start() {
        apply = router.route(FlowStoreSubjects.BATCH_APPLY, FlowRuleBatchOperation.class, Void.class,
                FlowRuleBatchOperation::deviceId, this::applyOnMaster);
        router.serveAsync(FlowStoreSubjects.BATCH_COMPLETE, FlowRuleBatchEvent.class,
                (sender, event) -> completeOnMaster(event).thenApply(v -> Reply.of(null)));
        router.consume(FlowStoreSubjects.BATCH_COMPLETED_DELIVER, BatchCompletion.class, this::onDelivered);
        replicaInfo.addListener(masterChanges);
        orphanChecks = executors.scheduler().scheduleWithFixedDelay(this::failStale,
                ORPHAN_CHECK_PERIOD.toMillis(), ORPHAN_CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops listening and fails the batches still waiting for room; the router's subjects are removed by the router. */
    void stop() {
        replicaInfo.removeListener(masterChanges);
        if (orphanChecks != null) {
            orphanChecks.cancel(false);
        }
        admission.expire(-1, (master, batch) -> failStopped(batch));
    }

    /** Fails a batch that waited for room when the store stopped: it was never sent. */
    private void failStopped(FlowRuleBatchOperation batch) {
        failIssued(batch, localNode, "the store on node " + localNode + " stopped before the batch was sent",
                CompletedBatchOperation.Failure.STORE);
    }

    /** Fails the batches that waited too long for room or for a completion (on the scheduler). */
    private void failStale() {
        admission.expire(ADMISSION_WAIT.toNanos(), (master, batch) -> failIssued(batch, master, "the batch waited "
                + ADMISSION_WAIT.toSeconds() + " s for room at master " + master + " (" + admission.inFlight(master)
                + " flows from node " + localNode + " await its answer; " + StoreConfig.MAX_FLOWS_IN_FLIGHT_PER_MASTER
                + "=" + config.get().maxFlowsInFlightPerMaster() + "); it was not sent",
                CompletedBatchOperation.Failure.OVERLOADED));
        failOrphans(null, MastershipInfo.NONE);
    }

    /**
     * Issues a batch from this node: applied here when this node is the device's master, else
     * forwarded to the master (and to the next one, when the first answers that it is not). Past
     * the master's admission window it waits for room; past {@code maxWaitingFlows} it fails as
     * overloaded.
     */
    void submit(FlowRuleBatchOperation batch) {
        DeviceId deviceId = batch.deviceId();
        if (batch.size() == 0) {
            delegate.accept(completed(batch, List.of(), CompletedBatchOperation.succeeded(deviceId)));
            return;
        }
        if (batch.size() > FlowRuleStore.MAX_BATCH_SIZE) {
            failInvalid(batch, "batch of " + batch.size() + " operations exceeds the limit of "
                    + FlowRuleStore.MAX_BATCH_SIZE);
            return;
        }
        if (forwarded.containsKey(new BatchKey(deviceId, batch.id()))) {
            failInvalid(batch, "batch " + batch.id() + " of device " + deviceId + " is already in flight");
            return;
        }
        NodeId master = mastership.getMastershipFor(deviceId).master().orElse(null);
        if (master == null) {
            send(batch, null); // fails at once, with the reason the router gives (no master, unknown device)
            return;
        }
        switch (admission.offer(master, batch.size(), batch)) {
            case ADMITTED -> send(batch, master);
            case WAITING -> log.trace("Batch {} of device {} waits for room at master {}", batch.id(), deviceId, master);
            case REFUSED -> failIssued(batch, localNode, "node " + localNode + " has " + admission.waitingFlows()
                    + " flows waiting for room at their masters (" + StoreConfig.MAX_WAITING_FLOWS + "="
                    + config.get().maxWaitingFlows() + "); the batch of " + batch.size() + " flows was not applied",
                    CompletedBatchOperation.Failure.OVERLOADED);
        }
    }

    /**
     * Sends an issued batch to its master (applies it, when that is this node).
     *
     * @param lane the master whose admission window the batch holds room in, or null for none
     */
    private void send(FlowRuleBatchOperation batch, NodeId lane) {
        DeviceId deviceId = batch.deviceId();
        BatchKey key = new BatchKey(deviceId, batch.id());
        AtomicReference<NodeId> target = new AtomicReference<>();
        CompletableFuture<Void> outcome = apply.submit(batch, next -> {
            NodeId previous = target.getAndSet(next);
            if (previous != null && !previous.equals(localNode) && forwarded.remove(key) == null) {
                return false; // failed meanwhile (its master left): it is not sent again
            }
            if (!next.equals(localNode)) {
                // Before it is sent: the completion may arrive before the master's answer.
                forwarded.put(key, new Forwarded(batch, next, System.nanoTime()));
            }
            return true;
        });
        BiConsumer<Void, Throwable> onOutcome = (v, e) -> {
            if (lane != null) {
                admitNext(lane, batch.size());
            }
            NodeId node = target.get() == null ? localNode : target.get();
            if (e == null) {
                masterWorks(deviceId, node);
                return;
            }
            Throwable cause = Causes.of(e);
            if (!(cause instanceof CancellationException) && (node.equals(localNode) || forwarded.remove(key) != null)) {
                failIssued(batch, node, reasonOf(cause, node), outcomeOf(cause));
            }
        };
        if (outcome.isDone()) {
            outcome.whenComplete(onOutcome);
        } else {
            outcome.whenCompleteAsync(onOutcome, executors.messages());
        }
    }

    /**
     * Returns an answered batch's room in its master's window and sends the batches that fit now,
     * in their order, as one task of the message-handler executor: a chain of batches applied here,
     * each admitting the next, would otherwise nest on one stack.
     */
    private void admitNext(NodeId lane, int flows) {
        List<FlowRuleBatchOperation> admitted = admission.release(lane, flows);
        if (admitted.isEmpty()) {
            return;
        }
        try {
            executors.messages().execute(() -> admitted.forEach(next -> send(next, lane)));
        } catch (RejectedExecutionException stopped) {
            admitted.forEach(this::failStopped);
        }
    }

    /** Why a batch failed, for its issuer: a master that did not answer may have applied it. */
    private static String reasonOf(Throwable cause, NodeId node) {
        boolean answered = !(cause instanceof FlowRuleStoreException.RemoteFailure)
                || cause.getCause() instanceof Refusal;
        if (!answered || cause instanceof FlowRuleStoreException.Timeout) {
            return "master " + node + " did not confirm the batch (" + cause.getMessage() + "); it may or may not have"
                    + " been applied";
        }
        return cause instanceof FlowRuleStoreException.RemoteFailure ? cause.getCause().getMessage() : cause.getMessage();
    }

    /** What a failure means for the batch's rules, in the API's terms. */
    private static CompletedBatchOperation.Failure outcomeOf(Throwable cause) {
        if (Refusal.isOverloaded(cause)) {
            return CompletedBatchOperation.Failure.OVERLOADED;
        }
        if (cause instanceof FlowRuleStoreException.NoMaster) {
            return CompletedBatchOperation.Failure.NO_MASTER;
        }
        return cause instanceof FlowRuleStoreException.UnknownDevice ? CompletedBatchOperation.Failure.INVALID
                : CompletedBatchOperation.Failure.STORE;
    }

    /**
     * Reports that a device finished a batch. The node that applied the batch knows its issuer
     * and delivers the completion itself, even if it lost the mastership meanwhile; any other
     * node sends the completion to the device's master.
     */
    void complete(FlowRuleBatchEvent event) {
        DeviceId deviceId = event.deviceId();
        NodeId issuer = issuers.remove(new BatchKey(deviceId, event.batchId()));
        if (issuer != null) {
            markFailedIfMaster(event).thenRun(() -> deliver(issuer, event));
            return;
        }
        NodeId master;
        try {
            master = router.masterOf(deviceId);
        } catch (FlowRuleStoreException e) {
            log.warn("Completion of batch {} of device {}: {}; delivering it on node {}",
                    event.batchId(), deviceId, e.getMessage(), localNode);
            delegate.accept(event);
            return;
        }
        if (master.equals(localNode)) {
            completeOnMaster(event);
            return;
        }
        router.ask(FlowStoreSubjects.BATCH_COMPLETE, event, Void.class, deviceId, master).whenCompleteAsync((v, e) -> {
            if (e != null) {
                log.warn("Master {} of device {} did not take the completion of batch {} ({}); delivering it on node {}",
                        master, deviceId, event.batchId(), Causes.message(e), localNode);
                delegate.accept(event);
            }
        }, executors.messages());
    }

    /**
     * Applies a batch on this node as master (the router checked that it is). In sync mode the
     * batch's changes reach {@link ReplicaQuorum#requiredCopies} standbys before the device is
     * asked to apply them and before the issuer hears back; a master that cannot have that many
     * copies made, or reaches no majority of the cluster, refuses the batch before applying it.
     */
    private CompletableFuture<Void> applyOnMaster(NodeId issuer, FlowRuleBatchOperation batch) {
        DeviceId deviceId = batch.deviceId();
        if (batch.size() > FlowRuleStore.MAX_BATCH_SIZE) {
            log.warn("Batch {} of device {} from node {} refused: {} operations exceed {}", batch.id(), deviceId,
                    issuer, batch.size(), FlowRuleStore.MAX_BATCH_SIZE);
            throw Refusal.refused(deviceId, "batch of " + batch.size() + " operations exceeds the limit of "
                    + FlowRuleStore.MAX_BATCH_SIZE);
        }
        String cutOff = quorum.cutOffReason();
        if (cutOff != null) {
            throw refuse(batch, issuer, cutOff);
        }
        int required = quorum.requiredCopies();
        List<NodeId> targets = replicator.targets(deviceId);
        if (targets.size() < required) {
            throw refuse(batch, issuer, "not enough replicas: " + deviceId + " needs " + required + " standby cop"
                    + (required == 1 ? "y" : "ies") + " in sync mode and " + targets.size() + " of its standbys "
                    + mastership.getMastershipFor(deviceId).backups() + " are reachable from master " + localNode
                    + "; the batch was not applied");
        }
        BatchKey key = new BatchKey(deviceId, batch.id());
        if (issuers.putIfAbsent(key, issuer) != null) {
            throw Refusal.refused(deviceId, "batch " + batch.id() + " of device " + deviceId + " is already in flight");
        }
        return termSync.activeTable(deviceId)
                .thenCompose(table -> applyAndReplicate(issuer, batch, key, table, targets))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        issuers.remove(key);
                    }
                });
    }

    private CompletableFuture<Void> applyAndReplicate(NodeId issuer, FlowRuleBatchOperation batch, BatchKey key,
                                                       DeviceFlowTable table, List<NodeId> targets) {
        DeviceId deviceId = batch.deviceId();
        boolean standbys = !targets.isEmpty();
        int adds = 0;
        for (FlowRuleBatchEntry op : batch.operations()) {
            if (op.operator() == FlowRuleOperation.ADD) {
                adds++;
            }
        }
        List<FlowRuleBatchEntry> applied;
        CompletableFuture<Replicator.Replication> replicated;
        // Checked again after replication: the copies that count are the ones that confirmed.
        int required = quorum.requiredCopies();
        long appliedTerm;
        // The table's lock (every table method takes it) makes reading its term and applying one step:
        // the batch belongs to exactly the term it was applied in.
        synchronized (table) {
            String noRoom = capacity.refusal(deviceId, adds, () -> table.countNew(batch.operations()), targets);
            if (noRoom != null) {
                // The issuer logs it once per device outage; this node logged reaching its bound.
                throw refuse(batch, issuer, Refusal.overloaded(deviceId, noRoom));
            }
            appliedTerm = table.activeTerm();
            if (config.get().backupMode() == StoreConfig.BackupMode.SYNC && standbys) {
                DeviceFlowTable.Applied<CompletableFuture<Replicator.Replication>> a =
                        table.applyAndCut(batch.operations(), replicator::replicate);
                applied = a.ops();
                replicated = a.handedOff();
            } else if (config.get().backupMode() == StoreConfig.BackupMode.SYNC) {
                // No standby to send to (and none required): no delta is built at all.
                applied = table.applyAndForget(batch.operations());
                replicated = CompletableFuture.completedFuture(Replicator.Replication.NOTHING_TO_SEND);
            } else {
                applied = table.apply(batch.operations());
                replicated = CompletableFuture.completedFuture(Replicator.Replication.NOTHING_TO_SEND);
            }
        }
        return replicated.thenApply(replication -> {
            String failure = unacknowledged(deviceId, appliedTerm, replication, required);
            if (failure != null) {
                // Not acknowledged, so not pushed: the caller may retry, on the new master if there is one.
                // The issuer logs the failure (once per outage of the device); here it is detail.
                issuers.remove(key);
                log.debug("Batch {} of device {} from node {} not acknowledged by node {}: {}", batch.id(), deviceId,
                        issuer, localNode, failure);
                throw Refusal.failed(deviceId, failure);
            }
            if (applied.isEmpty()) {
                issuers.remove(key);
                deliver(issuer, completed(batch, applied, CompletedBatchOperation.succeeded(deviceId)));
            } else {
                delegate.accept(FlowRuleBatchEvent.requested(new FlowRuleBatchRequest(batch.id(), applied), deviceId));
            }
            return null;
        });
    }

    /**
     * Why a replicated batch may not be acknowledged, or null. Checked after replication: the
     * mastership may have moved meanwhile (even back to this node, in a newer term whose copy
     * need not hold this batch), or a new master may have been promised a newer term (this node
     * then told it a version without this batch).
     */
    private String unacknowledged(DeviceId deviceId, long appliedTerm, Replicator.Replication replication,
                                  int required) {
        if (replication.status() == Replicator.Status.SUPERSEDED) {
            // A copy no standby holds is never taken by a new master (this node vouches only for confirmed writes).
            return "the mastership of " + deviceId + " moved to a newer master while the batch was replicated (a standby"
                    + " follows a newer term); the batch was " + (replication.copies() == 0 ? "not applied"
                    : "not acknowledged and may or may not have been applied");
        }
        String moved = router.notMasterReason(deviceId);
        long term = mastership.getMastershipFor(deviceId).term();
        if (moved == null && term != appliedTerm) {
            moved = localNode + " applied the batch in term " + appliedTerm + " and is master of term " + term + " now";
        }
        if (moved != null) {
            return "the mastership of " + deviceId + " moved while the batch was replicated (" + moved
                    + "); the batch was not acknowledged and may or may not have been applied";
        }
        if (replication.copies() < required) {
            return "not enough replicas: standby " + replication.unconfirmed() + " of " + deviceId
                    + " did not confirm the batch (" + replication.copies() + " of " + required
                    + " copies); it may or may not have been applied";
        }
        return null;
    }

    /** Refuses a batch before applying it (this master cannot acknowledge it); logged once per outage by the issuer. */
    private Refusal refuse(FlowRuleBatchOperation batch, NodeId issuer, String reason) {
        return refuse(batch, issuer, Refusal.refused(batch.deviceId(), reason));
    }

    private Refusal refuse(FlowRuleBatchOperation batch, NodeId issuer, Refusal refusal) {
        log.debug("Batch {} of device {} from node {} refused by node {}: {}", batch.id(), batch.deviceId(), issuer,
                localNode, refusal.getMessage());
        return refusal;
    }

    private CompletableFuture<Void> completeOnMaster(FlowRuleBatchEvent event) {
        NodeId issuer = issuers.remove(new BatchKey(event.deviceId(), event.batchId()));
        return markFailedIfMaster(event).thenRun(() -> deliver(issuer == null ? localNode : issuer, event));
    }

    /** On the device's master, marks the rules the device failed as FAILED; never fails itself. */
    private CompletableFuture<Void> markFailedIfMaster(FlowRuleBatchEvent event) {
        DeviceId deviceId = event.deviceId();
        if (event.result() == null || event.result().failedItems().isEmpty() || router.notMasterReason(deviceId) != null) {
            return CompletableFuture.completedFuture(null);
        }
        return termSync.onActiveTable(deviceId, table -> {
            table.markFailed(event.result().failedItems());
            return (Void) null;
        }).exceptionally(e -> {
            log.warn("Master {} could not mark the failed rules of batch {} of device {}: {}", localNode,
                    event.batchId(), deviceId, Causes.message(e));
            return null;
        });
    }

    private void deliver(NodeId issuer, FlowRuleBatchEvent event) {
        if (issuer.equals(localNode)) {
            delegate.accept(event);
            return;
        }
        // The outcome only: the issuer kept the batch it forwarded (see onDelivered).
        BatchCompletion outcome = new BatchCompletion(event.batchId(), event.result());
        router.tell(FlowStoreSubjects.BATCH_COMPLETED_DELIVER, outcome, issuer)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        log.warn("Could not deliver the completion of batch {} of device {} to node {}: {}",
                                event.batchId(), event.deviceId(), issuer, error.toString());
                    }
                });
    }

    /**
     * Fails the forwarded batches whose completion can no longer come: their master lost the
     * device and left the cluster (a live former master still delivers), or they waited past
     * {@link #COMPLETION_TIMEOUT}. Their outcome on the device is unknown, and the reason says so.
     */
    void failOrphans(DeviceId deviceId, MastershipInfo info) {
        long now = System.nanoTime();
        for (Map.Entry<BatchKey, Forwarded> e : forwarded.entrySet()) {
            Forwarded f = e.getValue();
            boolean masterGone = deviceId != null && e.getKey().deviceId().equals(deviceId) && !info.isMaster(f.master())
                    && !quorum.isActive(f.master());
            boolean tooOld = now - f.sentAtNanos() > COMPLETION_TIMEOUT.toNanos();
            if ((masterGone || tooOld) && forwarded.remove(e.getKey(), f)) {
                String reason = masterGone
                        ? "master " + f.master() + " of " + e.getKey().deviceId() + " changed before the batch completed;"
                          + " it may or may not have been applied"
                        : "no completion from master " + f.master() + " within " + COMPLETION_TIMEOUT.toSeconds()
                          + " s; the batch may or may not have been applied";
                failIssued(f.batch(), f.master(), reason, CompletedBatchOperation.Failure.STORE);
            }
        }
    }

    private void onReplicaEvent(ReplicaInfoEvent event) {
        if (event.type() == ReplicaInfoEvent.Type.MASTER_CHANGED) {
            executors.messages().execute(() -> failOrphans(event.deviceId(), mastership.getMastershipFor(event.deviceId())));
        }
    }

    private void onDelivered(NodeId sender, BatchCompletion completion) {
        Forwarded f = forwarded.remove(new BatchKey(completion.deviceId(), completion.batchId()));
        if (f != null) {
            delegate.accept(completed(f.batch(), f.batch().operations(), completion.result()));
        } else {
            log.debug("Completion of batch {} of device {} from node {} arrived after the batch was failed here; dropped",
                    completion.batchId(), completion.deviceId(), sender);
        }
    }

    /** Fails a batch that is wrong in itself: every such batch is a warning. */
    private void failInvalid(FlowRuleBatchOperation batch, String reason) {
        log.warn("Batch {} of device {} failed on node {}: {}", batch.id(), batch.deviceId(), localNode, reason);
        delegate.accept(completed(batch, batch.operations(),
                CompletedBatchOperation.allFailed(batch, CompletedBatchOperation.Failure.INVALID, reason)));
    }

    /**
     * Fails a batch issued here that found no working master (none elected, or the master at
     * {@code node} failed, did not answer or left before the batch completed) or no room. Until a
     * batch of the device succeeds again, the failures that follow the first are logged at debug:
     * each one still reaches its issuer's delegate.
     */
    private void failIssued(FlowRuleBatchOperation batch, NodeId node, String reason,
                                   CompletedBatchOperation.Failure failure) {
        if (masterOutages.failed(batch.deviceId())) {
            log.warn("Batch {} of device {} issued on node {} failed at node {}: {} (further failures of this device's"
                    + " batches are logged at debug until one succeeds)", batch.id(), batch.deviceId(), localNode, node,
                    reason);
        } else {
            log.debug("Batch {} of device {} issued on node {} failed at node {}: {}", batch.id(), batch.deviceId(),
                    localNode, node, reason);
        }
        delegate.accept(completed(batch, batch.operations(), CompletedBatchOperation.allFailed(batch, failure, reason)));
    }

    private void masterWorks(DeviceId deviceId, NodeId master) {
        int failed = masterOutages.succeeded(deviceId);
        if (failed > 0) {
            log.info("Batches of device {} issued on node {} are taken by master {} again ({} failed meanwhile)",
                    deviceId, localNode, master, failed);
        }
    }

    private static FlowRuleBatchEvent completed(FlowRuleBatchOperation batch, List<FlowRuleBatchEntry> ops,
                                                CompletedBatchOperation result) {
        return FlowRuleBatchEvent.completed(new FlowRuleBatchRequest(batch.id(), ops), result);
    }
}
