package org.flowstore.app.manager;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.capture;
import static org.easymock.EasyMock.createNiceMock;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.expectLastCall;
import static org.easymock.EasyMock.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.easymock.Capture;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.CompletedBatchOperation;
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
