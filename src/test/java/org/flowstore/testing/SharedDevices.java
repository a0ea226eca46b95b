package org.flowstore.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.FlowRuleProvider;
import org.flowstore.api.flow.FlowRuleProviderService;

/**
 * Devices of one scheme, each with one flow table shared by every node's provider, as
 * a real switch is connected to every controller of a cluster; every operation a node pushes is
 * recorded with the node. Nothing happens on its own: the test decides when a device reports its
 * flows ({@link #report}), loses one, or holds one the controller never pushed; a flow can be made
 * unplaceable (acknowledged, never installed) to keep it pending.
 */
public final class SharedDevices {

    /** One operation a node pushed to a device. */
    public record Push(NodeId node, DeviceId device, FlowRuleOperation op, FlowId flow) {
    }

    private final String scheme;
    private final Map<DeviceId, Map<FlowId, FlowRule>> tables = new ConcurrentHashMap<>();
    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final Set<FlowId> unplaceable = ConcurrentHashMap.newKeySet();
    private final List<Provider> providers = new CopyOnWriteArrayList<>();

    /**
     * Creates the devices.
     *
     * @param scheme the scheme of their ids, e.g. {@code rec}
     */
    public SharedDevices(String scheme) {
        this.scheme = scheme;
    }

    /**
     * Returns the id of device {@code i}.
     *
     * @param i 1-based index
     * @return the scheme, a colon and i in 16 hex digits
     */
    public DeviceId device(int i) {
        return DeviceId.deviceId(String.format("%s:%016x", scheme, i));
    }

    /**
     * Creates one node's provider of these devices.
     *
     * @param node the node
     * @param manager the node's flow-rule manager, where reports go
     * @return the provider, to bind to the manager
     */
    public Provider provider(NodeId node, FlowRuleProviderService manager) {
        Provider p = new Provider(node, manager);
        providers.add(p);
        return p;
    }

    /**
     * Reports a device's flows to every node's manager (only the master's acts on them).
     *
     * @param device the device
     */
    public void report(DeviceId device) {
        providers.forEach(p -> p.manager.pushFlowMetrics(device, flows(device)));
    }

    /** Returns what a device holds, as it reports it. */
    public Collection<FlowEntry> flows(DeviceId device) {
        List<FlowEntry> report = new ArrayList<>();
        tables.getOrDefault(device, Map.of()).values().forEach(r ->
                report.add(DefaultFlowEntry.builder(r).state(FlowEntryState.ADDED).build()));
        return report;
    }

    /** Returns whether a device holds a flow. */
    public boolean holds(DeviceId device, FlowId flow) {
        return tables.getOrDefault(device, Map.of()).containsKey(flow);
    }

    /** Makes a device lose a flow silently. */
    public void lose(DeviceId device, FlowId flow) {
        tables.getOrDefault(device, Map.of()).remove(flow);
    }

    /** Makes a device lose every flow silently, as a reboot does. */
    public void wipe(DeviceId device) {
        tables.getOrDefault(device, Map.of()).clear();
    }

    /** Puts a flow on a device behind the controller's back. */
    public void installDirectly(FlowRule rule) {
        tables.computeIfAbsent(rule.deviceId(), d -> new ConcurrentHashMap<>()).put(rule.id(), rule);
    }

    /** Makes a flow unplaceable: every device acknowledges it and never holds it. */
    public void neverInstall(FlowId flow) {
        unplaceable.add(flow);
    }

    /** Returns every push so far, in order. */
    public List<Push> pushes() {
        return List.copyOf(pushes);
    }

    /** Returns the pushes of one device. */
    public List<Push> pushes(DeviceId device) {
        return pushes.stream().filter(p -> p.device().equals(device)).toList();
    }

    /** One node's connection to the shared devices. */
    public final class Provider implements FlowRuleProvider {

        private final NodeId node;
        private final FlowRuleProviderService manager;

        private Provider(NodeId node, FlowRuleProviderService manager) {
            this.node = node;
            this.manager = manager;
        }

        @Override
        public String scheme() {
            return scheme;
        }

        @Override
        public CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId,
                                                                       List<FlowRuleBatchEntry> operations) {
            Map<FlowId, FlowRule> table = tables.computeIfAbsent(deviceId, d -> new ConcurrentHashMap<>());
            for (FlowRuleBatchEntry op : operations) {
                pushes.add(new Push(node, deviceId, op.operator(), op.target().id()));
                if (op.operator() == FlowRuleOperation.REMOVE) {
                    table.remove(op.target().id());
                } else if (!unplaceable.contains(op.target().id())) {
                    table.put(op.target().id(), op.target());
                }
            }
            return CompletableFuture.completedFuture(CompletedBatchOperation.succeeded(deviceId));
        }

        @Override
        public CompletableFuture<Collection<FlowEntry>> readFlows(DeviceId deviceId) {
            return CompletableFuture.completedFuture(flows(deviceId));
        }

        @Override
        public String toString() {
            return "shared devices of node " + node;
        }
    }
}
