package org.flowstore.app.rest;

import java.time.Duration;
import java.util.function.Predicate;

import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.store.FlowRuleStore;

/**
 * The ONOS-compatible REST API under {@code /onos/v1} (see ARCHITECTURE.md for the contract),
 * one class per resource: {@link FlowResources}, {@link StatisticsResources} and
 * {@link ClusterResources}.
 */
public final class FlowStoreResources {

    private final FlowResources flows;
    private final StatisticsResources statistics;
    private final ClusterResources clusterResources;

    /**
     * Creates the resources.
     *
     * @param flows the flow-rule manager
     * @param store the store (reads)
     * @param devices the devices
     * @param mastership who masters each device
     * @param apps application names and ids
     * @param cluster membership
     * @param writeTimeout how long a write may take before the request fails
     * @param deviceRemover removes a device this node is connected to, purging its flows; false
     *                      when this node is not connected to it
     */
    public FlowStoreResources(FlowRuleService flows, FlowRuleStore store, DeviceService devices,
                              MastershipService mastership, ApplicationIdService apps, ClusterService cluster,
                              Duration writeTimeout, Predicate<DeviceId> deviceRemover) {
        KnownDevices known = new KnownDevices(devices);
        this.flows = new FlowResources(flows, store, known, apps, writeTimeout);
        this.statistics = new StatisticsResources(store, known, mastership);
        this.clusterResources = new ClusterResources(cluster, known, mastership, deviceRemover);
    }

    /**
     * Adds every route to the API.
     *
     * @param api the API
     */
    public void register(RestApi api) {
        flows.register(api);
        statistics.register(api);
        clusterResources.register(api);
    }
}
