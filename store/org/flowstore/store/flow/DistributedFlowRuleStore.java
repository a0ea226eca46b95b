package org.flowstore.store.flow;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
import org.flowstore.api.store.NodeCapacity;
import org.flowstore.api.store.ReplicaSummary;
import org.flowstore.serializers.StoreSerializer;

/**
 * The distributed flow-rule store component: its lifecycle and configuration, and the
 * {@link FlowRuleStore} contract over the parts that do the work, wired here in the order they
 * depend on each other:
 * <ol>
 *   <li>{@link StoreExecutors}: which threads run what;</li>
 *   <li>{@link MasterRouter}: runs an operation on a device's master, here or over messaging;</li>
 *   <li>{@link Replicator} and {@link BackupReceiver}: a master's changes to its standbys;</li>
 *   <li>{@link TermSync}: a new master takes a table over before it serves it;</li>
 *   <li>{@link TableRoutes}: reads and single-entry updates; {@link BatchCoordinator}: batches;</li>
 *   <li>{@link AntiEntropy}: periodic repair of standby copies.</li>
 * </ol>
 *
 * <p>Threads: API calls run on the caller's thread and block at most the router's deadline when
 * the master is another node; everything else runs on {@link StoreExecutors}. The delegate is
 * called on the thread that caused the event: the caller's for local batches, a message
 * handler's for remote ones.
 */
@Component(service = FlowRuleStore.class, immediate = true,
        configurationPid = "org.flowstore.store.flow.DistributedFlowRuleStore")
@Designate(ocd = FlowStoreProperties.class)
public final class DistributedFlowRuleStore implements FlowRuleStore {

    private static final Logger log = LoggerFactory.getLogger(DistributedFlowRuleStore.class);

    /** How long a call waits for a device's master to answer. */
    static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterService cluster;
    private final ClusterCommunicationService comms;
    private final MastershipService mastership;
    private final ReplicaInfoService replicaInfo;
    private final DeviceService devices;
    private final Clock clock;
    private final Duration remoteTimeout;
    private final AtomicReference<FlowRuleStoreDelegate> delegate = new AtomicReference<>();
    private final AtomicLong batchIds = new AtomicLong();

