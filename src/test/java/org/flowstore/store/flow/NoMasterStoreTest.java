package org.flowstore.store.flow;

import static org.flowstore.api.flow.FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED;
import static org.flowstore.store.flow.StoreFixture.N1;
import static org.flowstore.testing.TestFlows.batch;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.rule;
import static org.flowstore.testing.TestFlows.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.store.FlowRuleStoreException;

/** Devices without a master, and devices the cluster does not know: failures that say so. */
class NoMasterStoreTest {

    private static final DeviceId ORPHAN = device(1);
    private static final DeviceId UNKNOWN = device(99);
    private static final DeviceId OWNED = device(2);

    private StoreFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture();
        fixture.knownDevices.add(ORPHAN);
        fixture.master(OWNED, N1, 1);
        fixture.start(StoreFixture.NO_COPIES);
    }

    @AfterEach
    void tearDown() {
        fixture.store.deactivate();
    }

    @Test
    void aBatchForADeviceWithoutMasterFailsEveryRuleWithTheReason() {
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(ORPHAN, 0, 3)));
        CompletedBatchOperation result = fixture.events(BATCH_OPERATION_COMPLETED).get(0).result();
        assertFalse(result.success());
        assertEquals(rules(ORPHAN, 0, 3), result.failedItems());
        assertTrue(result.reason().contains("has no master"), result.reason());
    }

    @Test
    void aBatchForAnUnknownDeviceFailsEveryRuleWithTheReason() {
        fixture.store.storeFlowRule(rule(UNKNOWN, 1));
        CompletedBatchOperation result = fixture.events(BATCH_OPERATION_COMPLETED).get(0).result();
        assertFalse(result.success());
        assertTrue(result.reason().contains("is not known"), result.reason());
    }

    @Test
    void readsAndUpdatesSaySo() {
        assertThrows(FlowRuleStoreException.NoMaster.class, () -> fixture.store.getFlowEntries(ORPHAN));
        assertThrows(FlowRuleStoreException.NoMaster.class, () -> fixture.store.getFlowRuleCount(ORPHAN));
        assertThrows(FlowRuleStoreException.NoMaster.class, () -> fixture.store.getFlowEntry(rule(ORPHAN, 1)));
        assertThrows(FlowRuleStoreException.NoMaster.class, () -> fixture.store.getTableStatistics(ORPHAN));
        assertThrows(FlowRuleStoreException.NoMaster.class,
                () -> fixture.store.addOrUpdateFlowRule(DefaultFlowEntry.pendingAdd(rule(ORPHAN, 1))));
        assertThrows(FlowRuleStoreException.NoMaster.class, () -> fixture.store.purgeFlowRule(ORPHAN));
        FlowRuleStoreException.UnknownDevice unknown = assertThrows(FlowRuleStoreException.UnknownDevice.class,
                () -> fixture.store.getFlowEntries(UNKNOWN));
        assertEquals(UNKNOWN, unknown.deviceId());
    }

    @Test
    void theTotalCountsTheDevicesThatHaveAMaster() {
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(OWNED, 0, 6)));
        assertEquals(6, fixture.store.getFlowRuleCount());
    }

    @Test
    void purgingEverythingReportsTheDevicesItCouldNotReach() {
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(OWNED, 0, 6)));
        FlowRuleStoreException failed = assertThrows(FlowRuleStoreException.class, fixture.store::purgeFlowRules);
        assertTrue(failed.getMessage().contains(ORPHAN.toString()), failed.getMessage());
        assertEquals(0, fixture.store.getFlowRuleCount(OWNED));
        assertEquals(List.of(), fixture.store.getFlowEntries(OWNED));
    }
}
