package org.flowstore.store.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.NodeId;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.testing.SingleNodeCluster;
import org.flowstore.testing.TestFlows;

/** The Karaf shell commands over a one-node store (Karaf injects the same services into these fields). */
class ShellCommandsTest {

    private final SingleNodeCluster cluster = new SingleNodeCluster(NodeId.nodeId("k1"),
            Set.of(TestFlows.device(1), TestFlows.device(2)));
    private final DistributedFlowRuleStore store = new DistributedFlowRuleStore(cluster, cluster, cluster, cluster, cluster);
    private final ApplicationIdService apps = new ApplicationIdService() {
        @Override
        public ApplicationId registerApplication(String name) {
            return ApplicationId.of(42, name);
        }

        @Override
        public Optional<ApplicationId> getAppId(String name) {
            return Optional.of(ApplicationId.of(42, name));
        }
    };

    @BeforeEach
    void start() {
        store.activate(Map.of());
    }

    @AfterEach
    void stop() {
        store.deactivate();
    }

    @Test
    void addTestFlowsStoresThemOverTheDevicesAndFlowsCountsThem() throws Exception {
        AddTestFlowsCommand add = new AddTestFlowsCommand();
        add.count = 1001;
        add.store = store;
        add.devices = cluster;
        add.mastership = cluster;
        add.applications = apps;
        String added = run(add);
        assertTrue(added.matches("added 1001 test flows over 2 devices in \\d+ ms \\(\\d+ flows/s\\)\\n"), added);
        assertEquals(501, store.getFlowRuleCount(TestFlows.device(1)));
        assertEquals(500, store.getFlowRuleCount(TestFlows.device(2)));

        FlowsCommand flows = new FlowsCommand();
        flows.countOnly = true;
        flows.store = store;
        flows.devices = cluster;
        assertEquals(List.of("deviceId=of:0000000000000001, flowRuleCount=501",
                "deviceId=of:0000000000000002, flowRuleCount=500"), run(flows).lines().toList());
        flows.countOnly = false;
        flows.deviceId = "of:0000000000000002";
        List<String> listed = run(flows).lines().toList();
        assertEquals(501, listed.size());
        assertTrue(listed.get(1).contains("state=PENDING_ADD") && listed.get(1).contains("appId=org.flowstore.test"),
                listed.get(1));
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
