package org.flowstore.store.flow;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterCommunicationService;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreDelegate;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.serializers.StoreSerializer;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.BucketRepair;
import org.flowstore.serializers.protocol.CountQuery;
import org.flowstore.serializers.protocol.DigestCheck;
import org.flowstore.serializers.protocol.EntryQuery;
import org.flowstore.serializers.protocol.PurgeRequest;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.TableStatisticsUpdate;
import org.flowstore.serializers.protocol.TotalCountQuery;
import org.flowstore.serializers.protocol.ValueList;

/**
 * The distributed flow-rule store component: lifecycle, configuration and the
 * {@link FlowRuleStore} contract. Each read or entry update is a {@link MasterRouter.Route}
 * that runs on the device's master; batches go through the {@link BatchCoordinator}; tables
 * live in {@link FlowTables}.
 *
 * <p>Threads: API calls run on the caller's thread and block at most the router's timeout when
 * the master is another node. Requests from other nodes run on the message-handler pool
 * ({@code msgHandlerPoolSize} threads, resized live) once the device's table is active, without
 * holding a thread while it is activated; replication messages run on their own small pool, so
 * copies keep moving when every handler is busy with clients. The delegate is called on the thread that
 * caused the event: the caller's for local batches, a message handler's for remote ones.
 */
@Component(service = FlowRuleStore.class, immediate = true,
        configurationPid = "org.flowstore.store.flow.DistributedFlowRuleStore")
@Designate(ocd = FlowStoreProperties.class)
public final class DistributedFlowRuleStore implements FlowRuleStore {

    private static final Logger log = LoggerFactory.getLogger(DistributedFlowRuleStore.class);

    /** How long a call waits for a device's master to answer. */
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(5);
    /** How often forwarded batches whose completion can no longer come are failed. */
    static final Duration ORPHAN_CHECK_PERIOD = Duration.ofSeconds(1);
    /** Threads handling replication messages, apart from the message handlers so copies never wait behind clients. */
    static final int REPLICATION_THREADS = 2;

    private final ClusterService cluster;
    private final ClusterCommunicationService comms;
    private final MastershipService mastership;
    private final ReplicaInfoService replicaInfo;
    private final DeviceService devices;
    private final Clock clock;
    private final Duration remoteTimeout;
    private final StoreSerializer serializer = new StoreSerializer();
    private final AtomicReference<FlowRuleStoreDelegate> delegate = new AtomicReference<>();
    private final AtomicLong batchIds = new AtomicLong();

    private volatile StoreConfig config = StoreConfig.DEFAULTS;
    private NodeId localNode;
    private ThreadPoolExecutor messageHandlers;
    private ExecutorService replicationHandlers;
    private ScheduledExecutorService scheduler;
    private FlowTables tables;
    private MasterRouter router;
    private BatchCoordinator batches;
    private Replicator replicator;
    private BackupReceiver receiver;
    private TermSync termSync;
    private AntiEntropy antiEntropy;

    private MasterRouter.Route<FlowRule, FlowEntry> entryGet;
    private MasterRouter.Route<EntryQuery, FlowEntry> entryGetById;
    private MasterRouter.Route<DeviceId, ValueList> entriesGet;
    private MasterRouter.Route<CountQuery, Integer> countGet;
    private MasterRouter.Route<DeviceId, ValueList> countsGet;
    private MasterRouter.Route<FlowEntry, FlowRuleEvent> entryReport;
    private MasterRouter.Route<FlowEntry, FlowRuleEvent> entryRemove;
    private MasterRouter.Route<FlowEntry, FlowRuleEvent> entryPending;
    private MasterRouter.Route<PurgeRequest, Integer> entriesPurge;
    private MasterRouter.Route<TableStatisticsUpdate, Boolean> tableStatsUpdate;
    private MasterRouter.Route<DeviceId, ValueList> tableStatsGet;

