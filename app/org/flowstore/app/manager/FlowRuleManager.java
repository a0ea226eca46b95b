package org.flowstore.app.manager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.google.common.collect.Lists;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.FlowRuleProvider;
import org.flowstore.api.flow.FlowRuleProviderService;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreDelegate;
import org.flowstore.api.store.FlowRuleStoreException;

/**
 * The flow-rule manager of one node: the store's caller and delegate, and the device provider's
 * listener.
 *
 * <p>Writes from any node go to the store in batches of at most
 * {@link FlowRuleStore#MAX_BATCH_SIZE} rules per device; each returned future completes when the
 * store reports every batch COMPLETED (or, bounded by {@code batchTimeout}, with every rule of a
 * silent batch failed). On a device's master, REQUESTED batches are pushed to the device and its
 * acknowledgement is handed back to the store. Statistics the device reports drive the entry
 * states as in ONOS: PENDING_ADD turns ADDED when the device shows the flow, PENDING_REMOVE
 * entries disappear once the device no longer has them, flows the device lost are applied
 * again, and flows the store does not know are removed from the device.
 *
 * <p>Threads: store events arrive on store threads and only start asynchronous work;
 * device acknowledgements complete on the provider's threads; statistics arrive on the
 * provider's polling thread. {@code pushing} is the only state shared between them.
 */
public final class FlowRuleManager implements FlowRuleService, FlowRuleProviderService, FlowRuleStoreDelegate {

    private static final Logger log = LoggerFactory.getLogger(FlowRuleManager.class);

