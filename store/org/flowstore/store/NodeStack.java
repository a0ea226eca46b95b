package org.flowstore.store;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;
import org.flowstore.store.cluster.AtomixApplicationIds;
import org.flowstore.store.cluster.AtomixCluster;
import org.flowstore.store.cluster.AtomixMastership;
import org.flowstore.store.cluster.AtomixMessaging;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.cluster.DeviceInventory;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * One node's stack outside OSGi: the components the bundle runs under SCR (the Atomix cluster
 * node, messaging, mastership, device inventory, application ids and the flow store), built,
 * started and stopped here in one order, for the standalone node and for every test that runs
 * real nodes, so that they all exercise the production start and shutdown.
 *
 * <p>Start: cluster, mastership, application ids, store. Stop: the node leaves its elections
 * first, while its store still serves, so its devices move to standbys that can still take this
 * node's copies; then the store, application ids and the cluster. Not thread-safe: start and stop
 * from one thread.
 */
public final class NodeStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeStack.class);

    private final AtomixCluster cluster;
    private final AtomixMessaging messaging;
    private final AtomixMastership mastership;
    private final DeviceInventory inventory;
    private final AtomixApplicationIds applications;
    private final DistributedFlowRuleStore store;
    private boolean clusterStarted;
    private boolean mastershipStarted;
    private boolean applicationsStarted;
    private boolean storeStarted;

    /**
     * Builds the stack of a node; {@link #start} runs it.
     *
     * @param settings how the node joins the cluster
     */
    public NodeStack(ClusterSettings settings) {
        this.cluster = new AtomixCluster(settings);
        this.messaging = new AtomixMessaging(cluster);
        this.mastership = new AtomixMastership(cluster);
        this.inventory = new DeviceInventory(mastership);
        this.applications = new AtomixApplicationIds(cluster);
        this.store = new DistributedFlowRuleStore(cluster, messaging, mastership, mastership, inventory);
    }

    /**
     * Joins the cluster and starts the services and the store; on a failure stops what started.
     *
     * @param storeProperties the store's component properties
     * @throws IllegalStateException (or another runtime exception) if a step fails
     */
    public void start(Map<String, Object> storeProperties) {
        try {
            cluster.start();
            clusterStarted = true;
            mastership.start();
            mastershipStarted = true;
            applications.start();
            applicationsStarted = true;
            store.activate(storeProperties);
            storeStarted = true;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Stops everything that started, in the order described above; safe to call more than once. */
    @Override
    public void close() {
        if (mastershipStarted) {
            // After a crash there is nothing to withdraw from: only the event thread stops.
            try {
                mastership.stop();
            } catch (RuntimeException e) {
                log.warn("Node {} could not leave its elections cleanly: {}", localNode(), e.toString());
            }
            mastershipStarted = false;
        }
        if (storeStarted) {
            store.deactivate();
            storeStarted = false;
        }
        if (applicationsStarted) {
            applications.stop();
            applicationsStarted = false;
        }
        if (clusterStarted) {
            messaging.deactivate();
            cluster.stop();
            clusterStarted = false;
        }
    }

    /** Leaves the cluster at once, as a crash would: no hand-off, no withdrawal; the store goes silent. */
    public void crash() {
        cluster.stop();
    }

    /** Returns this node's id. */
    public NodeId localNode() {
        return cluster.getLocalNode();
    }

    /** Returns the cluster node. */
    public AtomixCluster cluster() {
        return cluster;
    }

    /** Returns the messaging service. */
    public AtomixMessaging messaging() {
        return messaging;
    }

    /** Returns the mastership service. */
    public AtomixMastership mastership() {
        return mastership;
    }

    /** Returns the device inventory. */
    public DeviceInventory inventory() {
        return inventory;
    }

    /** Returns the application ids. */
    public AtomixApplicationIds applications() {
        return applications;
    }

    /** Returns the flow store. */
    public DistributedFlowRuleStore store() {
        return store;
    }
}
