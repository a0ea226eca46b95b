package org.flowstore.app.manager;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.app.device.SimulatedDevices;
import org.flowstore.store.flow.StoreConfig;
import org.flowstore.testing.StandaloneNode;
import org.flowstore.testing.TestFlows;

/**
 * Removing an application's flows, with the real store and simulated devices on a three-node
 * cluster on real Atomix whose stores let few flows wait for room at a master: far more flows
 * than may wait at once are removed from a node that masters at most one of the devices (device
 * by device, in chunks), and only that application's.
 */
class ApplicationRemovalTest {

    private static final ApplicationId OTHER = ApplicationId.of(78, "org.test.kept");
    private static final int DEVICES = 2;
    private static final int PER_DEVICE = 25_000;

    private static List<StandaloneNode> nodes = List.of();
    private static FlowRuleManager manager;

    @BeforeAll
    static void start() throws Exception {
        nodes = StandaloneNode.cluster(3, DEVICES, 2 * PER_DEVICE);
        FlowRuleManager first = nodes.get(0).node().manager();
        // 12,000 flows may wait for their masters: the 50,000 flows removed at once (batches of 10,000) would be refused.
        for (StandaloneNode n : nodes) {
            n.node().store().modified(Map.of(StoreConfig.MAX_FLOWS_IN_FLIGHT_PER_MASTER, 1000,
                    StoreConfig.MAX_WAITING_FLOWS, 12_000));
        }
        awaitTrue(Duration.ofSeconds(60), () -> {
            try {
                for (int d = 1; d <= DEVICES; d++) {
                    first.getFlowRuleCount(SimulatedDevices.deviceId(d));
                }
                return true;
            } catch (RuntimeException noMasterYet) {
                return false;
            }
        });
        // The issuer is a node that masters none of the devices, or the fewest: its batches wait for remote masters.
        StandaloneNode issuer = nodes.stream().min(Comparator.comparingLong(n -> IntStream.rangeClosed(1, DEVICES)
                .filter(d -> n.node().mastership().getMastershipFor(SimulatedDevices.deviceId(d))
                        .isMaster(n.node().localNode())).count())).orElseThrow();
        manager = issuer.node().manager();
    }

    @AfterAll
    static void stop() {
        nodes.forEach(StandaloneNode::close);
    }

    @Test
    void moreFlowsThanMayWaitAreRemovedAndOtherApplicationsKeepTheirs() throws Exception {
        List<FlowRule> kept = new ArrayList<>();
        for (int d = 1; d <= DEVICES; d++) {
            DeviceId device = SimulatedDevices.deviceId(d);
            for (int from = 0; from < PER_DEVICE; from += 12_500) {
                assertEquals(List.of(), manager.applyFlowRules(TestFlows.rules(device, from, from + 12_500))
                        .get(60, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 10; i++) {
                kept.add(TestFlows.rule(device, 100_000 + i, OTHER, TestFlows.output(1)));
            }
        }
        assertEquals(List.of(), manager.applyFlowRules(kept).get(30, TimeUnit.SECONDS));
        assertEquals(DEVICES * PER_DEVICE, manager.getFlowEntriesById(TestFlows.APP).size());

        assertEquals(List.of(), manager.removeFlowRulesById(TestFlows.APP).get(120, TimeUnit.SECONDS));
        // Marked PENDING_REMOVE at once; gone once the devices' statistics no longer show them.
        awaitTrue(Duration.ofSeconds(60), () -> manager.getFlowRuleCount() == kept.size());
        assertEquals(kept.size(), manager.getFlowEntriesById(OTHER).size());
        assertEquals(List.of(), manager.getFlowEntriesById(TestFlows.APP));
    }
}
