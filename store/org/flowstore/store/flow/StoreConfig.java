package org.flowstore.store.flow;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.flowstore.store.config.PropertyReader;

/**
 * The flow store's settings, validated. Built from component properties by {@link #apply}: a
 * property that is absent takes its default, a property with an invalid value keeps the value
 * it had, and the reason is reported.
 *
 * @param msgHandlerPoolSize threads handling cluster messages, {@value #MIN_POOL_SIZE} to {@value #MAX_POOL_SIZE}
 * @param backupEnabled whether masters replicate to standbys at all
 * @param backupCount standbys holding a copy, 0 to {@value #MAX_BACKUP_COUNT}; more than the
 *                    cluster has means all of them
 * @param backupMode when a write is acknowledged relative to its replication
 * @param backupPeriod time between async replication rounds, 1 ms to 60 s (property in ms)
 * @param antiEntropyPeriod time between digest comparisons, 100 ms to 1 h (property in ms)
 * @param maxFlowsInFlightPerMaster flows this node's batches may have awaiting one master's answer,
 *                                  1 to {@value #MAX_FLOW_BOUND}; later batches wait for room
 * @param maxWaitingFlows flows this node's batches may have waiting for room, 0 to
 *                        {@value #MAX_FLOW_BOUND}; a batch past that is refused as overloaded
 * @param maxFlowsPerNode this node's memory bound: the flows it may hold as master or standby
 *                        before it refuses writes that add flows, 0 to {@value #MAX_FLOW_BOUND};
 *                        0 derives it from the JVM's maximum heap (see {@link #maxFlowsPerNode(long)})
 */
