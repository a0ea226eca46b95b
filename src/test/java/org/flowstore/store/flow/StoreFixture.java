package org.flowstore.store.flow;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.expectLastCall;
import static org.easymock.EasyMock.getCurrentArgument;
import static org.easymock.EasyMock.mock;
import static org.easymock.EasyMock.niceMock;
import static org.easymock.EasyMock.replay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import org.flowstore.api.store.FlowRuleStoreDelegate;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterCommunicationService;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.serializers.StoreSerializer;

/**
 * A store on node n1 whose collaborators are EasyMock mocks: mastership and the device
 * inventory answer from maps the test sets; the messaging mock records the handlers the store
 * registers, so a test can play a request from another node, and is set up by the test for
 * what the store sends.
 */
final class StoreFixture {

    static final NodeId N1 = NodeId.nodeId("n1");
    static final NodeId N2 = NodeId.nodeId("n2");
    static final NodeId N3 = NodeId.nodeId("n3");
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    final Map<DeviceId, MastershipInfo> masterships = new ConcurrentHashMap<>();
    final Set<DeviceId> knownDevices = ConcurrentHashMap.newKeySet();
    final Map<MessageSubject, BiFunction<NodeId, Object, ?>> subscribers = new ConcurrentHashMap<>();
    final Map<MessageSubject, BiConsumer<NodeId, Object>> consumers = new ConcurrentHashMap<>();
    final Map<MessageSubject, Function<byte[], ?>> decoders = new ConcurrentHashMap<>();
    /** The nodes the cluster reports up (none unless a test says so). */
    final Set<NodeId> liveNodes = ConcurrentHashMap.newKeySet();
    /** The members the cluster is configured with: all three unless a test says otherwise before {@link #start}. */
    final Set<NodeId> members = ConcurrentHashMap.newKeySet();

    {
        members.addAll(List.of(N1, N2, N3));
    }
    private volatile Consumer<ReplicaInfoEvent> replicaListener;
    final List<FlowRuleBatchEvent> events = new CopyOnWriteArrayList<>();
    /** The delegate the store is started with: it records every event in {@link #events}. */
    final FlowRuleStoreDelegate delegate = events::add;
    final StoreSerializer serializer = new StoreSerializer();
    final ClusterCommunicationService comms;
    final DistributedFlowRuleStore store;

    /** Creates the fixture; the test records its expectations on {@link #comms}, then calls {@link #start}. */
    StoreFixture() {
        comms = mock(ClusterCommunicationService.class);
        comms.addSubscriber(anyObject(), anyObject(), anyObject(), anyObject(), anyObject());
        expectLastCall().andAnswer(() -> {
            subscribers.put(getCurrentArgument(0), getCurrentArgument(2));
            decoders.put(getCurrentArgument(0), getCurrentArgument(1));
            return null;
        }).anyTimes();
        comms.addConsumer(anyObject(), anyObject(), anyObject(), anyObject());
        expectLastCall().andAnswer(() -> {
            consumers.put(getCurrentArgument(0), getCurrentArgument(2));
            decoders.put(getCurrentArgument(0), getCurrentArgument(1));
            return null;
        }).anyTimes();
        comms.removeSubscriber(anyObject());
        expectLastCall().andAnswer(() -> {
            subscribers.remove(getCurrentArgument(0));
            consumers.remove(getCurrentArgument(0));
            return null;
        }).anyTimes();

        ClusterService cluster = niceMock(ClusterService.class);
        expect(cluster.getLocalNode()).andReturn(N1).anyTimes();
        expect(cluster.getNodes()).andAnswer(() -> Set.copyOf(members)).anyTimes();
        expect(cluster.isActive(anyObject())).andAnswer(() -> liveNodes.contains(getCurrentArgument(0))).anyTimes();
        MastershipService mastership = mock(MastershipService.class);
        expect(mastership.getMastershipFor(anyObject()))
                .andAnswer(() -> masterships.getOrDefault(getCurrentArgument(0), MastershipInfo.NONE)).anyTimes();
        DeviceService devices = mock(DeviceService.class);
        expect(devices.isKnown(anyObject())).andAnswer(() -> knownDevices.contains(getCurrentArgument(0))).anyTimes();
        expect(devices.getDevices()).andAnswer(() -> Set.copyOf(knownDevices)).anyTimes();
        ReplicaInfoService replicaInfo = niceMock(ReplicaInfoService.class);
        replicaInfo.addListener(anyObject());
        expectLastCall().andAnswer(() -> {
            replicaListener = getCurrentArgument(0);
            return null;
        }).anyTimes();
        replay(cluster, mastership, devices, replicaInfo);
        store = new DistributedFlowRuleStore(cluster, comms, mastership, replicaInfo, devices,
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(300));
    }

    /**
     * Properties of a store that keeps no copies: a master with no standby (and no other node
     * up) acknowledges writes on its own, so a test can play one without scripting standbys.
     */
    static final Map<String, Object> NO_COPIES = Map.of(StoreConfig.BACKUP_COUNT, 0);

    /** Replays the messaging mock and activates the store with properties. */
    StoreFixture start(Map<String, Object> properties) {
        replay(comms);
        store.activate(properties);
        store.setDelegate(delegate);
        return this;
    }

    StoreFixture start() {
        return start(Map.of());
    }

    /** Makes a device known, mastered by a node in a term, with standbys. */
    void master(DeviceId deviceId, NodeId master, long term, NodeId... backups) {
        knownDevices.add(deviceId);
        masterships.put(deviceId, MastershipInfo.of(term, master, List.of(backups)));
    }

    /** Tells the store its node became the device's master, as the mastership service would. */
    void becameMaster(DeviceId deviceId) {
        replicaListener.accept(new ReplicaInfoEvent(ReplicaInfoEvent.Type.MASTER_CHANGED, deviceId,
                masterships.get(deviceId)));
    }

    /**
     * Plays a request from another node to a handler the store registered, through the wire
     * format and the decoder the store registered.
     */
    @SuppressWarnings("unchecked")
    <R> R request(MessageSubject subject, NodeId sender, Object request) throws Exception {
        BiFunction<NodeId, Object, ?> handler = subscribers.get(subject);
        Object decoded = decoders.get(subject).apply(serializer.encode(request));
        Object reply = ((java.util.concurrent.CompletableFuture<?>) handler.apply(sender, decoded)).get();
        return (R) serializer.decode(serializer.encode(reply));
    }

    /** Plays a one-way message from another node. */
    void deliver(MessageSubject subject, NodeId sender, Object message) {
        consumers.get(subject).accept(sender, decoders.get(subject).apply(serializer.encode(message)));
    }

    /** Returns the events of one type the delegate received so far. */
    List<FlowRuleBatchEvent> events(FlowRuleBatchEvent.Type type) {
        List<FlowRuleBatchEvent> matching = new ArrayList<>();
        events.stream().filter(e -> e.type() == type).forEach(matching::add);
        return matching;
    }
}
