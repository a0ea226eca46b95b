package org.flowstore.app.manager;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.app.device.SimulatedDevices;
import org.flowstore.testing.StandaloneNode;
import org.flowstore.testing.TestFlows;

/**
 * The flow-rule manager's life cycle of a flow, with the real store and simulated devices on a
 * one-node cluster: apply, confirmation by statistics, removal, a flow the device lost is
 * applied again, a flow the store does not know is removed from the device, a full table fails
 * the rule. Each test uses its own device or rules.
 */
class FlowRuleManagerTest {

    private static final int CAPACITY = 40;
    private static final ApplicationId OTHER = ApplicationId.of(77, "org.test.other");

    private static StandaloneNode node;
    private static FlowRuleManager manager;
    private static SimulatedDevices devices;

    @BeforeAll
    static void start() throws Exception {
        node = StandaloneNode.start(5, CAPACITY, Duration.ofMillis(100), 1 << 20);
        manager = node.node().manager();
        devices = node.node().devices();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void appliedFlowsReachTheDeviceAndTurnAddedWhenItReportsThem() throws Exception {
        DeviceId device = SimulatedDevices.deviceId(1);
        List<FlowRule> rules = TestFlows.rules(device, 0, 10);
        assertEquals(List.of(), manager.applyFlowRules(rules).get(10, TimeUnit.SECONDS), "no rule failed");
        assertTrue(onDevice(device, rules), "the device holds them once the batch completed");
        awaitTrue(Duration.ofSeconds(10), () -> rules.stream().allMatch(r -> state(r) == FlowEntryState.ADDED));
        assertEquals(10, manager.getFlowEntries(device).size());
    }

    @Test
    void removedFlowsArePendingUntilTheDeviceNoLongerHasThemThenGone() throws Exception {
        DeviceId device = SimulatedDevices.deviceId(2);
        List<FlowRule> rules = TestFlows.rules(device, 100, 105);
        manager.applyFlowRules(rules).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> rules.stream().allMatch(r -> state(r) == FlowEntryState.ADDED));

        assertEquals(List.of(), manager.removeFlowRules(rules.subList(0, 2)).get(10, TimeUnit.SECONDS));
        assertTrue(rules.subList(0, 2).stream().allMatch(r -> state(r) == null || state(r) == FlowEntryState.PENDING_REMOVE));
        awaitTrue(Duration.ofSeconds(10), () -> state(rules.get(0)) == null && state(rules.get(1)) == null);
        assertEquals(3, manager.getFlowEntries(device).size());
        assertTrue(devices.flows(device).stream().noneMatch(f -> f.id().equals(rules.get(0).id())));
    }

    @Test
    void aFlowTheDeviceLostIsAppliedAgain() throws Exception {
        DeviceId device = SimulatedDevices.deviceId(3);
        List<FlowRule> rules = TestFlows.rules(device, 200, 203);
        manager.applyFlowRules(rules).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> rules.stream().allMatch(r -> state(r) == FlowEntryState.ADDED));

        assertTrue(devices.loseFlow(device, rules.get(1).id()));
        awaitTrue(Duration.ofSeconds(10), () -> onDevice(device, rules));
        assertEquals(FlowEntryState.ADDED, state(rules.get(1)));
    }

    @Test
    void aFlowTheStoreDoesNotKnowIsRemovedFromTheDevice() throws Exception {
        DeviceId device = SimulatedDevices.deviceId(4);
        FlowRule stranger = TestFlows.rule(device, 300);
        devices.executeBatch(device, List.of(new FlowRuleBatchEntry(FlowRuleOperation.ADD, stranger)))
                .get(10, TimeUnit.SECONDS);
        assertTrue(onDevice(device, List.of(stranger)));
        awaitTrue(Duration.ofSeconds(10), () -> !onDevice(device, List.of(stranger)));
        assertNull(state(stranger), "never in the store");
    }

    @Test
    void aFullTableFailsTheRulesThatDoNotFitAndRemovalByApplicationKeepsOthers() throws Exception {
        DeviceId device = SimulatedDevices.deviceId(5);
        List<FlowRule> fitting = TestFlows.rules(device, 400, 400 + CAPACITY);
        assertEquals(List.of(), manager.applyFlowRules(fitting).get(10, TimeUnit.SECONDS));
        FlowRule extra = TestFlows.rule(device, 500, OTHER, TestFlows.output(1));
        assertEquals(List.of(extra), manager.applyFlowRules(List.of(extra)).get(10, TimeUnit.SECONDS));
        assertEquals(FlowEntryState.FAILED, state(extra));

        assertEquals(List.of(), manager.removeFlowRulesById(TestFlows.APP).get(10, TimeUnit.SECONDS));
        awaitTrue(Duration.ofSeconds(10), () -> manager.getFlowEntries(device).size() == 1);
        assertEquals(List.of(extra.id()), manager.getFlowEntriesById(OTHER).stream().map(FlowEntry::id).toList());
    }

    private static FlowEntryState state(FlowRule rule) {
        FlowEntry entry = node.node().store().getFlowEntry(rule);
        return entry == null ? null : entry.state();
    }

    private static boolean onDevice(DeviceId device, List<FlowRule> rules) {
        var held = devices.flows(device).stream().map(FlowEntry::id).toList();
        return rules.stream().allMatch(r -> held.contains(r.id()));
    }
}
