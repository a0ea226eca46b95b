package org.flowstore.app.manager;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.app.FlowNode;
import org.flowstore.store.flow.StoreConfig;
import org.flowstore.testing.SharedDevices;
import org.flowstore.testing.StandaloneNode;
import org.flowstore.testing.TestFlows;

/**
 * The flow-rule manager's reconciliation rules, one test each, on a two-node cluster on real
 * Atomix whose nodes share the same devices (each switch connected to both controllers, every
 * push recorded with the node that made it). Devices report only when a test says so, so each
 * rule is seen on its own. Each test has its own device; properties changed by a test are reset after it.
 */
class ReconciliationTest {

    private static List<StandaloneNode> cluster;
    private static final SharedDevices devices = new SharedDevices("rec");
    private static final Map<NodeId, SharedDevices.Provider> providers = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        cluster = StandaloneNode.cluster(2, 0, 1_000);
        for (StandaloneNode n : cluster) {
            NodeId id = n.node().localNode();
            SharedDevices.Provider provider = devices.provider(id, n.node().manager());
            providers.put(id, provider);
            n.node().manager().bindProvider(provider);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.forEach(StandaloneNode::close);
        }
    }

    @AfterEach
    void defaults() {
        nodes().forEach(n -> n.manager().modified(Map.of()));
    }

    @Test
    void aStoredFlowTheDeviceLostIsPushedAgainByItsMaster() throws Exception {
        DeviceId d = connect(1, nodes());
        List<FlowRule> rules = TestFlows.rules(d, 0, 3);
        applyAndConfirm(standby(d), rules);
        int before = devices.pushes(d).size();

        devices.lose(d, rules.get(1).id());
        awaitTrue(Duration.ofSeconds(10), () -> {
            devices.report(d);
            return devices.holds(d, rules.get(1).id());
        });
        assertEquals(List.of(new SharedDevices.Push(id(master(d)), d, FlowRuleOperation.ADD, rules.get(1).id())),
                devices.pushes(d).subList(before, devices.pushes(d).size()), "pushed again once, by the master");
    }

    @Test
    void aPendingFlowIsPushedAgainOnlyOncePendingAddRetryHasPassed() throws Exception {
        Duration retry = Duration.ofMillis(1_500);
        set(ManagerConfig.PENDING_ADD_RETRY, (int) retry.toMillis());
        DeviceId d = connect(2, nodes());
        FlowRule stuck = TestFlows.rule(d, 10);
        FlowRule marker = TestFlows.rule(d, 11);
        devices.neverInstall(stuck.id());
        long pushed = System.nanoTime();
        assertEquals(List.of(), master(d).manager().applyFlowRules(List.of(stuck, marker)).get(10, TimeUnit.SECONDS));
        // The report that confirms the marker is the reconciliation that found the stuck flow missing.
        confirm(d, List.of(marker));
        assertEquals(1, pushesOf(stuck), "pushed once: its push is younger than pendingAddRetry");
        assertEquals(FlowEntryState.PENDING_ADD, state(stuck));

        awaitTrue(Duration.ofSeconds(10), () -> {
            devices.report(d);
            return pushesOf(stuck) == 2;
        });
        assertTrue(System.nanoTime() - pushed >= retry.toNanos(), "pushed again no sooner than pendingAddRetry");
    }

    @Test
    void aFlowTheStoreDoesNotKnowIsRemovedFromTheDevice() throws Exception {
        DeviceId d = connect(3, nodes());
        FlowRule stranger = TestFlows.rule(d, 20);
        devices.installDirectly(stranger);
        awaitTrue(Duration.ofSeconds(10), () -> {
            devices.report(d);
            return !devices.holds(d, stranger.id());
        });
        assertEquals(List.of(new SharedDevices.Push(id(master(d)), d, FlowRuleOperation.REMOVE, stranger.id())),
                devices.pushes(d));
        assertNull(state(stranger), "never in the store");
    }

    @Test
    void anExtraneousFlowStaysWhenAllowedAndIsStoredWhenImported() throws Exception {
        set(ManagerConfig.ALLOW_EXTRANEOUS_RULES, true);
        DeviceId d = connect(4, nodes());
        FlowRule stranger = TestFlows.rule(d, 30);
        devices.installDirectly(stranger);
        applyAndConfirm(master(d), List.of(TestFlows.rule(d, 31)));
        assertTrue(devices.holds(d, stranger.id()), "left on the device");
        assertNull(state(stranger), "not imported");

        set(ManagerConfig.IMPORT_EXTRANEOUS_RULES, true);
        awaitTrue(Duration.ofSeconds(10), () -> {
            devices.report(d);
            return state(stranger) == FlowEntryState.ADDED;
        });
        assertTrue(devices.holds(d, stranger.id()));
        assertTrue(devices.pushes(d).stream().noneMatch(p -> p.op() == FlowRuleOperation.REMOVE), "nothing removed");
    }

    @Test
    void aDeviceThatReconnectsIsReconciledWithoutWaitingForAReport() throws Exception {
        DeviceId d = connect(5, nodes());
        List<FlowRule> rules = TestFlows.rules(d, 40, 43);
        applyAndConfirm(master(d), rules);

        disconnectEverywhere(d);
        devices.wipe(d); // it rebooted
        connect(5, nodes());
        awaitTrue(Duration.ofSeconds(15), () -> rules.stream().allMatch(r -> devices.holds(d, r.id())));
        confirm(d, rules);
    }

    @Test
    void onAMasterChangeOnlyTheNewMasterPushesWhatTheDeviceLacksAndNothingIsRemoved() throws Exception {
        DeviceId d = connect(6, nodes());
        List<FlowRule> rules = TestFlows.rules(d, 50, 55);
        applyAndConfirm(standby(d), rules);
        FlowNode old = master(d);
        FlowNode next = standby(d);
        int before = devices.pushes(d).size();
        devices.lose(d, rules.get(2).id());

        old.mastership().relinquishMastership(d).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> master(d) == next);
        awaitTrue(Duration.ofSeconds(15), () -> devices.holds(d, rules.get(2).id()));
        assertEquals(List.of(new SharedDevices.Push(id(next), d, FlowRuleOperation.ADD, rules.get(2).id())),
                devices.pushes(d).subList(before, devices.pushes(d).size()),
                "after the change: one push, by the new master, of the flow the device lacked");
        confirm(d, rules);
        assertTrue(devices.pushes(d).stream().noneMatch(p -> p.op() == FlowRuleOperation.REMOVE), "nothing removed");
    }

    /**
     * A pending flow the old master applied, and whose push never took, is the new master's to
     * push at once: it cannot know whether the old master pushed it (here it did; the device
     * dropped it), so it does not wait for {@code pendingAddRetry} as the old master would.
     */
    @Test
    void aPendingFlowAddedBeforeAMasterChangeIsPushedByTheNewMasterAtOnce() throws Exception {
        set(ManagerConfig.PENDING_ADD_RETRY, 600_000);
        DeviceId d = connect(11, nodes());
        FlowRule stuck = TestFlows.rule(d, 90);
        FlowRule marker = TestFlows.rule(d, 91);
        devices.neverInstall(stuck.id());
        FlowNode old = master(d);
        FlowNode next = standby(d);
        assertEquals(List.of(), old.manager().applyFlowRules(List.of(stuck, marker)).get(10, TimeUnit.SECONDS));
        confirm(d, List.of(marker));
        assertEquals(1, pushesOf(stuck), "the old master pushed it once and waits for pendingAddRetry");
        int before = devices.pushes(d).size();

        old.mastership().relinquishMastership(d).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> master(d) == next);
        awaitTrue(Duration.ofSeconds(15), () -> pushesOf(stuck) == 2);
        assertEquals(List.of(new SharedDevices.Push(id(next), d, FlowRuleOperation.ADD, stuck.id())),
                devices.pushes(d).subList(before, devices.pushes(d).size()), "one push, by the new master");
        assertEquals(FlowEntryState.PENDING_ADD, state(stuck));
    }

    /**
     * A device only one node is connected to, on stores without backups (a device no other node
     * holds has no standby to replicate to: see the issue note on purges without standbys).
     */
    @Test
    void withPurgeOnDisconnectionTheLastDisconnectionPurgesTheDevicesFlows() throws Exception {
        FlowNode only = nodes().get(1);
        nodes().forEach(n -> n.store().modified(Map.of(StoreConfig.BACKUP_ENABLED, false)));
        try {
            DeviceId kept = connect(7, List.of(only));
            applyAndConfirm(only, TestFlows.rules(kept, 60, 62));
            reconnect(only, kept);
            assertEquals(2, only.store().getFlowEntries(kept).size(), "kept by default");

            set(ManagerConfig.PURGE_ON_DISCONNECTION, true);
            DeviceId purged = connect(10, List.of(only));
            applyAndConfirm(only, TestFlows.rules(purged, 65, 67));
            reconnect(only, purged);
            assertEquals(List.of(), only.store().getFlowEntries(purged), "purged");
        } finally {
            nodes().forEach(n -> n.store().modified(Map.of()));
        }
    }

    private static void reconnect(FlowNode node, DeviceId d) throws Exception {
        node.inventory().deviceDisconnected(d).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> node.mastership().getMastershipFor(d).master().isEmpty());
        connect(Integer.parseInt(d.uri().substring(d.scheme().length() + 1), 16), List.of(node));
    }

    @Test
    void providersComeAndGoAtRuntime() throws Exception {
        DeviceId d = connect(8, nodes());
        FlowNode master = master(d);
        SharedDevices.Provider provider = providers.get(id(master));
        master.manager().unbindProvider(provider);
        try {
            FlowRule unserved = TestFlows.rule(d, 70);
            assertEquals(List.of(unserved), master.manager().applyFlowRules(List.of(unserved)).get(10, TimeUnit.SECONDS),
                    "no provider serves 'rec' on the master: the rule fails");
            assertEquals(FlowEntryState.FAILED, state(unserved));
            assertFalse(devices.holds(d, unserved.id()));
        } finally {
            master.manager().bindProvider(provider);
        }
        FlowRule served = TestFlows.rule(d, 71);
        applyAndConfirm(master, List.of(served));
    }

    @Test
    void withoutReportsTheManagerReadsTheDeviceItselfEveryFallbackPeriod() throws Exception {
        set(ManagerConfig.FALLBACK_FLOW_POLL_FREQUENCY, 1);
        DeviceId d = connect(9, nodes());
        List<FlowRule> rules = TestFlows.rules(d, 80, 82);
        assertEquals(List.of(), standby(d).manager().applyFlowRules(rules).get(10, TimeUnit.SECONDS));
        awaitTrue(Duration.ofSeconds(10), () -> rules.stream().allMatch(r -> state(r) == FlowEntryState.ADDED));
        devices.lose(d, rules.get(0).id());
        awaitTrue(Duration.ofSeconds(10), () -> devices.holds(d, rules.get(0).id()));
    }

    private static List<FlowNode> nodes() {
        return cluster.stream().map(StandaloneNode::node).toList();
    }

    private static NodeId id(FlowNode node) {
        return node.localNode();
    }

    /**
     * Connects shared device {@code i} to some nodes and waits until they all see its mastership
     * settled: a master (the preferred one when connected), and the others as standbys; and until
     * the master's store has taken the device's table over (before that its writes fail).
     */
    private static DeviceId connect(int i, List<FlowNode> to) throws Exception {
        DeviceId d = devices.device(i);
        for (FlowNode n : to) {
            n.inventory().deviceConnected(d).get(10, TimeUnit.SECONDS);
        }
        NodeId preferred = to.get(0).mastership().preferredMaster(d);
        boolean preferredConnected = to.stream().anyMatch(n -> id(n).equals(preferred));
        awaitTrue(Duration.ofSeconds(10), () -> nodes().stream().allMatch(n -> {
            MastershipInfo view = n.mastership().getMastershipFor(d);
            return view.master().isPresent() && view.backups().size() == to.size() - 1
                    && (!preferredConnected || view.isMaster(preferred));
        }));
        awaitTrue(Duration.ofSeconds(10), () -> {
            try {
                master(d).store().getFlowRuleCount(d);
                return true;
            } catch (FlowRuleStoreException e) {
                return false;
            }
        });
        return d;
    }

    /** Disconnects a device from its standby, then from its master: the master is the last to lose it. */
    private static void disconnectEverywhere(DeviceId d) throws Exception {
        FlowNode master = master(d);
        standby(d).inventory().deviceDisconnected(d).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> master.mastership().getMastershipFor(d).backups().isEmpty());
        master.inventory().deviceDisconnected(d).get(10, TimeUnit.SECONDS);
        awaitTrue(Duration.ofSeconds(10), () -> nodes().stream()
                .allMatch(n -> n.mastership().getMastershipFor(d).master().isEmpty()));
    }

    private static FlowNode master(DeviceId d) {
        Optional<NodeId> master = nodes().get(0).mastership().getMastershipFor(d).master();
        return nodes().stream().filter(n -> master.isPresent() && id(n).equals(master.get())).findFirst().orElse(null);
    }

    private static FlowNode standby(DeviceId d) {
        return nodes().stream().filter(n -> n != master(d)).findFirst().orElseThrow();
    }

    private static void set(String property, Object value) {
        nodes().forEach(n -> {
            Map<String, Object> properties = new HashMap<>();
            ManagerConfig c = n.manager().config();
            properties.put(ManagerConfig.ALLOW_EXTRANEOUS_RULES, c.allowExtraneousRules());
            properties.put(ManagerConfig.IMPORT_EXTRANEOUS_RULES, c.importExtraneousRules());
            properties.put(ManagerConfig.PURGE_ON_DISCONNECTION, c.purgeOnDisconnection());
            properties.put(ManagerConfig.FALLBACK_FLOW_POLL_FREQUENCY, (int) c.fallbackFlowPollFrequency().toSeconds());
            properties.put(ManagerConfig.PENDING_ADD_RETRY, (int) c.pendingAddRetry().toMillis());
            properties.put(property, value);
            n.manager().modified(properties);
        });
    }

    /** Applies rules through a node and has the device report until the store shows them ADDED. */
    private static void applyAndConfirm(FlowNode through, List<FlowRule> rules) throws Exception {
        assertEquals(List.of(), through.manager().applyFlowRules(rules).get(10, TimeUnit.SECONDS), "no rule failed");
        confirm(rules.get(0).deviceId(), rules);
    }

    private static void confirm(DeviceId d, List<FlowRule> rules) {
        awaitTrue(Duration.ofSeconds(10), () -> {
            devices.report(d);
            return rules.stream().allMatch(r -> state(r) == FlowEntryState.ADDED);
        });
    }

    private static long pushesOf(FlowRule rule) {
        return devices.pushes(rule.deviceId()).stream().filter(p -> p.flow().equals(rule.id())).count();
    }

    private static FlowEntryState state(FlowRule rule) {
        FlowEntry entry = nodes().get(0).store().getFlowEntry(rule);
        return entry == null ? null : entry.state();
    }
}