public record StoreConfig(int msgHandlerPoolSize, boolean backupEnabled, int backupCount, BackupMode backupMode,
                          Duration backupPeriod, Duration antiEntropyPeriod, int maxFlowsInFlightPerMaster,
                          int maxWaitingFlows, int maxFlowsPerNode) {

    /** When a write is acknowledged relative to its replication. */
    public enum BackupMode {
        /** After the master and {@code backupCount} standbys hold it (see {@link #requiredCopies}). */
        SYNC,
        /** At once; changes are sent in coalesced rounds every backup period. */
        ASYNC
    }

    /** Property name of {@link #msgHandlerPoolSize}. */
    public static final String MSG_HANDLER_POOL_SIZE = "msgHandlerPoolSize";
    /** Property name of {@link #backupEnabled}. */
    public static final String BACKUP_ENABLED = "backupEnabled";
    /** Property name of {@link #backupCount}. */
    public static final String BACKUP_COUNT = "backupCount";
    /** Property name of {@link #backupMode}: {@code sync} or {@code async}. */
    public static final String BACKUP_MODE = "backupMode";
    /** Property name of {@link #backupPeriod}. */
    public static final String BACKUP_PERIOD = "backupPeriod";
    /** Property name of {@link #antiEntropyPeriod}. */
    public static final String ANTI_ENTROPY_PERIOD = "antiEntropyPeriod";
    /** Property name of {@link #maxFlowsInFlightPerMaster}. */
    public static final String MAX_FLOWS_IN_FLIGHT_PER_MASTER = "maxFlowsInFlightPerMaster";
    /** Property name of {@link #maxWaitingFlows}. */
    public static final String MAX_WAITING_FLOWS = "maxWaitingFlows";
    /** Property name of {@link #maxFlowsPerNode}. */
    public static final String MAX_FLOWS_PER_NODE = "maxFlowsPerNode";

    /** Every property name, in the order of the fields. */
    public static final List<String> PROPERTIES = List.of(MSG_HANDLER_POOL_SIZE, BACKUP_ENABLED, BACKUP_COUNT,
            BACKUP_MODE, BACKUP_PERIOD, ANTI_ENTROPY_PERIOD, MAX_FLOWS_IN_FLIGHT_PER_MASTER, MAX_WAITING_FLOWS,
            MAX_FLOWS_PER_NODE);

    /** Default of {@link #msgHandlerPoolSize}. */
    public static final int DEFAULT_MSG_HANDLER_POOL_SIZE = 8;
    /** Default of {@link #backupEnabled}. */
    public static final boolean DEFAULT_BACKUP_ENABLED = true;
    /** Default of {@link #backupCount}. */
    public static final int DEFAULT_BACKUP_COUNT = 1;
    /** Default of {@link #backupMode}, as its property text. */
    public static final String DEFAULT_BACKUP_MODE = "sync";
    /** Default of {@link #backupPeriod}, in the property's unit (ms): a constant the metatype annotation can use. */
    public static final int DEFAULT_BACKUP_PERIOD_MILLIS = 100;
    /** Default of {@link #antiEntropyPeriod}, in the property's unit (ms). */
    public static final int DEFAULT_ANTI_ENTROPY_PERIOD_MILLIS = 5000;
    /** Default of {@link #maxFlowsInFlightPerMaster}. */
    public static final int DEFAULT_MAX_FLOWS_IN_FLIGHT_PER_MASTER = 2_000;
    /** Default of {@link #maxWaitingFlows}. */
    public static final int DEFAULT_MAX_WAITING_FLOWS = 250_000;
    /** Default of {@link #maxFlowsPerNode}: derived from the heap. */
    public static final int DEFAULT_MAX_FLOWS_PER_NODE = 0;
    /**
     * Heap a node needs whatever it holds, left out of the derived {@link #maxFlowsPerNode}: an
     * idle standalone node uses 85 to 98 MB after a full collection (Atomix's Raft journal
     * buffers, Netty, the REST server).
     */
    public static final long HEAP_RESERVED_BYTES = 128L << 20;
    /**
     * Bytes of the rest of the heap per flow when {@link #maxFlowsPerNode} is derived: about twice
     * what a held flow costs a standalone node (230 bytes for a standby's copy, 480 on its master
     * with the manager's and the simulated device's share; 355 on average with one standby), so
     * that at the bound the collector and the requests in flight still have room.
     */
    public static final int HEAP_BYTES_PER_FLOW = 600;
    /** The smallest derived bound, for heaps hardly larger than {@link #HEAP_RESERVED_BYTES}. */
    static final int MIN_DERIVED_FLOWS = 1_000;

    static final int MIN_POOL_SIZE = 1;
    static final int MAX_POOL_SIZE = 256;
    static final int MAX_BACKUP_COUNT = 16;
    static final int MAX_FLOW_BOUND = 100_000_000;

    /** The settings when no property is set. */
    public static final StoreConfig DEFAULTS = new StoreConfig(DEFAULT_MSG_HANDLER_POOL_SIZE, DEFAULT_BACKUP_ENABLED,
            DEFAULT_BACKUP_COUNT, BackupMode.SYNC, Duration.ofMillis(DEFAULT_BACKUP_PERIOD_MILLIS),
            Duration.ofMillis(DEFAULT_ANTI_ENTROPY_PERIOD_MILLIS), DEFAULT_MAX_FLOWS_IN_FLIGHT_PER_MASTER,
            DEFAULT_MAX_WAITING_FLOWS, DEFAULT_MAX_FLOWS_PER_NODE);

    /**
     * The outcome of applying properties.
     *
     * @param config the settings now in force
     * @param rejected one line per refused value, naming the property, the value and the reason
     */
    public record Update(StoreConfig config, List<String> rejected) {
    }

    /**
     * Applies component properties to these settings.
     *
     * @param properties the component's properties (absent ones take their defaults)
     * @return the new settings and the refused values
     */
    public Update apply(Map<String, ?> properties) {
        PropertyReader p = new PropertyReader(properties);
        StoreConfig next = new StoreConfig(
                p.integer(MSG_HANDLER_POOL_SIZE, DEFAULT_MSG_HANDLER_POOL_SIZE, msgHandlerPoolSize, MIN_POOL_SIZE, MAX_POOL_SIZE),
                p.bool(BACKUP_ENABLED, DEFAULT_BACKUP_ENABLED, backupEnabled),
                p.integer(BACKUP_COUNT, DEFAULT_BACKUP_COUNT, backupCount, 0, MAX_BACKUP_COUNT),
                p.oneOf(BACKUP_MODE, BackupMode.class, BackupMode.SYNC, backupMode),
                p.millis(BACKUP_PERIOD, DEFAULT_BACKUP_PERIOD_MILLIS, backupPeriod, 1, 60_000),
                p.millis(ANTI_ENTROPY_PERIOD, DEFAULT_ANTI_ENTROPY_PERIOD_MILLIS, antiEntropyPeriod, 100, 3_600_000),
                p.integer(MAX_FLOWS_IN_FLIGHT_PER_MASTER, DEFAULT_MAX_FLOWS_IN_FLIGHT_PER_MASTER,
                        maxFlowsInFlightPerMaster, 1, MAX_FLOW_BOUND),
                p.integer(MAX_WAITING_FLOWS, DEFAULT_MAX_WAITING_FLOWS, maxWaitingFlows, 0, MAX_FLOW_BOUND),
                p.integer(MAX_FLOWS_PER_NODE, DEFAULT_MAX_FLOWS_PER_NODE, maxFlowsPerNode, 0, MAX_FLOW_BOUND));
        return new Update(next, p.rejected());
    }

    /**
     * Returns the standby copies a write needs before it is acknowledged: in sync mode,
     * {@code backupCount} capped at the other configured members; none in async mode or with
     * backups disabled.
     *
     * @param members the members the cluster is configured with
     * @return the copies, 0 or more
     */
    public int requiredCopies(int members) {
        if (!backupEnabled || backupMode != BackupMode.SYNC) {
            return 0;
        }
        return Math.min(backupCount, Math.max(0, members - 1));
    }

    /**
     * Returns the memory bound in force: {@link #maxFlowsPerNode} when set, else one flow per
     * {@value #HEAP_BYTES_PER_FLOW} bytes of the maximum heap beyond {@link #HEAP_RESERVED_BYTES}
     * (a 512 MB heap holds 671,088; 2 GB hold 3,355,443), and at least {@value #MIN_DERIVED_FLOWS}.
     *
     * @param maxHeapBytes the JVM's maximum heap ({@code Runtime.maxMemory()})
     * @return the most flows the node may hold
     */
    public long maxFlowsPerNode(long maxHeapBytes) {
        return maxFlowsPerNode > 0 ? maxFlowsPerNode
                : Math.max(MIN_DERIVED_FLOWS, (maxHeapBytes - HEAP_RESERVED_BYTES) / HEAP_BYTES_PER_FLOW);
    }

    @Override
    public String toString() {
        return MSG_HANDLER_POOL_SIZE + "=" + msgHandlerPoolSize + ", " + BACKUP_ENABLED + "=" + backupEnabled + ", "
                + BACKUP_COUNT + "=" + backupCount + ", " + BACKUP_MODE + "=" + backupMode.name().toLowerCase(Locale.ROOT)
                + ", " + BACKUP_PERIOD + "=" + backupPeriod.toMillis() + "ms, " + ANTI_ENTROPY_PERIOD + "="
                + antiEntropyPeriod.toMillis() + "ms, " + MAX_FLOWS_IN_FLIGHT_PER_MASTER + "=" + maxFlowsInFlightPerMaster
                + ", " + MAX_WAITING_FLOWS + "=" + maxWaitingFlows + ", " + MAX_FLOWS_PER_NODE + "="
                + (maxFlowsPerNode == 0 ? "0 (from the heap)" : String.valueOf(maxFlowsPerNode));
    }
}
