package org.flowstore.app.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import com.google.common.collect.Lists;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreException;

/**
 * Removes every flow of an application, however many: device by device, each device's table read
 * and its application's flows removed in chunks of {@value #CHUNK}, one chunk after the other.
 * A million flows removed at once would be a hundred batches of the largest size waiting for
 * their masters (past the store's {@code maxWaitingFlows}: refused as overloaded); in chunks, the
 * store's queues stay short and the node's other writes keep their turn. Flows a batch could not
 * mark for removal (the store did not confirm it: the device's mastership moved meanwhile) are
 * read again and removed by a further pass, up to {@value #PASSES} passes.
 *
 * <p>Threads: removals run on this class's own thread (a table read blocks), one after the other;
 * asking to remove an application's flows while a removal of them runs joins that one. A device
 * without master (unavailable: none of the nodes is connected to it) is skipped, as reading the
 * application's flows skips it. A device whose table cannot be read or whose chunk fails
 * (timeout, overloaded) is logged once, with the device and this node, and the removal goes on
 * with the next device; the removal then fails with that device's failure, having removed
 * everything else.
 */
final class ApplicationRemovals {

    private static final Logger log = LoggerFactory.getLogger(ApplicationRemovals.class);

    /** Flows removed together: two batches of the store's largest size, the second waiting behind the first. */
    static final int CHUNK = 2 * FlowRuleStore.MAX_BATCH_SIZE;
    /**
     * Passes over a device's table at most: the flows a pass could not mark for removal (a batch
     * failed while the device's mastership moved) are read again and removed by the next.
     */
    static final int PASSES = 3;
    /** Beyond the manager's batch timeout (which fails a chunk's unanswered batches), for a chunk's answer. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    private final NodeId localNode;
    private final FlowRuleStore store;
    private final DeviceService devices;
    /** Issues removals of rules; completes with the rules that failed, as {@code removeFlowRules}. */
    private final Function<List<FlowRule>, CompletableFuture<List<FlowRule>>> remover;
    private final Supplier<Duration> batchTimeout;
    private final ExecutorService thread;
    private final Map<ApplicationId, CompletableFuture<List<FlowRule>>> running = new ConcurrentHashMap<>();

    ApplicationRemovals(NodeId localNode, FlowRuleStore store, DeviceService devices,
                        Function<List<FlowRule>, CompletableFuture<List<FlowRule>>> remover,
                        Supplier<Duration> batchTimeout) {
        this.localNode = localNode;
        this.store = store;
        this.devices = devices;
        this.remover = remover;
        this.batchTimeout = batchTimeout;
        this.thread = Executors.newSingleThreadExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-removals-" + localNode).setDaemon(true).build());
    }

    /**
     * Removes an application's flows on every device, or joins the removal of them that runs.
     *
     * @return completes with the rules whose removal failed (their devices did not confirm it),
     *         or fails with the first device's {@link FlowRuleStoreException}
     */
    CompletableFuture<List<FlowRule>> remove(ApplicationId appId) {
        CompletableFuture<List<FlowRule>> started = new CompletableFuture<>();
        CompletableFuture<List<FlowRule>> removal = running.putIfAbsent(appId, started);
        if (removal != null) {
            return removal;
        }
        started.whenComplete((r, e) -> running.remove(appId, started));
        try {
            thread.execute(() -> runGuarded(appId, started));
        } catch (RejectedExecutionException stopped) {
            started.completeExceptionally(new IllegalStateException("the flow-rule manager of node " + localNode
                    + " stopped"));
        }
        return started;
    }

    /** Stops: the removal running ends after its chunk; those not started fail. */
    void stop() {
        thread.shutdownNow();
        IllegalStateException stopped = new IllegalStateException("the flow-rule manager of node " + localNode
                + " stopped before the removal finished");
        running.values().forEach(f -> f.completeExceptionally(stopped));
    }

