package org.flowstore.app.device;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
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
 * Simulated switches, like ONOS's null provider: devices {@code of:0000000000000001} .. N, each
 * with one flow table of bounded capacity. A batch is acknowledged after a fixed latency; a rule
 * that does not fit fails. Every statistics period the flows of each device this node masters
 * are reported to the manager. Each node simulates its own copy of every device, as if each
 * controller had its own connection to the same switch: after a failover the new master's copy
 * is empty, and the manager re-applies what the store holds.
 *
 * <p>Threads: two scheduler threads acknowledge batches and poll statistics; tables are
 * concurrent maps.
 */
public final class SimulatedDevices implements FlowRuleProvider {

    private static final Logger log = LoggerFactory.getLogger(SimulatedDevices.class);

    /**
     * How the devices behave.
     *
     * @param count number of devices, 0 to 10,000
     * @param tableCapacity flows each device holds, at least 1
     * @param ackLatency time a device takes to acknowledge a batch
     * @param statsPeriod time between statistics polls
     */
    public record Settings(int count, int tableCapacity, Duration ackLatency, Duration statsPeriod) {

        /** Checks the ranges. */
        public Settings {
            checkArgument(count >= 0 && count <= 10_000, "device count must be 0..10000, was %s", count);
            checkArgument(tableCapacity >= 1, "device table capacity must be at least 1, was %s", tableCapacity);
            checkArgument(!ackLatency.isNegative(), "device acknowledgement latency cannot be negative");
            checkArgument(statsPeriod.toMillis() >= 10, "device statistics period must be at least 10 ms");
        }
    }

    private final Settings settings;
    private final Map<DeviceId, Map<FlowId, Installed>> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;

    /** A flow in a device's table and when it was installed. */
    private record Installed(FlowRule rule, long installedAtMillis) {
    }

    /**
     * Creates the devices.
     *
     * @param settings how they behave
     */
    public SimulatedDevices(Settings settings) {
        this.settings = settings;
        for (int i = 1; i <= settings.count(); i++) {
            tables.put(deviceId(i), new ConcurrentHashMap<>());
        }
        this.scheduler = Executors.newScheduledThreadPool(2, new ThreadFactoryBuilder()
                .setNameFormat("flowstore-devices-%d").setDaemon(true).build());
    }

    /**
     * Returns the id of simulated device {@code i}.
     *
     * @param i 1-based index
     * @return {@code of:} followed by i in 16 hex digits
     */
    public static DeviceId deviceId(int i) {
        return DeviceId.deviceId(String.format("of:%016x", i));
    }

    /** Returns the simulated devices, in order. */
    public List<DeviceId> devices() {
        List<DeviceId> ids = new ArrayList<>(tables.keySet());
        ids.sort(null);
        return ids;
    }

    /**
     * Starts reporting statistics of the devices this node masters.
     *
     * @param reporter where reports go (the manager)
     * @param mastership who masters each device
     * @param localNode this node
     */
    public void start(FlowRuleProviderService reporter, MastershipService mastership, NodeId localNode) {
        long period = settings.statsPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
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
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops acknowledging and polling. */
    public void stop() {
        scheduler.shutdownNow();
    }

    /**
     * Removes a device: it disappears with its flow table.
     *
     * @param deviceId the device
     * @return true if it existed
     */
    public boolean remove(DeviceId deviceId) {
        return tables.remove(deviceId) != null;
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

    @Override
    public CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId, List<FlowRuleBatchEntry> operations) {
        CompletableFuture<CompletedBatchOperation> done = new CompletableFuture<>();
        Runnable apply = () -> {
            Map<FlowId, Installed> table = tables.get(deviceId);
            if (table == null) {
                done.completeExceptionally(new IllegalArgumentException("no simulated device " + deviceId));
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
        for (FlowRuleBatchEntry op : operations) {
            FlowRule rule = op.target();
            switch (op.operator()) {
                case ADD, MODIFY -> {
                    if (!table.containsKey(rule.id()) && table.size() >= settings.tableCapacity()) {
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
        log.info("Device {} refused {} rules: its table is full ({} flows)", deviceId, refused.size(),
                settings.tableCapacity());
        return CompletedBatchOperation.failed(deviceId, refused,
                "flow table of " + deviceId + " is full (" + settings.tableCapacity() + " flows)");
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
}