    private volatile StoreConfig config = StoreConfig.DEFAULTS;
    private NodeId localNode;
    private StoreExecutors executors;
    /** Set by activate, cleared by deactivate; read by callers on any thread. */
    private volatile FlowTables tables;
    private MasterRouter router;
    private volatile Replicator replicator;
    /** Set by activate: this node's held flows and memory bound. */
    private volatile FlowCapacity capacity;
    private TermSync termSync;
    private TableRoutes routes;
    private BatchCoordinator batches;
    private AntiEntropy antiEntropy;

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
     * Starts the store: applies the properties, builds its parts and serves requests.
     *
     * @param properties the component properties (see {@link FlowStoreProperties})
     */
    @Activate
    public synchronized void activate(Map<String, Object> properties) {
        localNode = cluster.getLocalNode();
        config = configure(StoreConfig.DEFAULTS, properties);
        executors = new StoreExecutors(localNode, config.msgHandlerPoolSize());
        tables = new FlowTables(clock);
        TermPromises promises = new TermPromises();
        ReplicaQuorum quorum = new ReplicaQuorum(cluster, this::config);
        router = new MasterRouter(localNode, mastership, devices, comms, new StoreSerializer(), executors,
                remoteTimeout, promises);
        capacity = new FlowCapacity(localNode, tables, this::config, Runtime.getRuntime().maxMemory());
        replicator = new Replicator(router, tables, mastership, quorum, this::config, executors.scheduler(), capacity);
        BackupReceiver receiver = new BackupReceiver(localNode, tables, mastership, promises, capacity);
        receiver.serve(router);
        termSync = new TermSync(router, tables, replicator, receiver, mastership, replicaInfo, executors.messages(),
                cluster, quorum);
        routes = new TableRoutes(router, termSync, tables, mastership, devices, clock);
        batches = new BatchCoordinator(router, termSync, replicator, quorum, capacity, mastership, replicaInfo,
                this::config, this::notifyDelegate, executors);
        antiEntropy = new AntiEntropy(router, tables, replicator, mastership, this::config, executors.scheduler());
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
            executors.resizeMessages(next.msgHandlerPoolSize());
        }
        boolean backupPeriodChanged = !next.backupPeriod().equals(config.backupPeriod());
        boolean antiEntropyPeriodChanged = !next.antiEntropyPeriod().equals(config.antiEntropyPeriod());
        config = next;
        if (backupPeriodChanged) {
            replicator.schedule();
        }
        if (antiEntropyPeriodChanged) {
            antiEntropy.schedule();
        }
        log.info("Flow store on node {} reconfigured ({})", localNode, config);
    }

    /** Stops serving, ends the store's threads and drops this node's tables. */
    @Deactivate
    public synchronized void deactivate() {
        termSync.stop();
        antiEntropy.stop();
        replicator.stop();
        batches.stop();
        router.close();
        executors.shutdown(remoteTimeout);
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
        return routes.totalCount();
    }

    @Override
    public int getFlowRuleCount(DeviceId deviceId) {
        return routes.count(deviceId, null);
    }

    @Override
    public int getFlowRuleCount(DeviceId deviceId, FlowEntryState state) {
        return routes.count(deviceId, requireNonNull(state, "state"));
    }

    @Override
    public Map<FlowEntryState, Integer> getFlowRuleCountsByState(DeviceId deviceId) {
        return routes.countsByState(deviceId);
    }

    @Override
    public FlowEntry getFlowEntry(FlowRule rule) {
        return routes.entry(rule);
    }

    @Override
    public FlowEntry getFlowEntry(DeviceId deviceId, FlowId flowId) {
        return routes.entry(deviceId, requireNonNull(flowId, "flowId"));
    }

    @Override
    public List<FlowEntry> getFlowEntries(DeviceId deviceId) {
        return routes.entries(deviceId);
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
        return routes.report(entry);
    }

    @Override
    public Optional<FlowRuleEvent> removeFlowRule(FlowEntry entry) {
        return routes.remove(entry);
    }

    @Override
    public Optional<FlowRuleEvent> pendingFlowRule(FlowEntry entry) {
        return routes.pending(entry);
    }

    @Override
    public void purgeFlowRule(DeviceId deviceId) {
        routes.purge(deviceId, null);
    }

    @Override
    public void purgeFlowRules(DeviceId deviceId, ApplicationId appId) {
        routes.purge(deviceId, requireNonNull(appId, "appId"));
    }

    @Override
    public void purgeFlowRules() {
        routes.purgeAll();
    }

    @Override
    public void updateTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> tableStats) {
        routes.updateTableStatistics(deviceId, tableStats);
    }

    @Override
    public List<TableStatisticsEntry> getTableStatistics(DeviceId deviceId) {
        return routes.tableStatistics(deviceId);
    }

    @Override
    public List<ReplicaSummary> getLocalReplicas() {
        FlowTables held = tables;
        Replicator replication = replicator;
        if (held == null || replication == null) {
            return List.of();
        }
        List<ReplicaSummary> summaries = new ArrayList<>();
        for (DeviceFlowTable table : held.all()) {
            DeviceFlowTable.Summary s = table.summary();
            MastershipInfo info = mastership.getMastershipFor(table.deviceId());
            // A standby beyond the replicated ones (backupCount) holds whatever it held last: stale.
            ReplicaSummary.Role role = info.isMaster(localNode) ? ReplicaSummary.Role.MASTER
                    : replication.targets(table.deviceId()).contains(localNode) ? ReplicaSummary.Role.STANDBY
                    : ReplicaSummary.Role.STALE;
            summaries.add(new ReplicaSummary(table.deviceId(), localNode, role, s.term(), s.count(), s.digest()));
        }
        summaries.sort(Comparator.comparing(r -> r.deviceId().uri()));
        return summaries;
    }

    @Override
    public NodeCapacity getLocalCapacity() {
        FlowCapacity room = capacity;
        if (room == null) {
            return new NodeCapacity(cluster.getLocalNode(), 0, config.maxFlowsPerNode(Runtime.getRuntime().maxMemory()));
        }
        return new NodeCapacity(localNode, room.held(), room.bound());
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
