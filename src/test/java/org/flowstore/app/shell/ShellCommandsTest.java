package org.flowstore.app.shell;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.karaf.shell.api.action.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.app.manager.FlowRuleManager;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.testing.SharedDevices;
import org.flowstore.testing.SingleNodeCluster;
import org.flowstore.testing.TestFlows;

/**
 * The Karaf shell commands over a one-node store and its flow-rule manager, with devices that
 * acknowledge at once (Karaf injects the same services into these fields).
 */
class ShellCommandsTest {

    private final SharedDevices switches = new SharedDevices("of");
    private final DeviceId first = switches.device(1);
    private final DeviceId second = switches.device(2);
    private final SingleNodeCluster cluster = new SingleNodeCluster(NodeId.nodeId("k1"), Set.of(first, second));
    private final DistributedFlowRuleStore store = new DistributedFlowRuleStore(cluster, cluster, cluster, cluster, cluster);
    private final FlowRuleManager manager = new FlowRuleManager(store, cluster, cluster, cluster, cluster);
    private final ApplicationIdService apps = new ApplicationIdService() {
        private final Map<String, ApplicationId> registered = new ConcurrentHashMap<>();

        @Override
        public ApplicationId registerApplication(String name) {
            return registered.computeIfAbsent(name, n -> ApplicationId.of(42, n));
        }

        @Override
        public Optional<ApplicationId> getAppId(String name) {
            return Optional.ofNullable(registered.get(name));
        }
    };

    @BeforeEach
    void start() {
        store.activate(Map.of());
        manager.activate(Map.of());
        manager.bindProvider(switches.provider(cluster.getLocalNode(), manager));
    }

    @AfterEach
    void stop() {
        manager.deactivate();
        store.deactivate();
    }

    @Test
    void addFlowsAppliesThemThroughTheManagerAndFlowsCountsAndListsThem() throws Exception {
        String added = run(addFlows(1001));
        assertTrue(added.matches("added 1001 flows over 2 devices in \\d+ ms \\(\\d+ flows/s\\)\\n"), added);
        assertEquals(501, switches.flows(first).size(), "pushed to the devices");
        assertEquals(500, switches.flows(second).size());

        FlowsCommand flows = new FlowsCommand();
        flows.countOnly = true;
        flows.flows = manager;
        flows.devices = cluster;
        assertEquals(List.of("deviceId=of:0000000000000001, flowRuleCount=501",
                "deviceId=of:0000000000000002, flowRuleCount=500"), run(flows).lines().toList());

        switches.report(second);
        awaitTrue(Duration.ofSeconds(10), () -> manager.getFlowEntries(second).stream()
                .allMatch(e -> e.state() == FlowEntryState.ADDED));
        flows.countOnly = false;
        flows.deviceId = second.uri();
        List<String> listed = run(flows).lines().toList();
        assertEquals(501, listed.size());
        assertTrue(listed.get(1).contains("state=ADDED") && listed.get(1).contains("appId=" + AddFlowsCommand.APP),
                listed.get(1));
    }

    @Test
    void removeFlowsRemovesWhatAddFlowsAddedAndOnlyThat() throws Exception {
        run(addFlows(10));
        ApplicationId other = apps.registerApplication("org.other");
        manager.applyFlowRules(List.of(TestFlows.rule(first, 7, other, TestFlows.output(1)))).get();

        RemoveFlowsCommand remove = new RemoveFlowsCommand();
        remove.flows = manager;
        remove.applications = apps;
        String removed = run(remove);
        assertTrue(removed.matches("removed 10 flows of " + AddFlowsCommand.APP + " in \\d+ ms\\n"), removed);
        assertEquals(1, switches.flows(first).size() + switches.flows(second).size(), "the other application's flow stays");

        remove.application = "org.unknown";
        assertEquals("no application org.unknown\n", run(remove));
    }

    @Test
    void mastersAndNodesDescribeTheCluster() throws Exception {
        MastersCommand masters = new MastersCommand();
        masters.mastership = cluster;
        masters.devices = cluster;
        assertEquals(List.of("of:0000000000000001: master=k1, term=1, backups=[]",
                "of:0000000000000002: master=k1, term=1, backups=[]"), run(masters).lines().toList());
        NodesCommand nodes = new NodesCommand();
        nodes.cluster = cluster;
        assertEquals(List.of("id=k1, state=ACTIVE *"), run(nodes).lines().toList());
    }

    private AddFlowsCommand addFlows(int count) {
        AddFlowsCommand add = new AddFlowsCommand();
        add.count = count;
        add.flows = manager;
        add.devices = cluster;
        add.mastership = cluster;
        add.applications = apps;
        return add;
    }

    private static String run(Action command) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
