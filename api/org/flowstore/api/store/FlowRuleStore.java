package org.flowstore.api.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.TableStatisticsEntry;

/**
 * The flow-rule store: every device's flow table, held by the device's master node and copied
 * to its standbys. Any node may be called; calls about a device another node masters are
 * forwarded to that node. Names and semantics follow ONOS's {@code FlowRuleStore}.
 *
 * <p>Failures: a call that needs the device's master throws {@link FlowRuleStoreException.NoMaster}
 * when there is none, {@link FlowRuleStoreException.UnknownDevice} for a device the cluster does
 * not know, and {@link FlowRuleStoreException.Timeout} when the master does not answer in time. It
 * never answers a failure with an empty or default value. Batch writes never throw for these:
 * they complete with every rule failed and the reason.
 */
public interface FlowRuleStore {

    /** Most operations one batch may hold; a larger batch fails whole. */
    int MAX_BATCH_SIZE = 10_000;

    /**
     * Sets the delegate that receives this node's batch events, replacing none.
     *
     * @param delegate the delegate
     * @throws IllegalStateException if another delegate is set
     */
    void setDelegate(FlowRuleStoreDelegate delegate);

    /**
     * Removes the delegate.
     *
     * @param delegate the delegate that was set
     */
    void unsetDelegate(FlowRuleStoreDelegate delegate);

    /** Returns the number of stored entries over every device of the cluster. */
    int getFlowRuleCount();

    /**
     * Returns the number of stored entries of a device, kept incrementally (no walk over entries).
     *
     * @param deviceId the device
     * @return the count
     */
    int getFlowRuleCount(DeviceId deviceId);

    /**
     * Returns the number of stored entries of a device in a state, kept incrementally.
     *
     * @param deviceId the device
     * @param state the state
     * @return the count
     */
    int getFlowRuleCount(DeviceId deviceId, FlowEntryState state);

    /**
     * Returns a device's entry counts in every state, read together in one consistent view: an
     * entry that changes state meanwhile (PENDING_ADD to ADDED, say) is counted once, which
     * separate {@link #getFlowRuleCount(DeviceId, FlowEntryState)} calls cannot promise.
     *
     * @param deviceId the device
     * @return the count of every state (zeros included), whose sum is the device's count
     */
    Map<FlowEntryState, Integer> getFlowRuleCountsByState(DeviceId deviceId);

    /**
     * Returns the stored entry with the same match as a rule.
     *
     * @param rule the rule (device, table, priority and selector are used)
     * @return the entry, or null when the device's table has no rule with that match
     */
    FlowEntry getFlowEntry(FlowRule rule);

    /**
     * Returns the stored entry with a flow id.
     *
     * @param deviceId the device
     * @param flowId the id
     * @return the entry, or null when the device's table has no rule with that id
     */
    FlowEntry getFlowEntry(DeviceId deviceId, FlowId flowId);

    /**
     * Returns every stored entry of a device, as a snapshot.
     *
     * @param deviceId the device
     * @return the entries, in no particular order
     */
    List<FlowEntry> getFlowEntries(DeviceId deviceId);

    /**
     * Stores one rule: a batch of one ADD.
     *
     * @param rule the rule
     */
    void storeFlowRule(FlowRule rule);

    /**
     * Applies a batch on the device's master: ADD stores the rule PENDING_ADD (replacing an
     * equal one), MODIFY replaces the treatment and options of an existing rule keeping its
     * state and counters, REMOVE marks a rule PENDING_REMOVE. Operations on rules the table does
     * not hold (MODIFY, REMOVE) are dropped. If operations remain, the master's delegate gets
     * BATCH_OPERATION_REQUESTED; otherwise this node's delegate gets BATCH_OPERATION_COMPLETED
     * at once. A batch that cannot be applied (no master, unknown device, over
     * {@link #MAX_BATCH_SIZE}, master unreachable) completes with every rule failed and why.
     *
     * @param batch the batch
     */
    void storeBatch(FlowRuleBatchOperation batch);

    /**
     * Reports that a device finished a batch; the COMPLETED event reaches the delegate of the
     * node that issued the batch. Called on the device's master.
     *
     * @param event the COMPLETED event
     */
    void batchOperationComplete(FlowRuleBatchEvent event);

    /**
     * Marks one rule for removal: a batch of one REMOVE.
     *
     * @param rule the rule
     */
    void deleteFlowRule(FlowRule rule);

    /**
     * Applies a device's report of an entry: PENDING_ADD becomes ADDED (RULE_ADDED), an entry
     * already ADDED gets new counters (RULE_UPDATED), an entry the store did not hold is stored
     * as ADDED (RULE_ADDED). A report of an entry that is PENDING_REMOVE updates its counters
     * and keeps the state (RULE_UPDATED). What a report confirms of a flow the store already
     * wanted on the device (its ADDED state, counters, age) is kept by the device's master alone:
     * after a failover the new master shows such flows as their last write left them
     * (PENDING_ADD, the counters of then) until the device's next report.
     *
     * @param entry the entry as the device reports it
     * @return the event, empty when nothing changed
     */
    Optional<FlowRuleEvent> addOrUpdateFlowRule(FlowEntry entry);

    /**
     * Removes an entry from the store (RULE_REMOVED).
     *
     * @param entry the entry
     * @return the event, empty when the store did not hold it
     */
    Optional<FlowRuleEvent> removeFlowRule(FlowEntry entry);

    /**
     * Moves an ADDED entry back to PENDING_ADD, as when the device lost it (RULE_UPDATED).
     *
     * @param entry the entry
     * @return the event, empty when the entry was not ADDED
     */
    Optional<FlowRuleEvent> pendingFlowRule(FlowEntry entry);

    /**
     * Removes every entry of a device.
     *
     * @param deviceId the device
     */
    void purgeFlowRule(DeviceId deviceId);

    /**
     * Removes every entry of a device owned by an application.
     *
     * @param deviceId the device
     * @param appId the application
     */
    void purgeFlowRules(DeviceId deviceId, ApplicationId appId);

    /** Removes every entry of every device. */
    void purgeFlowRules();

    /**
     * Stores a device's table statistics, replacing the previous ones.
     *
     * @param deviceId the device
     * @param tableStats one entry per table
     */
    void updateTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> tableStats);

    /**
     * Returns a device's last table statistics.
     *
     * @param deviceId the device
     * @return one entry per table; empty before the first report
     */
    List<TableStatisticsEntry> getTableStatistics(DeviceId deviceId);

    /**
     * Returns this node's own copy of every device table it holds, as master or as standby,
     * summarized ({@link ReplicaSummary}): what an operator or a fault-injection tool compares to
     * tell that the standbys hold what the master holds. Answered locally, never forwarded.
     *
     * @return one summary per device table on this node, in device order
     */
    List<ReplicaSummary> getLocalReplicas();

    /**
     * Returns how many flows this node holds, as master or standby, and its memory bound: past
     * it, batches that add flows to the devices it masters or stands by for are refused as
     * {@link org.flowstore.api.flow.CompletedBatchOperation.Failure#OVERLOADED}. Answered locally.
     *
     * @return this node's capacity
     */
    NodeCapacity getLocalCapacity();
}