    private final FlowRuleStore store;
    private final MastershipService mastership;
    private final DeviceService devices;
    private final FlowRuleProvider provider;
    private final NodeId localNode;
    private final Duration batchTimeout;
    /**
     * Batch ids must not collide with another node's for the same device: they start at a random
     * point of a 62-bit space on every node and count up.
     */
    private final AtomicLong nextBatchId = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 62));
    private final Map<Long, CompletableFuture<List<FlowRule>>> issued = new ConcurrentHashMap<>();
    /** Flows pushed to each device and not yet acknowledged: statistics must not push them again. */
    private final Map<DeviceId, Set<FlowId>> pushing = new ConcurrentHashMap<>();

    /**
     * Creates the manager; register it with {@code store.setDelegate(manager)}.
     *
     * @param store the flow-rule store
     * @param mastership who masters each device
     * @param devices the devices of the cluster
     * @param provider programs the devices this node masters
     * @param localNode this node
     * @param batchTimeout how long a batch may go unanswered before its rules count as failed
     */
    public FlowRuleManager(FlowRuleStore store, MastershipService mastership, DeviceService devices,
                           FlowRuleProvider provider, NodeId localNode, Duration batchTimeout) {
        this.store = store;
        this.mastership = mastership;
        this.devices = devices;
        this.provider = provider;
        this.localNode = localNode;
        this.batchTimeout = batchTimeout;
    }

    @Override
    public CompletableFuture<List<FlowRule>> applyFlowRules(Collection<? extends FlowRule> rules) {
        return write(FlowRuleOperation.ADD, rules);
    }

    @Override
    public CompletableFuture<List<FlowRule>> removeFlowRules(Collection<? extends FlowRule> rules) {
        return write(FlowRuleOperation.REMOVE, rules);
    }

    @Override
    public CompletableFuture<List<FlowRule>> removeFlowRulesById(ApplicationId appId) {
        return removeFlowRules(getFlowEntriesById(appId).stream().map(FlowEntry::rule).toList());
    }

    @Override
    public List<FlowEntry> getFlowEntries(DeviceId deviceId) {
        return store.getFlowEntries(deviceId);
    }

    @Override
    public List<FlowEntry> getFlowEntriesById(ApplicationId appId) {
        List<FlowEntry> owned = new ArrayList<>();
        for (DeviceId deviceId : devices.getDevices()) {
            try {
                store.getFlowEntries(deviceId).stream().filter(e -> e.appId().equals(appId)).forEach(owned::add);
            } catch (FlowRuleStoreException e) {
                log.warn("Node {} skipped the flows of {} on {}: {}", localNode, appId.name(), deviceId, e.getMessage());
            }
        }
        return owned;
    }

    @Override
    public int getFlowRuleCount() {
        return store.getFlowRuleCount();
    }

    private CompletableFuture<List<FlowRule>> write(FlowRuleOperation op, Collection<? extends FlowRule> rules) {
        Map<DeviceId, List<FlowRule>> byDevice = new LinkedHashMap<>();
        rules.forEach(r -> byDevice.computeIfAbsent(r.deviceId(), d -> new ArrayList<>()).add(r));
        List<CompletableFuture<List<FlowRule>>> batches = new ArrayList<>();
        byDevice.forEach((deviceId, deviceRules) -> {
            for (List<FlowRule> part : Lists.partition(deviceRules, FlowRuleStore.MAX_BATCH_SIZE)) {
                batches.add(issue(op, deviceId, part));
            }
        });
        return CompletableFuture.allOf(batches.toArray(new CompletableFuture[0])).thenApply(v -> {
            List<FlowRule> failed = new ArrayList<>();
            batches.forEach(b -> failed.addAll(b.join()));
            return failed;
        });
    }

    private CompletableFuture<List<FlowRule>> issue(FlowRuleOperation op, DeviceId deviceId, List<FlowRule> rules) {
        long batchId = nextBatchId.getAndIncrement();
        List<FlowRuleBatchEntry> entries = rules.stream().map(r -> new FlowRuleBatchEntry(op, r)).toList();
        CompletableFuture<List<FlowRule>> done = new CompletableFuture<>();
        issued.put(batchId, done);
        CompletableFuture<List<FlowRule>> bounded = done.orTimeout(batchTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    if (!(e instanceof TimeoutException)) {
                        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                    }
                    issued.remove(batchId);
                    log.warn("Batch {} of {} rules for device {} issued by node {} got no answer within {} ms;"
                            + " counting its rules as failed", batchId, rules.size(), deviceId, localNode,
                            batchTimeout.toMillis());
                    return rules;
                });
        try {
            store.storeBatch(new FlowRuleBatchOperation(entries, deviceId, batchId));
        } catch (RuntimeException e) {
            issued.remove(batchId);
            log.warn("Node {} could not store batch {} for device {}: {}", localNode, batchId, deviceId, e.getMessage());
            done.complete(rules);
        }
        return bounded;
    }

    @Override
    public void notify(FlowRuleBatchEvent event) {
        switch (event.type()) {
            case BATCH_OPERATION_REQUESTED -> push(event.deviceId(), event.subject());
            case BATCH_OPERATION_COMPLETED -> {
                CompletableFuture<List<FlowRule>> done = issued.remove(event.batchId());
                if (done != null) {
                    CompletedBatchOperation result = event.result();
                    if (!result.success()) {
                        log.info("Batch {} for device {} issued by node {}: {} rules failed ({})", event.batchId(),
                                event.deviceId(), localNode, result.failedItems().size(), result.reason());
                    }
                    if (result.failure() == CompletedBatchOperation.Failure.NO_MASTER) {
                        // Nothing was applied: the caller learns which device to wait for, as a typed failure.
                        done.completeExceptionally(new FlowRuleStoreException.NoMaster(event.deviceId()));
                    } else {
                        done.complete(result.success() ? List.of() : result.failedItems());
                    }
                }
            }
        }
    }

    /** Pushes a batch the store applied to the device this node masters, and reports the device's answer. */
    private void push(DeviceId deviceId, FlowRuleBatchRequest request) {
        send(deviceId, request.ops()).whenComplete((result, e) -> {
            CompletedBatchOperation outcome = result;
            if (e != null) {
                log.warn("Device {} did not acknowledge batch {} pushed by node {}: {}", deviceId,
                        request.batchId(), localNode, e.toString());
                outcome = CompletedBatchOperation.failed(deviceId,
                        request.ops().stream().map(FlowRuleBatchEntry::target).toList(),
                        "device " + deviceId + " did not acknowledge: " + e);
            }
            try {
                store.batchOperationComplete(FlowRuleBatchEvent.completed(request, outcome));
            } catch (RuntimeException failure) {
                log.warn("Node {} could not report the completion of batch {} of {}: {}", localNode,
                        request.batchId(), deviceId, failure.toString());
            }
        });
    }

    /**
     * Sends operations to a device, marking their flows as being pushed until the device answers
     * (bounded by the batch timeout), so that statistics do not push them again meanwhile.
     */
    private CompletableFuture<CompletedBatchOperation> send(DeviceId deviceId, List<FlowRuleBatchEntry> ops) {
        Set<FlowId> inFlight = pushing.computeIfAbsent(deviceId, d -> ConcurrentHashMap.newKeySet());
        ops.forEach(op -> inFlight.add(op.target().id()));
        return provider.executeBatch(deviceId, ops)
                .orTimeout(batchTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((result, e) -> ops.forEach(op -> inFlight.remove(op.target().id())));
    }

    @Override
    public void pushFlowMetrics(DeviceId deviceId, Collection<? extends FlowEntry> flows) {
        if (!mastership.getMastershipFor(deviceId).isMaster(localNode)) {
            return;
        }
        List<FlowEntry> stored;
        try {
            stored = store.getFlowEntries(deviceId);
        } catch (FlowRuleStoreException e) {
            log.debug("Node {} skips the statistics of {}: {}", localNode, deviceId, e.getMessage());
            return;
        }
        Map<FlowId, FlowEntry> onDevice = new HashMap<>(flows.size() * 2);
        flows.forEach(f -> onDevice.put(f.id(), f));
        Set<FlowId> inFlight = pushing.getOrDefault(deviceId, Set.of());
        List<FlowRuleBatchEntry> repairs = new ArrayList<>();
        for (FlowEntry entry : stored) {
            FlowEntry seen = onDevice.remove(entry.id());
            if (inFlight.contains(entry.id())) {
                continue;
            }
            switch (entry.state()) {
                case PENDING_ADD, ADDED -> {
                    if (seen == null) {
                        // Lost by the device (or never reached it, e.g. pushed by a master that died).
                        repairs.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, entry.rule()));
                    } else if (entry.state() == FlowEntryState.PENDING_ADD || seen.packets() != entry.packets()
                            || seen.bytes() != entry.bytes()) {
                        update(() -> store.addOrUpdateFlowRule(seen), deviceId);
                    }
                }
                case PENDING_REMOVE -> {
                    if (seen == null) {
                        update(() -> store.removeFlowRule(entry), deviceId);
                    } else {
                        repairs.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, entry.rule()));
                    }
                }
                case FAILED, REMOVED -> {
                    if (seen != null) {
                        repairs.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, seen.rule()));
                    }
                }
            }
        }
        // What is left on the device is unknown to the store: extraneous, removed as in ONOS.
        onDevice.values().stream().filter(f -> !inFlight.contains(f.id()))
                .forEach(f -> repairs.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, f.rule())));
        if (!repairs.isEmpty()) {
            log.debug("Node {} re-pushes {} operations to {} after its statistics", localNode, repairs.size(), deviceId);
            send(deviceId, repairs).whenComplete((result, e) -> {
                if (e != null) {
                    log.warn("Device {} did not take {} repairs from node {}: {}", deviceId, repairs.size(),
                            localNode, e.toString());
                }
            });
        }
    }

    @Override
    public void pushTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> tables) {
        if (mastership.getMastershipFor(deviceId).isMaster(localNode)) {
            update(() -> store.updateTableStatistics(deviceId, tables), deviceId);
        }
    }

    private void update(Runnable storeCall, DeviceId deviceId) {
        try {
            storeCall.run();
        } catch (FlowRuleStoreException e) {
            // Mastership moved while the statistics were being applied: the new master polls too.
            log.debug("Node {} dropped a statistics update of {}: {}", localNode, deviceId, e.getMessage());
        }
    }
}
