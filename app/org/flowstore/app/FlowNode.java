package org.flowstore.app;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.app.bench.LoadGenerator;
import org.flowstore.app.bench.LoadResource;
import org.flowstore.app.device.SimulatedDevices;
import org.flowstore.app.device.SimulatedDevicesConfig;
import org.flowstore.app.manager.FlowRuleManager;
import org.flowstore.app.openflow.OpenFlowConfig;
import org.flowstore.app.openflow.OpenFlowProvider;
import org.flowstore.app.rest.FlowStoreResources;
import org.flowstore.app.rest.RestApi;
import org.flowstore.app.rest.jdk.JdkRestServer;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.DeviceProviderService;
import org.flowstore.store.NodeStack;
import org.flowstore.store.cluster.AtomixApplicationIds;
import org.flowstore.store.cluster.AtomixCluster;
import org.flowstore.store.cluster.AtomixMastership;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.cluster.DeviceInventory;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * One standalone node: the components the OSGi bundle runs under SCR (a {@link NodeStack}),
 * plus what a controller adds around them here: the flow-rule manager, simulated devices and the
 * REST API. {@link #close} stops them in reverse order: the node leaves its elections first, so
 * its devices move to their standbys before it goes.
 */
public final class FlowNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FlowNode.class);

    /**
     * Everything a node is configured with: each component's properties, as in OSGi, and the node's own.
     *
     * @param cluster how it joins the cluster
     * @param storeProperties the store's component properties
     * @param managerProperties the flow-rule manager's component properties
     * @param deviceProperties the simulated devices' component properties
     * @param openflowProperties the OpenFlow provider's component properties; the node listens for
     *                           OpenFlow switches only when they name its port ({@value OpenFlowConfig#PORT})
     * @param restPort REST port (0: any free port)
     * @param maxBodyBytes largest REST request body
     * @param writeTimeout how long a REST write may wait for the store
     * @param loadGenerator whether REST offers the benchmark's load generator ({@link LoadResource})
     */
    public record Settings(ClusterSettings cluster, Map<String, Object> storeProperties,
                           Map<String, Object> managerProperties, Map<String, Object> deviceProperties,
                           Map<String, Object> openflowProperties, int restPort, long maxBodyBytes,
                           Duration writeTimeout, boolean loadGenerator) {

        /** Checks the ranges and copies the properties. */
        public Settings {
            storeProperties = Map.copyOf(storeProperties);
            managerProperties = Map.copyOf(managerProperties);
            deviceProperties = Map.copyOf(deviceProperties);
            openflowProperties = Map.copyOf(openflowProperties);
            checkArgument(restPort >= 0 && restPort <= 0xFFFF, "REST port must be 0..65535, was %s", restPort);
            checkArgument(maxBodyBytes >= 1024, "the REST body limit must be at least 1024 bytes");
            checkArgument(!writeTimeout.isNegative() && !writeTimeout.isZero(), "the write timeout must be positive");
        }
    }

    private final Settings settings;
    private final NodeStack stack;
    private final AtomixCluster cluster;
    private final AtomixMastership mastership;
    private final AtomixApplicationIds applications;
    private final DeviceInventory inventory;
    private final DistributedFlowRuleStore store;
    private final SimulatedDevices devices;
    /** Null unless the node listens for OpenFlow switches. */
    private final OpenFlowProvider openflow;
    private final FlowRuleManager manager;
    private final JdkRestServer rest;
    private boolean managerStarted;
    private boolean devicesStarted;
    private boolean started;

    /**
     * Creates the node; {@link #start} runs it.
     *
     * @param settings its configuration
     */
    public FlowNode(Settings settings) {
        this.settings = settings;
        this.stack = new NodeStack(settings.cluster());
        this.cluster = stack.cluster();
        this.mastership = stack.mastership();
        this.applications = stack.applications();
        this.inventory = stack.inventory();
        this.store = stack.store();
        this.manager = new FlowRuleManager(store, mastership, mastership, inventory, cluster);
        this.devices = new SimulatedDevices(manager, inventory, mastership, cluster, settings.deviceProperties());
        this.openflow = settings.openflowProperties().containsKey(OpenFlowConfig.PORT)
                ? new OpenFlowProvider(manager, manager, inventory, mastership, mastership, cluster,
                        settings.openflowProperties())
                : null;
        RestApi api = new RestApi(settings.maxBodyBytes());
        new FlowStoreResources(manager, store, inventory, mastership, applications, cluster, settings.writeTimeout(),
                this::removeDevice).register(api);
        if (settings.loadGenerator()) {
            new LoadResource(new LoadGenerator(manager, inventory, applications, cluster.getLocalNode())).register(api);
        }
        this.rest = new JdkRestServer(api, settings.restPort());
    }

    /**
     * Joins the cluster, starts the store, connects the devices and opens the REST API.
     *
     * @throws IllegalStateException if any step fails (what started is stopped again)
     */
    public synchronized void start() {
        long begin = System.nanoTime();
        try {
            stack.start(settings.storeProperties());
            manager.activate(settings.managerProperties());
            managerStarted = true;
            if (openflow != null) {
                // Bound first, the OpenFlow switches own the of scheme.
                manager.bindProvider(openflow);
                openflow.activate();
            }
            // Next to OpenFlow switches, simulated devices serve their scheme only when there are some.
            if (openflow == null || SimulatedDevicesConfig.DEFAULTS.apply(settings.deviceProperties()).config().count() > 0) {
                manager.bindProvider(devices);
            }
            devices.activate();
            devicesStarted = true;
            rest.start();
            started = true;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("node " + cluster.getLocalNode() + " could not open REST port "
                    + settings.restPort(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("Node {} started in {} ms (its JVM has run {} ms): REST on port {}, {} devices, store {}",
                cluster.getLocalNode(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                ManagementFactory.getRuntimeMXBean().getUptime(), rest.port(), devices.devices().size(), store.config());
    }

    /**
     * Removes a simulated device from this node: its flows are purged from the store, then the
     * node disconnects from it (leaving its election).
     *
     * @param deviceId the device
     * @return false when this node does not simulate that device
     */
    public boolean removeDevice(DeviceId deviceId) {
        if (!devices.devices().contains(deviceId)) {
            return false;
        }
        store.purgeFlowRule(deviceId);
        devices.remove(deviceId);
        log.info("Node {} removed device {} and purged its flows", cluster.getLocalNode(), deviceId);
        return true;
    }

    /** Returns the REST port listened on. */
    public int restPort() {
        return rest.port();
    }

    /** Returns the flow-rule manager. */
    public FlowRuleManager manager() {
        return manager;
    }

    /** Returns the store. */
    public DistributedFlowRuleStore store() {
        return store;
    }

    /** Returns the OpenFlow provider, empty unless the node listens for OpenFlow switches. */
    public Optional<OpenFlowProvider> openflow() {
        return Optional.ofNullable(openflow);
    }

    /** Returns the simulated devices. */
    public SimulatedDevices devices() {
        return devices;
    }

    /** Returns this node's id. */
    public NodeId localNode() {
        return cluster.getLocalNode();
    }

    /** Returns the device inventory, as device providers see it. */
    public DeviceProviderService inventory() {
        return inventory;
    }

    /** Returns the mastership service. */
    public AtomixMastership mastership() {
        return mastership;
    }

    /**
     * Stops everything this node started, in reverse order; safe to call more than once. The node
     * leaves its devices' elections while the store still serves and the manager is still its
     * delegate, so they move to their standbys with everything this node holds.
     */
    @Override
    public synchronized void close() {
        rest.stop();
        if (devicesStarted) {
            devices.stop();
            if (openflow != null) {
                openflow.stop();
            }
            devicesStarted = false;
        }
        // The node leaves its devices' elections here, while the store still serves.
        stack.close();
        if (managerStarted) {
            manager.deactivate();
            managerStarted = false;
        }
        if (started) {
            log.info("Node {} stopped", cluster.getLocalNode());
            started = false;
        }
    }
}
