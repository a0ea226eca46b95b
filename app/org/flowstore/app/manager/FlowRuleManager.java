package org.flowstore.app.manager;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.google.common.collect.Lists;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceEvent;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowEntry;
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
 * The flow-rule manager of one node: what applications call ({@link FlowRuleService}), what
 * device providers report to ({@link FlowRuleProviderService}), and the store's delegate.
 *
 * <p><b>Writes</b> from any node go to the store in batches of at most
 * {@link FlowRuleStore#MAX_BATCH_SIZE} rules per device; each returned future completes when the
 * store reports every batch COMPLETED (or, after {@code batchTimeout}, with every rule of a silent
 * batch failed). On a device's master, REQUESTED batches are pushed to the device through the
 * provider bound for the device's scheme, and the device's answer is handed back to the store.
 *
 * <p><b>Providers</b> are a whiteboard: any {@link FlowRuleProvider} service is bound for its
 * scheme while it is registered (the first one bound wins a scheme; the others wait as spares).
 *
 * <p><b>Reconciliation</b>, as ONOS does it, only on a device's master, whenever the device's
 * flows are known (reported by its provider, or read by the manager when the provider has been
 * silent for {@code fallbackFlowPollFrequency}, when the device connects and when this node
 * becomes its master): PENDING_ADD turns ADDED when the device shows the flow; a stored flow the
 * device does not hold is pushed again (at most once per {@code pendingAddRetry}); PENDING_REMOVE
 * entries disappear once the device no longer holds them; a flow the device holds and the store
 * does not know is removed from the device, or left there ({@code allowExtraneousRules}) and
 * stored ({@code importExtraneousRules}). A mastership change deletes nothing by itself: the new
 * master pushes what its (replicated) store holds and the device lacks; a deposed master pushes
 * nothing more. With {@code purgeOnDisconnection}, the store forgets a device's flows when the last
 * node connected to it disconnects. A flow the device removed by itself
 * ({@link #flowRemoved}) leaves the store when its timeout expired, confirms a removal the store
 * asked for, and is pushed again otherwise (at most once per {@code pendingAddRetry}).
 *
 * <p>Threads: one manager thread ({@code flowstore-manager-<node>}) runs every reconciliation,
 * the fallback polls and the reactions to device and mastership events, so a device is reconciled
 * by one thread at a time. Store events arrive on store threads and only start asynchronous work;
 * device answers complete on the providers' threads. The {@link Reconciliation}'s records of
 * pushes are shared with the threads that push requested batches (concurrent maps).
 */
@Component(service = {FlowRuleService.class, FlowRuleProviderService.class}, immediate = true,
        configurationPid = FlowRuleManager.PID)
@Designate(ocd = FlowRuleManagerProperties.class)
public final class FlowRuleManager implements FlowRuleService, FlowRuleProviderService {

    /** The manager's configuration PID. */
    public static final String PID = "org.flowstore.app.manager.FlowRuleManager";

    private static final Logger log = LoggerFactory.getLogger(FlowRuleManager.class);
    /** Time left to a new master's store to take the device's table over before the manager reads it. */
    private static final Duration TAKE_OVER_DELAY = Duration.ofMillis(200);
    /** Reads of a device's table the manager tries after a mastership change or connection before it waits for the next report. */
    private static final int RECONCILE_ATTEMPTS = 50;

    private final FlowRuleStore store;
    private final MastershipService mastership;
    private final ReplicaInfoService replicaInfo;
    private final DeviceService devices;
    private final NodeId localNode;
    /** Bound providers in binding order; the first of a scheme serves it. */
    private final List<FlowRuleProvider> providers = new CopyOnWriteArrayList<>();
    /**
     * Batch ids must not collide with another node's for the same device: they start at a random
     * point of a 62-bit space on every node and count up.
     */
    private final AtomicLong nextBatchId = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 62));
    private final Map<Long, CompletableFuture<List<FlowRule>>> issued = new ConcurrentHashMap<>();
    private final Reconciliation reconciliation;
    /** When each device's flows were last reported or read (System.nanoTime). */
    private final Map<DeviceId, Long> lastReport = new ConcurrentHashMap<>();
    /** Devices already logged as having no provider (until one binds). */
    private final Set<DeviceId> unserved = ConcurrentHashMap.newKeySet();
    private final FlowRuleStoreDelegate storeDelegate = this::onStoreEvent;
    private final Consumer<DeviceEvent> deviceListener = this::onDeviceEvent;
    private final Consumer<ReplicaInfoEvent> replicaListener = this::onReplicaEvent;

    private volatile ManagerConfig config = ManagerConfig.DEFAULTS;
    /** Set by activate; read by provider binding, which SCR may call on any thread. */
    private volatile ScheduledExecutorService executor;
    /** Set by activate: removals of an application's flows, on their own thread. */
    private volatile ApplicationRemovals removals;
    private ScheduledFuture<?> fallbackPoll;

    /**
     * Creates the manager on the store and the cluster services; {@link #activate} starts it.
     *
     * @param store the flow-rule store
     * @param mastership who masters each device
     * @param replicaInfo mastership changes
     * @param devices the devices of the cluster
     * @param cluster this node's identity
     */
    @Activate
    public FlowRuleManager(@Reference(name = "store") FlowRuleStore store,
                           @Reference(name = "mastership") MastershipService mastership,
                           @Reference(name = "replicaInfo") ReplicaInfoService replicaInfo,
                           @Reference(name = "devices") DeviceService devices,
                           @Reference(name = "cluster") ClusterService cluster) {
        this.store = store;
        this.mastership = mastership;
        this.replicaInfo = replicaInfo;
        this.devices = devices;
        this.localNode = cluster.getLocalNode();
        this.reconciliation = new Reconciliation(localNode, store, mastership, () -> config, this::send,
                Clock.systemUTC());
    }

    /**
     * Starts the manager: becomes the store's delegate and listens to devices and mastership.
     *
     * @param properties the component properties (see {@link FlowRuleManagerProperties})
     * @throws IllegalStateException if the store already has another delegate
     */
    @Activate
    public synchronized void activate(Map<String, Object> properties) {
        config = configure(ManagerConfig.DEFAULTS, properties);
        executor = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-manager-" + localNode).setDaemon(true).build());
        removals = new ApplicationRemovals(localNode, store, devices, rules -> write(FlowRuleOperation.REMOVE, rules),
                () -> config.batchTimeout());
        store.setDelegate(storeDelegate);
        devices.addListener(deviceListener);
        replicaInfo.addListener(replicaListener);
        scheduleFallbackPoll();
        log.info("Flow-rule manager started on node {} ({})", localNode, config);
    }

    /**
     * Applies changed properties without a restart; invalid values are refused and logged.
     *
     * @param properties the component properties
     */
    @Modified
    public synchronized void modified(Map<String, Object> properties) {
        ManagerConfig previous = config;
        config = configure(previous, properties);
        if (!config.fallbackFlowPollFrequency().equals(previous.fallbackFlowPollFrequency())) {
            scheduleFallbackPoll();
        }
        log.info("Flow-rule manager on node {} reconfigured ({})", localNode, config);
    }

    /** Stops: no longer the store's delegate; writes still waiting fail. */
    @Deactivate
    public synchronized void deactivate() {
        replicaInfo.removeListener(replicaListener);
        devices.removeListener(deviceListener);
        store.unsetDelegate(storeDelegate);
        executor.shutdownNow();
        removals.stop();
        IllegalStateException stopped = new IllegalStateException("the flow-rule manager of node " + localNode
                + " stopped before the batch completed");
        issued.values().forEach(f -> f.completeExceptionally(stopped));
        issued.clear();
        log.info("Flow-rule manager stopped on node {}", localNode);
    }

    private ManagerConfig configure(ManagerConfig base, Map<String, ?> properties) {
        ManagerConfig.Update update = base.apply(properties);
        update.rejected().forEach(r -> log.warn("Flow-rule manager on node {}: {}", localNode, r));
        return update.config();
    }

    /** Returns the settings in force. */
    public ManagerConfig config() {
        return config;
    }

    /**
     * Binds a device provider for its scheme: the devices of that scheme this node masters are
     * reconciled with it at once.
     *
     * @param provider the provider
     */
    @Reference(name = "providers", service = FlowRuleProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindProvider")
    public void bindProvider(FlowRuleProvider provider) {
        FlowRuleProvider serving = providerFor(provider.scheme());
        providers.add(provider);
        if (serving != null) {
            log.warn("Node {}: two device providers for scheme '{}': {} serves it, {} waits as a spare", localNode,
                    provider.scheme(), serving, provider);
            return;
        }
        log.info("Node {}: device provider {} bound for scheme '{}'", localNode, provider, provider.scheme());
        unserved.removeIf(d -> d.scheme().equals(provider.scheme()));
        if (executor != null) {
            for (DeviceId deviceId : devices.getDevices()) {
                if (deviceId.scheme().equals(provider.scheme()) && isMaster(deviceId)) {
                    reconcileSoon(deviceId, Duration.ZERO);
                }
            }
        }
    }

    /**
     * Unbinds a device provider: its scheme goes to a spare, if any. Batches it did not answer fail
     * after the batch timeout.
     *
     * @param provider the provider
     */
    public void unbindProvider(FlowRuleProvider provider) {
        providers.remove(provider);
        FlowRuleProvider next = providerFor(provider.scheme());
        log.info("Node {}: device provider {} unbound from scheme '{}'{}", localNode, provider, provider.scheme(),
                next == null ? "; no provider serves it now" : "; " + next + " serves it now");
    }

    private FlowRuleProvider providerFor(String scheme) {
        for (FlowRuleProvider p : providers) {
            if (p.scheme().equals(scheme)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public CompletableFuture<List<FlowRule>> applyFlowRules(Collection<? extends FlowRule> rules) {
        return write(FlowRuleOperation.ADD, rules);
    }

    @Override
    public CompletableFuture<List<FlowRule>> removeFlowRules(Collection<? extends FlowRule> rules) {
        return write(FlowRuleOperation.REMOVE, rules);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Device by device, in chunks (see {@link ApplicationRemovals}); asking again while the
     * application's flows are being removed joins that removal.
     */
    @Override
    public CompletableFuture<List<FlowRule>> removeFlowRulesById(ApplicationId appId) {
        ApplicationRemovals running = removals;
        if (running == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the flow-rule manager of node " + localNode
                    + " is not started"));
        }
        return running.remove(appId);
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

    @Override
    public int getFlowRuleCount(DeviceId deviceId) {
        return store.getFlowRuleCount(deviceId);
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
        Duration timeout = config.batchTimeout();
        CompletableFuture<List<FlowRule>> bounded = done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    if (!(e instanceof TimeoutException)) {
                        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                    }
                    issued.remove(batchId);
                    log.warn("Batch {} of {} rules for device {} issued by node {} got no answer within {} ms;"
                            + " counting its rules as failed", batchId, rules.size(), deviceId, localNode,
                            timeout.toMillis());
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

    private void onStoreEvent(FlowRuleBatchEvent event) {
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
                    } else if (result.failure() == CompletedBatchOperation.Failure.OVERLOADED) {
                        // Nothing was applied either: the caller learns which node had no room, to try later.
                        done.completeExceptionally(new FlowRuleStoreException.Overloaded(event.deviceId(),
                                result.reason()));
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
                outcome = CompletedBatchOperation.failed(deviceId,
                        request.ops().stream().map(FlowRuleBatchEntry::target).toList(),
                        "device " + deviceId + " did not acknowledge batch " + request.batchId() + " pushed by node "
                                + localNode + ": " + rootMessage(e));
            } else if (!result.success()) {
                log.warn("Device {} refused {} of the {} operations of batch {} pushed by node {}: {}", deviceId,
                        result.failedItems().size(), request.ops().size(), request.batchId(), localNode,
                        result.reason());
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
     * Sends operations to a device through its provider, recording when each flow was pushed so
     * that reconciliation does not push it again before {@code pendingAddRetry}. Fails (logged
     * here, once per device until a provider binds) when no provider serves the device's scheme;
     * bounded by the batch timeout.
     */
    private CompletableFuture<CompletedBatchOperation> send(DeviceId deviceId, List<FlowRuleBatchEntry> ops) {
        FlowRuleProvider provider = providerFor(deviceId.scheme());
        if (provider == null) {
            if (unserved.add(deviceId)) {
                log.warn("Node {} cannot program device {}: no device provider serves scheme '{}'", localNode,
                        deviceId, deviceId.scheme());
            }
            return CompletableFuture.failedFuture(new IllegalStateException("no device provider serves scheme '"
                    + deviceId.scheme() + "' on node " + localNode));
        }
        reconciliation.pushed(deviceId, ops);
        Duration timeout = config.batchTimeout();
        CompletableFuture<CompletedBatchOperation> answer;
        try {
            answer = provider.executeBatch(deviceId, ops);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e != null) {
                log.warn("Device {} did not take {} operations from node {} through {}: {}", deviceId, ops.size(),
                        localNode, provider, rootMessage(e));
            }
        });
    }

    @Override
    public void pushFlowMetrics(DeviceId deviceId, Collection<? extends FlowEntry> flows) {
        lastReport.put(deviceId, System.nanoTime());
        List<FlowEntry> copy = List.copyOf(flows);
        execute(() -> reconciliation.reconcile(deviceId, copy), deviceId);
    }

    @Override
    public void pushTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> tables) {
        if (isMaster(deviceId)) {
            try {
                store.updateTableStatistics(deviceId, tables);
            } catch (FlowRuleStoreException e) {
                log.debug("Node {} dropped the table statistics of {}: {}", localNode, deviceId, e.getMessage());
            }
        }
    }

    @Override
    public void flowRemoved(DeviceId deviceId, FlowId flowId, boolean expired) {
        execute(() -> reconciliation.flowRemoved(deviceId, flowId, expired), deviceId);
    }

    /** Reads a device's flows through its provider (on the manager thread) and reconciles them. */
    private void readAndReconcile(DeviceId deviceId, int attemptsLeft) {
        FlowRuleProvider provider = providerFor(deviceId.scheme());
        if (provider == null || !isMaster(deviceId)) {
            return;
        }
        if (!storeServes(deviceId)) {
            // A new master's store may still be taking the table over: ask again shortly.
            if (attemptsLeft > 1) {
                reconcileSoon(deviceId, TAKE_OVER_DELAY, attemptsLeft - 1);
            }
            return;
        }
        CompletableFuture<Collection<FlowEntry>> read;
        try {
            read = provider.readFlows(deviceId);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.orTimeout(config.batchTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete((flows, e) -> {
            if (e != null) {
                log.warn("Node {} could not read the flows of device {} through {}: {}", localNode, deviceId, provider,
                        rootMessage(e));
                return;
            }
            lastReport.put(deviceId, System.nanoTime());
            execute(() -> reconciliation.reconcile(deviceId, flows), deviceId);
        });
    }

    private boolean storeServes(DeviceId deviceId) {
        try {
            store.getFlowRuleCount(deviceId);
            return true;
        } catch (FlowRuleStoreException e) {
            return false;
        }
    }

    private void reconcileSoon(DeviceId deviceId, Duration delay) {
        reconcileSoon(deviceId, delay, RECONCILE_ATTEMPTS);
    }

    private void reconcileSoon(DeviceId deviceId, Duration delay, int attempts) {
        try {
            executor.schedule(() -> readAndReconcile(deviceId, attempts), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.debug("Node {} skips reconciling {}: the manager is stopping", localNode, deviceId);
        }
    }

    private void execute(Runnable task, DeviceId deviceId) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("Node {} failed to reconcile device {}: {}", localNode, deviceId, e.toString(), e);
                }
            });
        } catch (RuntimeException e) {
            log.debug("Node {} skips reconciling {}: the manager is stopping", localNode, deviceId);
        }
    }

    /** Every fallback period: reads the devices this node masters whose provider has not reported them in that time. */
    private synchronized void scheduleFallbackPoll() {
        if (fallbackPoll != null) {
            fallbackPoll.cancel(false);
        }
        long period = config.fallbackFlowPollFrequency().toMillis();
        fallbackPoll = executor.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            long stale = config.fallbackFlowPollFrequency().toNanos();
            for (DeviceId deviceId : devices.getDevices()) {
                Long last = lastReport.get(deviceId);
                if ((last == null || now - last >= stale) && isMaster(deviceId)) {
                    readAndReconcile(deviceId, 1);
                }
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private void onReplicaEvent(ReplicaInfoEvent event) {
        if (event.type() != ReplicaInfoEvent.Type.MASTER_CHANGED) {
            return;
        }
        DeviceId deviceId = event.deviceId();
        if (event.mastership().isMaster(localNode)) {
            // A new master reconciles at once: it pushes what the device lacks, and nothing else moves.
            reconciliation.becameMaster(deviceId);
            lastReport.remove(deviceId);
            reconcileSoon(deviceId, TAKE_OVER_DELAY);
        } else {
            // Pushes recorded while this node was master say nothing about what the next master did.
            reconciliation.forget(deviceId);
        }
    }

    private void onDeviceEvent(DeviceEvent event) {
        DeviceId deviceId = event.deviceId();
        switch (event.type()) {
            case DEVICE_ADDED -> reconcileSoon(deviceId, TAKE_OVER_DELAY);
            case DEVICE_REMOVED -> {
                // Heard before this node leaves the device's election: the purge runs while it is still master.
                MastershipInfo info = mastership.getMastershipFor(deviceId);
                if (config.purgeOnDisconnection() && info.isMaster(localNode) && info.backups().isEmpty()) {
                    try {
                        store.purgeFlowRule(deviceId);
                        log.info("Node {} purged the flows of {}: the last connection to it closed", localNode,
                                deviceId);
                    } catch (FlowRuleStoreException e) {
                        log.warn("Node {} could not purge the flows of disconnected device {}: {}", localNode,
                                deviceId, e.getMessage());
                    }
                }
                reconciliation.forget(deviceId);
                lastReport.remove(deviceId);
            }
        }
    }

    private boolean isMaster(DeviceId deviceId) {
        return mastership.getMastershipFor(deviceId).isMaster(localNode);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof TimeoutException ? "no answer in time" : t.toString();
    }
}
