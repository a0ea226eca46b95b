package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;

/** A node's cluster configuration as component properties: defaults, every setting, and refusals that name the property. */
class ClusterSettingsTest {

    private static final String MEMBERS = "n1@127.0.0.1:9876, n2@127.0.0.1:9877,n3@localhost:9878";

    @Test
    void requiredPropertiesAloneGiveTheDefaults() {
        ClusterSettings s = ClusterSettings.fromProperties(Map.of("nodeId", "n2", "members", MEMBERS));
        assertEquals(NodeId.nodeId("n2"), s.localNode());
        assertEquals(3, s.members().size());
        assertEquals(new ClusterMember(NodeId.nodeId("n3"), "localhost", 9878), s.members().get(2));
        assertEquals(Path.of("data", "flowstore", "n2"), s.dataDirectory());
        assertEquals(ClusterSettings.DEFAULT_PROBE_INTERVAL, s.probeInterval());
        assertEquals(ClusterSettings.DEFAULT_PROBE_TIMEOUT, s.probeTimeout());
        assertEquals(ClusterSettings.DEFAULT_SUSPECT_PROBES, s.suspectProbes());
        assertEquals(ClusterSettings.DEFAULT_FAILURE_TIMEOUT, s.failureTimeout());
        assertEquals(ClusterSettings.DEFAULT_START_TIMEOUT, s.startTimeout());
    }

    @Test
    void everySettingIsReadFromStringsOrNumbers() {
        ClusterSettings s = ClusterSettings.fromProperties(Map.of("nodeId", "n1", "members", new String[] {
            "n1@127.0.0.1:9876", "n2@127.0.0.1:9877"}, "dataDirectory", "/var/lib/fs", "probeInterval", "250",
                "probeTimeout", 400, "suspectProbes", 2, "failureTimeout", 2000L, "startTimeout", " 30000 "));
        assertEquals(2, s.members().size());
        assertEquals(Path.of("/var/lib/fs"), s.dataDirectory());
        assertEquals(Duration.ofMillis(250), s.probeInterval());
        assertEquals(Duration.ofMillis(400), s.probeTimeout());
        assertEquals(2, s.suspectProbes());
        assertEquals(Duration.ofSeconds(2), s.failureTimeout());
        assertEquals(Duration.ofSeconds(30), s.startTimeout());
    }

    @Test
    void missingOrInvalidValuesAreRefusedNamingTheProperty() {
        assertRefused(Map.of("members", MEMBERS), "nodeId");
        assertRefused(Map.of("nodeId", "n1"), "members");
        assertRefused(Map.of("nodeId", "n9", "members", MEMBERS), "n9");
        assertRefused(Map.of("nodeId", "n1", "members", "n1@127.0.0.1"), "id@host:port");
        assertRefused(Map.of("nodeId", "n1", "members", "n1@h:1,n1@h:2"), "twice");
        assertRefused(with("probeInterval", "fast"), "probeInterval");
        assertRefused(with("probeInterval", 5), "probeInterval");
        assertRefused(with("probeTimeout", 0), "probeTimeout");
        assertRefused(with("suspectProbes", 0), "suspectProbes");
        assertRefused(with("failureTimeout", "50"), "failureTimeout");
        assertRefused(with("startTimeout", -1), "startTimeout");
    }

    private static Map<String, Object> with(String name, Object value) {
        Map<String, Object> p = new HashMap<>(Map.of("nodeId", "n1", "members", MEMBERS));
        p.put(name, value);
        return p;
    }

    private static void assertRefused(Map<String, ?> properties, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterSettings.fromProperties(properties));
        assertTrue(e.getMessage().contains(named), e.getMessage() + " should name " + named);
    }
}
