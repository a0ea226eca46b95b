package org.flowstore.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.flowstore.app.FlowNode;

/** A node's properties, as {@code flowstore node} reads them from a file and {@code -P}. */
class NodeSettingsTest {

    private static Map<String, String> cluster() {
        Map<String, String> p = new HashMap<>();
        p.put("nodeId", "n1");
        p.put("members", "n1@127.0.0.1:9876,n2@127.0.0.1:9877");
        return p;
    }

    @Test
    void eachPropertyGoesToThePartThatTakesIt() {
        Map<String, String> p = cluster();
        p.put("maxFlowsInFlightPerMaster", "500");
        p.put("backupMode", "async");
        p.put("statsPeriod", "250");
        FlowNode.Settings settings = NodeCommand.settings(p);
        assertEquals(Map.of("maxFlowsInFlightPerMaster", "500", "backupMode", "async"), settings.storeProperties());
        assertEquals("n1", settings.cluster().localNode().id());
    }

    @Test
    void anUnknownOrInvalidPropertyIsRefusedByName() {
        Map<String, String> p = cluster();
        p.put("maxFlowsInFlightPerMastr", "500");
        p.put("maxWaitingFlows", "-3");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> NodeCommand.settings(p));
        assertTrue(refused.getMessage().contains("unknown property 'maxFlowsInFlightPerMastr'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("maxWaitingFlows='-3' refused"), refused.getMessage());
    }
}
