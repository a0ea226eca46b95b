package org.flowstore.app.device;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceProviderService;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleProvider;
import org.flowstore.api.flow.FlowRuleProviderService;
import org.flowstore.api.flow.TableStatisticsEntry;

/**
 * Simulated switches, like ONOS's null provider, as a device provider: devices
 * {@code <scheme>:0000000000000001} .. N, each with one flow table of bounded capacity. A batch is
 * acknowledged after a fixed latency; a rule that does not fit fails. Every statistics period the
 * flows of each device this node masters are reported to the manager. Each node simulates its own
 * copy of every device, as if each controller had its own connection to the same switch: after a
 * failover the new master's copy is empty, and the manager pushes again what the store holds.
 *
 * <p>In OSGi it runs only when configured (PID {@value #PID}, see {@link SimulatedDevicesProperties};
 * Karaf's {@code flowstore-sim} feature brings a configuration); every setting applies live: devices
 * added to the count connect, removed ones disconnect with their tables.
 *
 * <p>Threads: two scheduler threads acknowledge batches and poll statistics; tables are
 * concurrent maps; settings are swapped whole.
 */
@Component(service = FlowRuleProvider.class, configurationPid = SimulatedDevices.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SimulatedDevicesProperties.class)
public final class SimulatedDevices implements FlowRuleProvider {

    /** The simulated devices' configuration PID. */
    public static final String PID = "org.flowstore.app.device.SimulatedDevices";

