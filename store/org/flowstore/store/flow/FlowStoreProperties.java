package org.flowstore.store.flow;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype description of the store's component properties (names and defaults are part of the
 * contract). The store reads them as a map and validates them with {@link StoreConfig}, so an
 * invalid value is refused with a reason instead of failing the component.
 */
@ObjectClassDefinition(name = "flowstore flow-rule store",
        description = "Distributed flow-rule store: message handling and replication to standbys")
@interface FlowStoreProperties {

    /** Threads handling cluster messages. */
    @AttributeDefinition(description = "Threads handling cluster messages (1..256)")
    int msgHandlerPoolSize() default StoreConfig.DEFAULT_MSG_HANDLER_POOL_SIZE;

    /** Whether masters replicate to standbys at all. */
    @AttributeDefinition(description = "Replicate each device's table to its standbys")
    boolean backupEnabled() default StoreConfig.DEFAULT_BACKUP_ENABLED;

    /** Standbys that hold a copy. */
    @AttributeDefinition(description = "Standbys that hold a copy of each table (0..16; capped at the standbys there are)")
    int backupCount() default StoreConfig.DEFAULT_BACKUP_COUNT;

    /** When a write is acknowledged relative to its replication. */
    @AttributeDefinition(description = "sync: acknowledge a write after its standbys hold it; async: replicate in rounds",
            options = {@Option(label = "sync", value = "sync"), @Option(label = "async", value = "async")})
    String backupMode() default StoreConfig.DEFAULT_BACKUP_MODE;

    /** Milliseconds between async replication rounds. */
    @AttributeDefinition(description = "Milliseconds between async replication rounds (1..60000)")
    int backupPeriod() default StoreConfig.DEFAULT_BACKUP_PERIOD_MILLIS;

    /** Milliseconds between digest comparisons with standbys. */
    @AttributeDefinition(description = "Milliseconds between anti-entropy digest comparisons (100..3600000)")
    int antiEntropyPeriod() default StoreConfig.DEFAULT_ANTI_ENTROPY_PERIOD_MILLIS;

    /** Flows this node's batches may have awaiting one master's answer; later batches wait for room. */
    @AttributeDefinition(description = "Flows this node's batches may have awaiting one master's answer before later"
            + " batches wait for room (1..100000000)")
    int maxFlowsInFlightPerMaster() default StoreConfig.DEFAULT_MAX_FLOWS_IN_FLIGHT_PER_MASTER;

    /** Flows this node's batches may have waiting for room; past that a batch is refused as overloaded. */
    @AttributeDefinition(description = "Flows this node's batches may have waiting for room at their masters; past"
            + " that a batch is refused as overloaded (0..100000000)")
    int maxWaitingFlows() default StoreConfig.DEFAULT_MAX_WAITING_FLOWS;

    /** This node's memory bound: flows it may hold as master or standby before it refuses batches that add flows. */
    @AttributeDefinition(description = "Flows this node may hold as master or standby before it refuses batches that"
            + " add flows (0..100000000; 0: one per 600 bytes of the JVM's maximum heap beyond 128 MB)")
    int maxFlowsPerNode() default StoreConfig.DEFAULT_MAX_FLOWS_PER_NODE;
}
