package org.flowstore.store.flow;

import java.util.List;
import java.util.Map;

import org.flowstore.api.DeviceId;
import org.flowstore.testing.InMemoryCluster;
import org.flowstore.testing.TestCluster;

/** The cluster scenarios on in-memory cluster services: every build, in seconds. */
class InMemoryClusterScenariosTest extends ClusterScenarios {

    @Override
    TestCluster startCluster(int size, List<DeviceId> devices, Map<String, Object> storeProperties) {
        return InMemoryCluster.start(size, devices, storeProperties);
    }
}
