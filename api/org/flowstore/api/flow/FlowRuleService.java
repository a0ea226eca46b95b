package org.flowstore.api.flow;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;

/**
 * What applications call to program flows: the flow-rule manager. It runs on every node, writes
 * through the {@link org.flowstore.api.store.FlowRuleStore} (which forwards to each device's
 * master), pushes requested batches to devices on their master, and reconciles the store with
 * what devices report.
 */
public interface FlowRuleService {

    /**
     * Adds (or replaces, for a rule already present) flow rules on their devices.
     *
     * @param rules the rules, of any devices
     * @return completes when the store acknowledged every batch, with the rules that failed
     *         (empty when all were applied); fails with {@link
     *         org.flowstore.api.store.FlowRuleStoreException.NoMaster} when a device had no master, or
     *         {@link org.flowstore.api.store.FlowRuleStoreException.Overloaded} when the store had no
     *         room for a device's batch (none of its rules was applied; the other devices' were written)
     */
    CompletableFuture<List<FlowRule>> applyFlowRules(Collection<? extends FlowRule> rules);

    /**
     * Removes flow rules from their devices: they turn PENDING_REMOVE and disappear once the
     * device confirms.
     *
     * @param rules the rules, of any devices
     * @return completes when the store acknowledged every batch, with the rules that failed; fails
     *         with {@link org.flowstore.api.store.FlowRuleStoreException.NoMaster} or {@link
     *         org.flowstore.api.store.FlowRuleStoreException.Overloaded} as {@link #applyFlowRules}
     */
    CompletableFuture<List<FlowRule>> removeFlowRules(Collection<? extends FlowRule> rules);

    /**
     * Removes every flow rule an application owns, on every device: device by device and in
     * chunks, however many there are, so that other writes keep their turn.
     *
     * @param appId the application
     * @return completes when the store acknowledged every batch, with the rules that failed; fails
     *         with the {@link org.flowstore.api.store.FlowRuleStoreException} of the first device
     *         whose flows could not be removed (those of the other devices are)
     */
    CompletableFuture<List<FlowRule>> removeFlowRulesById(ApplicationId appId);

    /**
     * Returns a device's flow entries (read from its master).
     *
     * @param deviceId the device
     * @return the entries
     * @throws org.flowstore.api.store.FlowRuleStoreException if the device is unknown, has no master,
     *         or its master does not answer
     */
    List<FlowEntry> getFlowEntries(DeviceId deviceId);

    /**
     * Returns every flow entry an application owns, on every device that has a master.
     *
     * @param appId the application
     * @return the entries
     */
    List<FlowEntry> getFlowEntriesById(ApplicationId appId);

    /**
     * Returns the number of flow entries on every device that has a master.
     *
     * @return the count
     */
    int getFlowRuleCount();

    /**
     * Returns the number of a device's flow entries (counted on its master, without reading them).
     *
     * @param deviceId the device
     * @return the count
     * @throws org.flowstore.api.store.FlowRuleStoreException if the device is unknown, has no master,
     *         or its master does not answer
     */
    int getFlowRuleCount(DeviceId deviceId);
}
