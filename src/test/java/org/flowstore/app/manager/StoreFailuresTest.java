package org.flowstore.app.manager;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.capture;
import static org.easymock.EasyMock.createNiceMock;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.expectLastCall;
import static org.easymock.EasyMock.replay;
import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.easymock.Capture;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreDelegate;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.testing.TestFlows;

/** How the manager hands the store's typed batch failures to its callers, with the store a mock. */
class StoreFailuresTest {

    private static final DeviceId D1 = TestFlows.device(1);

    @Test
    void aBatchTheStoreHadNoRoomForFailsTheCallAsOverloadedWithTheStoresReason() throws Exception {
        String reason = "node n1 has 250000 flows waiting for room at their masters (maxWaitingFlows=250000)";
        FlowRuleManager manager = managerOnStoreThatCompletes(CompletedBatchOperation.Failure.OVERLOADED, reason);
        List<FlowRule> rules = TestFlows.rules(D1, 0, 3);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> manager.applyFlowRules(rules).get(5, TimeUnit.SECONDS));
        FlowRuleStoreException.Overloaded overloaded =
                assertInstanceOf(FlowRuleStoreException.Overloaded.class, failed.getCause());
        assertEquals(D1, overloaded.deviceId());
        assertEquals(reason, overloaded.getMessage());
        manager.deactivate();
    }

    @Test
    void aBatchTheStoreCouldNotConfirmCompletesWithItsRulesFailed() throws Exception {
        FlowRuleManager manager = managerOnStoreThatCompletes(CompletedBatchOperation.Failure.STORE,
                "master n2 did not confirm the batch");
        List<FlowRule> rules = TestFlows.rules(D1, 0, 3);
        assertEquals(rules, manager.applyFlowRules(rules).get(5, TimeUnit.SECONDS));
        manager.deactivate();
    }

    @Test
    void aReconciliationPassStopsAtTheFirstUpdateTheStoreRefuses() throws Exception {
        List<FlowRule> rules = TestFlows.rules(D1, 0, 50);
        FlowRuleStore store = createNiceMock(FlowRuleStore.class);
        expect(store.getFlowEntries(D1)).andReturn(rules.stream().<FlowEntry>map(DefaultFlowEntry::pendingAdd).toList())
                .anyTimes();
        // Every update is refused (mastership moved as the pass began); each one is recorded.
        List<Integer> updates = new CopyOnWriteArrayList<>();
        AtomicInteger pass = new AtomicInteger();
        CountDownLatch secondPassStarted = new CountDownLatch(1);
        store.addOrUpdateFlowRule(anyObject());
        expectLastCall().andAnswer(() -> {
            updates.add(pass.get());
            if (pass.get() == 2) {
                secondPassStarted.countDown();
            }
            throw new FlowRuleStoreException.NoMaster(D1);
        }).anyTimes();
        ClusterService cluster = createNiceMock(ClusterService.class);
        expect(cluster.getLocalNode()).andReturn(NodeId.nodeId("n1")).anyTimes();
        MastershipService mastership = createNiceMock(MastershipService.class);
        expect(mastership.getMastershipFor(D1)).andReturn(MastershipInfo.of(1, NodeId.nodeId("n1"), List.of()))
                .anyTimes();
        DeviceService devices = createNiceMock(DeviceService.class);
        expect(devices.isKnown(anyObject())).andReturn(true).anyTimes();
        replay(store, cluster, mastership, devices);
        FlowRuleManager manager = new FlowRuleManager(store, mastership, createNiceMock(ReplicaInfoService.class),
                devices, cluster);
        manager.activate(Map.of());
        List<FlowEntry> report = rules.stream().<FlowEntry>map(r -> DefaultFlowEntry.builder(r)
                .state(FlowEntryState.ADDED).build()).toList();

        // Two reports of all 50 flows (each would confirm a pending flow); the manager runs their passes in turn.
        pass.set(1);
        manager.pushFlowMetrics(D1, report);
        awaitTrue(Duration.ofSeconds(5), () -> !updates.isEmpty());
        pass.set(2);
        manager.pushFlowMetrics(D1, report);
        assertTrue(secondPassStarted.await(5, TimeUnit.SECONDS));
        manager.deactivate();
        assertEquals(List.of(1, 2), updates.subList(0, 2), "each pass stopped at its first refused update");
    }

    /** A manager on a store that completes every batch at once, all its rules failed as {@code failure}. */
    private static FlowRuleManager managerOnStoreThatCompletes(CompletedBatchOperation.Failure failure, String reason) {
        FlowRuleStore store = createNiceMock(FlowRuleStore.class);
        Capture<FlowRuleStoreDelegate> delegate = Capture.newInstance();
        store.setDelegate(capture(delegate));
        expectLastCall();
        Capture<FlowRuleBatchOperation> batch = Capture.newInstance();
        store.storeBatch(capture(batch));
        expectLastCall().andAnswer(() -> {
            FlowRuleBatchOperation b = batch.getValue();
            delegate.getValue().notify(FlowRuleBatchEvent.completed(new FlowRuleBatchRequest(b.id(), b.operations()),
                    CompletedBatchOperation.allFailed(b, failure, reason)));
            return null;
        }).anyTimes();
        ClusterService cluster = createNiceMock(ClusterService.class);
        expect(cluster.getLocalNode()).andReturn(NodeId.nodeId("n1")).anyTimes();
        MastershipService mastership = createNiceMock(MastershipService.class);
        ReplicaInfoService replicaInfo = createNiceMock(ReplicaInfoService.class);
        DeviceService devices = createNiceMock(DeviceService.class);
        expect(devices.isKnown(anyObject())).andReturn(true).anyTimes();
        replay(store, cluster, mastership, replicaInfo, devices);
        FlowRuleManager manager = new FlowRuleManager(store, mastership, replicaInfo, devices, cluster);
        manager.activate(Map.of());
        return manager;
    }
}