    /**
     * Creates the store on the cluster services it runs on; {@link #activate} starts it.
     *
     * @param cluster membership
     * @param comms messaging
     * @param mastership per-device mastership
     * @param replicaInfo replica placement events
     * @param devices the device inventory
     */
    @Activate
    public DistributedFlowRuleStore(@Reference(name = "cluster") ClusterService cluster,
                                    @Reference(name = "comms") ClusterCommunicationService comms,
                                    @Reference(name = "mastership") MastershipService mastership,
                                    @Reference(name = "replicaInfo") ReplicaInfoService replicaInfo,
                                    @Reference(name = "devices") DeviceService devices) {
        this(cluster, comms, mastership, replicaInfo, devices, Clock.systemUTC(), REMOTE_TIMEOUT);
    }

    DistributedFlowRuleStore(ClusterService cluster, ClusterCommunicationService comms, MastershipService mastership,
                             ReplicaInfoService replicaInfo, DeviceService devices, Clock clock,
                             Duration remoteTimeout) {
        this.cluster = requireNonNull(cluster, "cluster");
        this.comms = requireNonNull(comms, "comms");
        this.mastership = requireNonNull(mastership, "mastership");
        this.replicaInfo = requireNonNull(replicaInfo, "replicaInfo");
        this.devices = requireNonNull(devices, "devices");
        this.clock = requireNonNull(clock, "clock");
        this.remoteTimeout = requireNonNull(remoteTimeout, "remoteTimeout");
    }