    /** Runs a removal; whatever escapes it fails the removal rather than leaving its callers waiting. */
    private void runGuarded(ApplicationId appId, CompletableFuture<List<FlowRule>> result) {
        try {
            run(appId, result);
        } catch (RuntimeException | Error e) {
            log.warn("Node {} stopped removing the flows of {}: {}", localNode, appId.name(), e.toString(), e);
            result.completeExceptionally(e);
            if (e instanceof Error error) {
                throw error;
            }
        }
    }

    private void run(ApplicationId appId, CompletableFuture<List<FlowRule>> result) {
        long start = System.nanoTime();
        List<FlowRule> failed = new ArrayList<>();
        FlowRuleStoreException firstFailure = null;
        int removed = 0;
        for (DeviceId deviceId : devices.getDevices()) {
            if (result.isDone()) {
                return; // stopped
            }
            try {
                List<FlowRule> owned = owned(appId, deviceId, false);
                removed += owned.size();
                for (int pass = 1; !owned.isEmpty(); pass++) {
                    List<FlowRule> failedNow = new ArrayList<>();
                    for (List<FlowRule> chunk : Lists.partition(owned, CHUNK)) {
                        failedNow.addAll(removeChunk(chunk, deviceId));
                    }
                    if (failedNow.isEmpty() || pass == PASSES) {
                        failed.addAll(failedNow);
                        break;
                    }
                    // A batch the store could not confirm (its master moved meanwhile) left flows as they were.
                    owned = owned(appId, deviceId, true);
                    log.info("Node {} removes the flows of {} on device {} again: {} were not confirmed, {} are"
                            + " not marked for removal", localNode, appId.name(), deviceId, failedNow.size(), owned.size());
                }
            } catch (FlowRuleStoreException.NoMaster e) {
                // Unavailable (no node is connected to it): nothing can be removed there now, as a read finds nothing.
                log.warn("Node {} skipped the flows of {} on device {}: it has no master", localNode, appId.name(),
                        deviceId);
            } catch (FlowRuleStoreException e) {
                log.warn("Node {} could not remove the flows of {} on device {}: {}; going on with the other devices",
                        localNode, appId.name(), deviceId, e.getMessage());
                firstFailure = firstFailure == null ? e : firstFailure;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(new FlowRuleStoreException(deviceId, "the removal of the flows of "
                        + appId.name() + " on node " + localNode + " was stopped", e));
                return;
            }
        }
        log.info("Node {} marked {} flows of {} for removal in {} ms ({} not confirmed{})", localNode, removed,
                appId.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), failed.size(),
                firstFailure == null ? "" : "; some devices failed: " + firstFailure.getMessage());
        if (firstFailure != null) {
            result.completeExceptionally(firstFailure);
        } else {
            result.complete(failed);
        }
    }

    /** The application's flows on a device, as its master reads them; only those not being removed, if asked. */
    private List<FlowRule> owned(ApplicationId appId, DeviceId deviceId, boolean notPendingRemove) {
        return store.getFlowEntries(deviceId).stream().filter(e -> e.appId().equals(appId))
                .filter(e -> !notPendingRemove || e.state() != FlowEntryState.PENDING_REMOVE)
                .map(FlowEntry::rule).toList();
    }

    /** Removes one chunk and waits for the store's answer; a typed store failure is rethrown as it is. */
    private List<FlowRule> removeChunk(List<FlowRule> chunk, DeviceId deviceId) throws InterruptedException {
        Duration wait = batchTimeout.get().plus(SLACK);
        try {
            return remover.apply(chunk).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof FlowRuleStoreException storeFailure ? storeFailure
                    : new FlowRuleStoreException(deviceId, "removing " + chunk.size() + " flows failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new FlowRuleStoreException(deviceId, "removing " + chunk.size() + " flows got no answer within "
                    + wait.toMillis() + " ms", e);
        }
    }
}
