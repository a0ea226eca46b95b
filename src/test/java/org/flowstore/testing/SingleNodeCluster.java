package org.flowstore.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterCommunicationService;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.cluster.ReplicaInfoService;

/**
 * A cluster of one node that masters every device it knows, in term 1: for benchmarks of the
 * store's own work on one node, where no message ever leaves the node. Sending to another node
 * fails, as it would with no peers.
 */
public final class SingleNodeCluster implements ClusterService, ClusterCommunicationService, MastershipService,
        ReplicaInfoService, DeviceService {

    private final NodeId local;
    private final Set<DeviceId> devices = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<DeviceId, MastershipInfo> masterships = new ConcurrentHashMap<>();

    /**
     * Creates the cluster.
     *
     * @param local the node's id
     * @param deviceIds the devices it knows and masters
     */
    public SingleNodeCluster(NodeId local, Set<DeviceId> deviceIds) {
        this.local = local;
        devices.addAll(deviceIds);
        deviceIds.forEach(d -> masterships.put(d, MastershipInfo.of(1, local, List.of())));
    }

    @Override
    public NodeId getLocalNode() {
        return local;
    }

    @Override
    public Set<NodeId> getNodes() {
        return Set.of(local);
    }

    @Override
    public List<ClusterMember> getMembers() {
        return InMemoryCluster.addresses(List.of(local));
    }

    @Override
    public boolean isActive(NodeId node) {
        return local.equals(node);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void addListener(Consumer listener) {
        // Nothing ever changes in a cluster of one with a fixed inventory.
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void removeListener(Consumer listener) {
        // See addListener.
    }

    @Override
    public <M> CompletableFuture<Void> unicast(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                               NodeId toNode) {
        return CompletableFuture.failedFuture(new IllegalStateException("no node " + toNode + " in a cluster of one"));
    }

    @Override
    public <M, R> CompletableFuture<R> sendAndReceive(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                                      Function<byte[], R> decoder, NodeId toNode, Duration timeout) {
        return CompletableFuture.failedFuture(new IllegalStateException("no node " + toNode + " in a cluster of one"));
    }

    @Override
    public <M, R> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                                     BiFunction<NodeId, M, CompletableFuture<R>> handler, Function<R, byte[]> encoder,
                                     Executor executor) {
        // No other node will ever send.
    }

    @Override
    public <M> void addConsumer(MessageSubject subject, Function<byte[], M> decoder, BiConsumer<NodeId, M> handler,
                                Executor executor) {
        // No other node will ever send.
    }

    @Override
    public void removeSubscriber(MessageSubject subject) {
        // Nothing was registered.
    }

    @Override
    public MastershipInfo getMastershipFor(DeviceId deviceId) {
        return masterships.getOrDefault(deviceId, MastershipInfo.NONE);
    }

    @Override
    public Set<DeviceId> getDevicesOf(NodeId node) {
        return local.equals(node) ? Set.copyOf(devices) : Set.of();
    }

    @Override
    public CompletableFuture<Void> relinquishMastership(DeviceId deviceId) {
        return CompletableFuture.failedFuture(new IllegalStateException("no other node to hand " + deviceId + " to"));
    }

    @Override
    public MastershipInfo getReplicaInfoFor(DeviceId deviceId) {
        return getMastershipFor(deviceId);
    }

    @Override
    public Set<DeviceId> getDevices() {
        return Set.copyOf(devices);
    }

    @Override
    public boolean isKnown(DeviceId deviceId) {
        return devices.contains(deviceId);
    }
}