    private static final Logger log = LoggerFactory.getLogger(SimulatedDevices.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    private final FlowRuleProviderService reporter;
    private final DeviceProviderService inventory;
    private final MastershipService mastership;
    private final NodeId localNode;
    private final Map<DeviceId, Map<FlowId, Installed>> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private volatile SimulatedDevicesConfig settings;
    private ScheduledFuture<?> statistics;

    /** A flow in a device's table and when it was installed. */
    private record Installed(FlowRule rule, long installedAtMillis) {
    }

    /**
     * Creates the devices; {@link #activate} connects them.
     *
     * @param reporter where flow reports go (the flow-rule manager)
     * @param inventory where connections are reported (the device inventory)
     * @param mastership who masters each device: only the master reports a device
     * @param cluster this node's identity
     * @param properties the component properties (see {@link SimulatedDevicesProperties})
     */
    @Activate
    public SimulatedDevices(@Reference(name = "reporter") FlowRuleProviderService reporter,
                            @Reference(name = "inventory") DeviceProviderService inventory,
                            @Reference(name = "mastership") MastershipService mastership,
                            @Reference(name = "cluster") ClusterService cluster,
                            Map<String, Object> properties) {
        this.reporter = reporter;
        this.inventory = inventory;
        this.mastership = mastership;
        this.localNode = cluster.getLocalNode();
        this.settings = configure(SimulatedDevicesConfig.DEFAULTS, properties);
        this.scheduler = Executors.newScheduledThreadPool(2, new ThreadFactoryBuilder()
                .setNameFormat("flowstore-devices-" + localNode + "-%d").setDaemon(true).build());
    }

    /** Connects the devices and starts reporting their flows. */
    @Activate
    public synchronized void activate() {
        connect(0, settings.count());
        scheduleStatistics();
        log.info("Node {} simulates {} devices ({})", localNode, settings.count(), settings);
    }

    /**
     * Applies changed settings live: a changed count connects or disconnects the difference, a
     * changed scheme reconnects every device under its new id.
     *
     * @param properties the component properties
     */
    @Modified
    public synchronized void modified(Map<String, Object> properties) {
        SimulatedDevicesConfig previous = settings;
        SimulatedDevicesConfig next = configure(previous, properties);
        if (!next.scheme().equals(previous.scheme())) {
            disconnect(0, previous.count());
            settings = next;
            connect(0, next.count());
        } else {
            settings = next;
            if (next.count() > previous.count()) {
                connect(previous.count(), next.count());
            } else if (next.count() < previous.count()) {
                disconnect(next.count(), previous.count());
            }
        }
        if (!next.statsPeriod().equals(previous.statsPeriod())) {
            scheduleStatistics();
        }
        log.info("Node {} simulated devices reconfigured ({})", localNode, next);
    }

    /** Stops reporting and disconnects every device (each moves to its next standby). */
    @Deactivate
    public synchronized void deactivate() {
        stop();
        disconnect(0, settings.count());
    }

    /**
     * Stops reporting and acknowledging, and leaves the devices connected: for a node that is
     * shutting down as a whole, whose elections end with its cluster services.
     */
    public void stop() {
        scheduler.shutdownNow();
    }

    private SimulatedDevicesConfig configure(SimulatedDevicesConfig base, Map<String, ?> properties) {
        SimulatedDevicesConfig.Update update = base.apply(properties);
        update.rejected().forEach(r -> log.warn("Simulated devices on node {}: {}", localNode, r));
        return update.config();
    }

    /** Connects devices {@code from + 1 .. to}: a table each, then a candidacy for its mastership. */
    private void connect(int from, int to) {
        List<CompletableFuture<Void>> claims = new ArrayList<>();
        for (int i = from + 1; i <= to; i++) {
            DeviceId deviceId = settings.deviceId(i);
            tables.putIfAbsent(deviceId, new ConcurrentHashMap<>());
            claims.add(inventory.deviceConnected(deviceId));
        }
        await(claims, "connect devices " + (from + 1) + ".." + to);
    }

    /** Disconnects devices {@code from + 1 .. to}; their tables go. */
    private void disconnect(int from, int to) {
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        List<DeviceId> gone = new ArrayList<>();
        for (int i = from + 1; i <= to; i++) {
            DeviceId deviceId = settings.deviceId(i);
            gone.add(deviceId);
            releases.add(inventory.deviceDisconnected(deviceId));
        }
        await(releases, "disconnect devices " + (from + 1) + ".." + to);
        gone.forEach(tables::remove);
    }

    private void await(List<CompletableFuture<Void>> steps, String what) {
        try {
            CompletableFuture.allOf(steps.toArray(new CompletableFuture[0]))
                    .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("node " + localNode + " was interrupted while it had to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("node " + localNode + " could not " + what + " within "
                    + CONNECT_TIMEOUT.toSeconds() + " s: " + e, e);
        }
    }

    private void scheduleStatistics() {
        if (statistics != null) {
            statistics.cancel(false);
        }
        long period = settings.statsPeriod().toMillis();
        statistics = scheduler.scheduleWithFixedDelay(this::reportStatistics, period, period, TimeUnit.MILLISECONDS);
    }

    private void reportStatistics() {
        for (DeviceId deviceId : devices()) {
            if (mastership.getMastershipFor(deviceId).isMaster(localNode)) {
                try {
                    reporter.pushFlowMetrics(deviceId, flows(deviceId));
                    reporter.pushTableStatistics(deviceId, List.of(tableStatistics(deviceId)));
                } catch (RuntimeException e) {
                    log.warn("Statistics of device {} on node {} failed: {}", deviceId, localNode, e.toString());
                }
            }
        }
    }

    /**
     * Returns the id of a simulated device of the default scheme.
     *
     * @param i 1-based index
     * @return {@code of:} followed by i in 16 hex digits
     */
    public static DeviceId deviceId(int i) {
        return SimulatedDevicesConfig.DEFAULTS.deviceId(i);
    }

    @Override
    public String scheme() {
        return settings.scheme();
    }

    /** Returns the simulated devices, in order. */
    public List<DeviceId> devices() {
        List<DeviceId> ids = new ArrayList<>(tables.keySet());
        ids.sort(null);
        return ids;
    }

    /**
     * Removes a device: it disconnects and disappears with its flow table.
     *
     * @param deviceId the device
     * @return true if it existed
     */
    public boolean remove(DeviceId deviceId) {
        if (tables.remove(deviceId) == null) {
            return false;
        }
        await(List.of(inventory.deviceDisconnected(deviceId)), "disconnect " + deviceId);
        return true;
    }

    /**
     * Makes a device lose a flow without telling anyone, as a switch does when it reboots or
     * evicts an entry; the next statistics poll shows it missing.
     *
     * @param deviceId the device
     * @param flowId the flow
     * @return true if the device held it
     */
    public boolean loseFlow(DeviceId deviceId, FlowId flowId) {
        return tables.getOrDefault(deviceId, Map.of()).remove(flowId) != null;
    }

    /**
     * Installs a flow on a device behind the controller's back, as an operator or another
     * controller would: the store does not know it.
     *
     * @param rule the flow, for one of these devices
     * @return true if the device exists
     */
    public boolean installDirectly(FlowRule rule) {
        Map<FlowId, Installed> table = tables.get(rule.deviceId());
        if (table == null) {
            return false;
        }
        table.put(rule.id(), new Installed(rule, System.currentTimeMillis()));
        return true;
    }

    @Override
    public CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId, List<FlowRuleBatchEntry> operations) {
        CompletableFuture<CompletedBatchOperation> done = new CompletableFuture<>();
        Runnable apply = () -> {
            Map<FlowId, Installed> table = tables.get(deviceId);
            if (table == null) {
                done.completeExceptionally(new IllegalArgumentException("no simulated device " + deviceId
                        + " on node " + localNode));
                return;
            }
            done.complete(apply(deviceId, table, operations));
        };
        try {
            scheduler.schedule(apply, settings.ackLatency().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    private CompletedBatchOperation apply(DeviceId deviceId, Map<FlowId, Installed> table,
                                          List<FlowRuleBatchEntry> operations) {
        List<FlowRule> refused = new ArrayList<>();
        long now = System.currentTimeMillis();
        int capacity = settings.tableCapacity();
        for (FlowRuleBatchEntry op : operations) {
            FlowRule rule = op.target();
            switch (op.operator()) {
                case ADD, MODIFY -> {
                    if (!table.containsKey(rule.id()) && table.size() >= capacity) {
                        refused.add(rule);
                    } else {
                        table.merge(rule.id(), new Installed(rule, now),
                                (old, fresh) -> new Installed(rule, old.installedAtMillis()));
                    }
                }
                case REMOVE -> table.remove(rule.id());
            }
        }
        if (refused.isEmpty()) {
            return CompletedBatchOperation.succeeded(deviceId);
        }
        return CompletedBatchOperation.failed(deviceId, refused,
                "flow table of " + deviceId + " is full (" + capacity + " flows)");
    }

    @Override
    public CompletableFuture<Collection<FlowEntry>> readFlows(DeviceId deviceId) {
        if (!tables.containsKey(deviceId)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no simulated device " + deviceId
                    + " on node " + localNode));
        }
        return CompletableFuture.completedFuture(flows(deviceId));
    }

    /**
     * Returns what a device's flow table holds, as the device reports it.
     *
     * @param deviceId the device
     * @return its flows, with their age; empty for an unknown device
     */
    public Collection<FlowEntry> flows(DeviceId deviceId) {
        Map<FlowId, Installed> table = tables.getOrDefault(deviceId, Map.of());
        long now = System.currentTimeMillis();
        List<FlowEntry> report = new ArrayList<>(table.size());
        table.values().forEach(flow -> report.add(DefaultFlowEntry.builder(flow.rule()).state(FlowEntryState.ADDED)
                .life((now - flow.installedAtMillis()) / 1000).lastSeen(now).build()));
        return report;
    }

    private TableStatisticsEntry tableStatistics(DeviceId deviceId) {
        return new TableStatisticsEntry(deviceId, 0, tables.getOrDefault(deviceId, Map.of()).size(), 0, 0);
    }

    @Override
    public String toString() {
        return "simulated devices of node " + localNode;
    }
}