    /**
     * Starts the store: applies the properties, starts the message handlers and serves requests.
     *
     * @param properties the component properties (see {@link FlowStoreProperties})
     */
    @Activate
    public synchronized void activate(Map<String, Object> properties) {
        localNode = cluster.getLocalNode();
        config = configure(StoreConfig.DEFAULTS, properties);
        messageHandlers = new ThreadPoolExecutor(config.msgHandlerPoolSize(), config.msgHandlerPoolSize(),
                0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new ThreadFactoryBuilder().setNameFormat("flowstore-msg-" + localNode + "-%d").setDaemon(true).build());
        scheduler = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-replication-" + localNode).setDaemon(true).build());
        tables = new FlowTables(mastership);
        replicationHandlers = Executors.newFixedThreadPool(REPLICATION_THREADS, new ThreadFactoryBuilder()
                .setNameFormat("flowstore-replica-rx-" + localNode + "-%d").setDaemon(true).build());
        TermPromises promises = new TermPromises();
        ReplicaQuorum quorum = new ReplicaQuorum(cluster, this::config);
        router = new MasterRouter(localNode, mastership, devices, comms, serializer, messageHandlers,
                replicationHandlers, remoteTimeout, promises, tables::whenActive);
        replicator = new Replicator(router, tables, mastership, quorum, this::config, scheduler);
        receiver = new BackupReceiver(localNode, tables, mastership, this::activating, promises);
        batches = new BatchCoordinator(router, tables, comms, serializer, messageHandlers, this::notifyDelegate,
                replicator, this::config, quorum, mastership);
        termSync = new TermSync(router, tables, replicator, receiver, mastership, replicaInfo, messageHandlers,
                batches::failOrphans, cluster, quorum);
        antiEntropy = new AntiEntropy(router, tables, replicator, mastership, this::config, scheduler);
        scheduler.scheduleWithFixedDelay(() -> batches.failOrphans(null, MastershipInfo.NONE),
                ORPHAN_CHECK_PERIOD.toMillis(), ORPHAN_CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        declareRoutes();
        router.serveReplication(FlowStoreSubjects.BACKUP_DELTA, BackupDelta.class, receiver::onDelta);
        router.serveReplication(FlowStoreSubjects.BACKUP_SNAPSHOT, SnapshotChunk.class, receiver::onSnapshotChunk);
        router.serveReplication(FlowStoreSubjects.DIGEST_CHECK, DigestCheck.class, receiver::onDigestCheck);
        router.serveReplication(FlowStoreSubjects.BUCKET_REPAIR, BucketRepair.class, receiver::onBucketRepair);
        batches.start();
        termSync.start();
        replicator.schedule();
        antiEntropy.schedule();
        log.info("Flow store started on node {} ({})", localNode, config);
    }

    /**
     * Applies changed properties without a restart; invalid values are refused and logged.
     *
     * @param properties the component properties
     */
    @Modified
    public synchronized void modified(Map<String, Object> properties) {
        StoreConfig next = configure(config, properties);
        if (next.msgHandlerPoolSize() != config.msgHandlerPoolSize()) {
            int size = next.msgHandlerPoolSize();
            if (size > messageHandlers.getMaximumPoolSize()) {
                messageHandlers.setMaximumPoolSize(size);
                messageHandlers.setCorePoolSize(size);
            } else {
                messageHandlers.setCorePoolSize(size);
                messageHandlers.setMaximumPoolSize(size);
            }
        }
        boolean backupPeriodChanged = next.backupPeriodMillis() != config.backupPeriodMillis();
        boolean antiEntropyPeriodChanged = next.antiEntropyPeriodMillis() != config.antiEntropyPeriodMillis();
        config = next;
        if (backupPeriodChanged) {
            replicator.schedule();
        }
        if (antiEntropyPeriodChanged) {
            antiEntropy.schedule();
        }
        log.info("Flow store on node {} reconfigured ({})", localNode, config);
    }

    /** Stops serving, ends the message handlers and drops this node's tables. */
    @Deactivate
    public synchronized void deactivate() {
        termSync.stop();
        antiEntropy.stop();
        replicator.stop();
        scheduler.shutdownNow();
        replicationHandlers.shutdownNow();
        batches.stop();
        router.close();
        messageHandlers.shutdown();
        try {
            if (!messageHandlers.awaitTermination(remoteTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Message handlers of node {} did not finish within {} ms; interrupting them", localNode,
                        remoteTimeout.toMillis());
                messageHandlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            messageHandlers.shutdownNow();
        }
        tables.clear();
        log.info("Flow store stopped on node {}", localNode);
    }

    /**
     * Returns this node's own copy of a device's table, whatever its role, or null: a hook for
     * fault-injection tests, never used to answer a caller.
     */
    DeviceFlowTable localCopy(DeviceId deviceId) {
        return tables.existing(deviceId);
    }

    /** Returns the settings in force. */
    public StoreConfig config() {
        return config;
    }

    @Override
    public void setDelegate(FlowRuleStoreDelegate newDelegate) {
        requireNonNull(newDelegate, "delegate");
        if (!delegate.compareAndSet(null, newDelegate) && delegate.get() != newDelegate) {
            throw new IllegalStateException("the flow store of node " + localNode + " already has a delegate");
        }
    }

    @Override
    public void unsetDelegate(FlowRuleStoreDelegate oldDelegate) {
        delegate.compareAndSet(oldDelegate, null);
    }

    @Override
    public int getFlowRuleCount() {
        Map<NodeId, List<DeviceId>> byMaster = new HashMap<>();
        for (DeviceId deviceId : devices.getDevices()) {
            mastership.getMastershipFor(deviceId).master()
                    .ifPresent(master -> byMaster.computeIfAbsent(master, n -> new ArrayList<>()).add(deviceId));
        }
        long total = 0;
        for (Map.Entry<NodeId, List<DeviceId>> e : byMaster.entrySet()) {
            if (e.getKey().equals(localNode)) {
                total += countLocal(new TotalCountQuery(e.getValue()));
            } else {
                Integer count = router.await(FlowStoreSubjects.TOTAL_COUNT_GET, Integer.class, null, e.getKey(),
                        router.send(FlowStoreSubjects.TOTAL_COUNT_GET, new TotalCountQuery(e.getValue()), e.getKey()));
                total += count;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    @Override
    public int getFlowRuleCount(DeviceId deviceId) {
        return countGet.call(new CountQuery(deviceId, null));
    }

    @Override
    public int getFlowRuleCount(DeviceId deviceId, FlowEntryState state) {
        return countGet.call(new CountQuery(deviceId, requireNonNull(state, "state")));
    }

    @Override
    public Map<FlowEntryState, Integer> getFlowRuleCountsByState(DeviceId deviceId) {
        List<Integer> counts = countsGet.call(requireNonNull(deviceId, "deviceId")).values(Integer.class);
        Map<FlowEntryState, Integer> byState = new EnumMap<>(FlowEntryState.class);
        FlowEntryState[] states = FlowEntryState.values();
        if (counts.size() != states.length) {
            throw new FlowRuleStoreException(deviceId, "the master of " + deviceId + " counted " + counts.size()
                    + " entry states, this node knows " + states.length, null);
        }
        for (int i = 0; i < states.length; i++) {
            byState.put(states[i], counts.get(i));
        }
        return byState;
    }

    @Override
    public FlowEntry getFlowEntry(FlowRule rule) {
        return entryGet.call(requireNonNull(rule, "rule"));
    }

    @Override
    public FlowEntry getFlowEntry(DeviceId deviceId, FlowId flowId) {
        return entryGetById.call(new EntryQuery(deviceId, flowId.value()));
    }

    @Override
    public List<FlowEntry> getFlowEntries(DeviceId deviceId) {
        return entriesGet.call(requireNonNull(deviceId, "deviceId")).values(FlowEntry.class);
    }

    @Override
    public void storeFlowRule(FlowRule rule) {
        storeBatch(single(FlowRuleOperation.ADD, rule));
    }

    @Override
    public void storeBatch(FlowRuleBatchOperation batch) {
        batches.submit(requireNonNull(batch, "batch"));
    }

    @Override
    public void batchOperationComplete(FlowRuleBatchEvent event) {
        requireNonNull(event, "event");
        if (event.type() != FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED) {
            throw new IllegalArgumentException("batchOperationComplete needs a COMPLETED event, not " + event.type());
        }
        batches.complete(event);
    }

    @Override
    public void deleteFlowRule(FlowRule rule) {
        storeBatch(single(FlowRuleOperation.REMOVE, rule));
    }

    @Override
    public Optional<FlowRuleEvent> addOrUpdateFlowRule(FlowEntry entry) {
        return Optional.ofNullable(entryReport.call(requireNonNull(entry, "entry")));
    }

    @Override
    public Optional<FlowRuleEvent> removeFlowRule(FlowEntry entry) {
        return Optional.ofNullable(entryRemove.call(requireNonNull(entry, "entry")));
    }

    @Override
    public Optional<FlowRuleEvent> pendingFlowRule(FlowEntry entry) {
        return Optional.ofNullable(entryPending.call(requireNonNull(entry, "entry")));
    }

    @Override
    public void purgeFlowRule(DeviceId deviceId) {
        entriesPurge.call(new PurgeRequest(deviceId, null));
    }

    @Override
    public void purgeFlowRules(DeviceId deviceId, ApplicationId appId) {
        entriesPurge.call(new PurgeRequest(deviceId, requireNonNull(appId, "appId")));
    }

    @Override
    public void purgeFlowRules() {
        Set<DeviceId> all = new LinkedHashSet<>(devices.getDevices());
        List<String> failures = new ArrayList<>();
        for (DeviceFlowTable table : tables.all()) {
            if (!all.contains(table.deviceId())) {
                table.purge();
            }
        }
        for (DeviceId deviceId : all) {
            try {
                purgeFlowRule(deviceId);
            } catch (FlowRuleStoreException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new FlowRuleStoreException(null, "purge left " + failures.size() + " device(s) untouched: "
                    + String.join("; ", failures), null);
        }
    }

    @Override
    public void updateTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> tableStats) {
        tableStatsUpdate.call(new TableStatisticsUpdate(deviceId, tableStats));
    }

    @Override
    public List<TableStatisticsEntry> getTableStatistics(DeviceId deviceId) {
        return tableStatsGet.call(requireNonNull(deviceId, "deviceId")).values(TableStatisticsEntry.class);
    }

    private void declareRoutes() {
        entryGet = router.route(FlowStoreSubjects.ENTRY_GET, FlowRule.class, FlowEntry.class, FlowRule::deviceId,
                rule -> read(rule.deviceId(), t -> t.get(rule)));
        entryGetById = router.route(FlowStoreSubjects.ENTRY_GET_BY_ID, EntryQuery.class, FlowEntry.class, EntryQuery::deviceId,
                q -> read(q.deviceId(), t -> t.get(FlowId.valueOf(q.flowId()))));
        entriesGet = router.route(FlowStoreSubjects.ENTRIES_GET, DeviceId.class, ValueList.class, d -> d,
                d -> new ValueList(read(d, DeviceFlowTable::entries)));
        countGet = router.route(FlowStoreSubjects.COUNT_GET, CountQuery.class, Integer.class, CountQuery::deviceId,
                q -> read(q.deviceId(), t -> q.state() == null ? t.count() : t.count(q.state())));
        countsGet = router.route(FlowStoreSubjects.COUNTS_GET, DeviceId.class, ValueList.class, d -> d,
                d -> new ValueList(read(d, DeviceFlowTable::countsByState)));
        entryReport = router.route(FlowStoreSubjects.ENTRY_REPORT, FlowEntry.class, FlowRuleEvent.class, FlowEntry::deviceId,
                e -> tables.forWrite(e.deviceId()).report(e, clock.millis()));
        entryRemove = router.route(FlowStoreSubjects.ENTRY_REMOVE, FlowEntry.class, FlowRuleEvent.class, FlowEntry::deviceId,
                e -> tables.forWrite(e.deviceId()).remove(e));
        entryPending = router.route(FlowStoreSubjects.ENTRY_PENDING, FlowEntry.class, FlowRuleEvent.class, FlowEntry::deviceId,
                e -> tables.forWrite(e.deviceId()).pending(e));
        entriesPurge = router.route(FlowStoreSubjects.ENTRIES_PURGE, PurgeRequest.class, Integer.class, PurgeRequest::deviceId,
                q -> q.appId() == null ? tables.forWrite(q.deviceId()).purge()
                        : tables.forWrite(q.deviceId()).purge(q.appId()));
        tableStatsUpdate = router.route(FlowStoreSubjects.TABLE_STATS_UPDATE, TableStatisticsUpdate.class, Boolean.class,
                TableStatisticsUpdate::deviceId, u -> {
            tables.forWrite(u.deviceId()).setTableStatistics(u.statistics());
            return Boolean.TRUE;
        });
        tableStatsGet = router.route(FlowStoreSubjects.TABLE_STATS_GET, DeviceId.class, ValueList.class, d -> d,
                d -> new ValueList(read(d, DeviceFlowTable::tableStatistics)));
        router.serve(FlowStoreSubjects.TOTAL_COUNT_GET, TotalCountQuery.class,
                (sender, q) -> Reply.of(countLocal(q)));
    }

    /**
     * Reads a device's table on its master. Like a write, a read waits for the table to be
     * activated in the current term, so a new master never answers from a copy that is behind.
     */
    private <R> R read(DeviceId deviceId, Function<DeviceFlowTable, R> f) {
        return f.apply(tables.forWrite(deviceId));
    }

    /** True while this node masters a device and is still bringing its copy up to date. */
    private boolean activating(DeviceId deviceId) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        DeviceFlowTable table = tables.existing(deviceId);
        return info.isMaster(localNode) && (table == null || table.activeTerm() != info.term());
    }

    private int countLocal(TotalCountQuery query) {
        long total = 0;
        for (DeviceId deviceId : query.deviceIds()) {
            if (router.notMasterReason(deviceId) == null) {
                total += read(deviceId, DeviceFlowTable::count);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private FlowRuleBatchOperation single(FlowRuleOperation op, FlowRule rule) {
        requireNonNull(rule, "rule");
        return new FlowRuleBatchOperation(List.of(new FlowRuleBatchEntry(op, rule)), rule.deviceId(), nextBatchId());
    }

    /** Batch ids of this node's own single-rule batches: the node's hash over a counter. */
    private long nextBatchId() {
        return ((long) (localNode.hashCode() & 0x7FFF) << 48) | (batchIds.incrementAndGet() & 0xFFFF_FFFF_FFFFL);
    }

    private void notifyDelegate(FlowRuleBatchEvent event) {
        FlowRuleStoreDelegate d = delegate.get();
        if (d == null) {
            log.warn("No delegate on node {}: {} of batch {} of device {} dropped", localNode, event.type(),
                    event.batchId(), event.deviceId());
            return;
        }
        try {
            d.notify(event);
        } catch (RuntimeException e) {
            log.warn("Delegate on node {} failed on {} of batch {} of device {}", localNode, event.type(),
                    event.batchId(), event.deviceId(), e);
        }
    }

    private StoreConfig configure(StoreConfig base, Map<String, ?> properties) {
        StoreConfig.Update update = base.apply(properties == null ? Map.of() : properties);
        update.rejected().forEach(reason -> log.warn("Flow store on node {}: {}", localNode, reason));
        return update.config();
    }
}
