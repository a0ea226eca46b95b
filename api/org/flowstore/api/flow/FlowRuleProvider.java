package org.flowstore.api.flow;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.flowstore.api.DeviceId;

/**
 * The southbound side of the flow-rule manager: programs the devices of one device-id scheme
 * (e.g. {@code of} for OpenFlow switches, {@code sim} for simulated ones). Registered as an OSGi
 * service, it is bound by the flow-rule manager for its {@link #scheme()}; it may come and go at
 * any time. Called on a device's master only. A provider reports what its devices hold through
 * {@link FlowRuleProviderService} and their connections through
 * {@link org.flowstore.api.cluster.DeviceProviderService}.
 */
public interface FlowRuleProvider {

    /**
     * Returns the device-id scheme this provider serves.
     *
     * @return the scheme, e.g. {@code of}: every device whose {@link DeviceId#scheme()} it is
     */
    String scheme();

    /**
     * Applies a batch of operations to a device's flow table.
     *
     * @param deviceId the device
     * @param operations ADD, MODIFY and REMOVE operations, in order
     * @return completes when the device acknowledged the batch: success, or the rules it refused;
     *         completes exceptionally only when the device cannot be reached
     */
    CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId, List<FlowRuleBatchEntry> operations);

    /**
     * Reads a device's flow table now, as the device reports it. The manager asks for it when the
     * provider has not reported the device's flows by itself for a while (its
     * {@code fallbackFlowPollFrequency}), when the device connects and when this node becomes
     * its master.
     *
     * @param deviceId the device
     * @return completes with every flow the device holds, with its counters; completes
     *         exceptionally when the device cannot be reached
     */
    CompletableFuture<Collection<FlowEntry>> readFlows(DeviceId deviceId);
}
