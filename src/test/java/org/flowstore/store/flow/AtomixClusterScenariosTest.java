package org.flowstore.store.flow;

import java.util.List;
import java.util.Map;

import org.flowstore.api.DeviceId;
import org.flowstore.testing.AtomixTestCluster;
import org.flowstore.testing.TestCluster;

/** The cluster scenarios on real Atomix nodes on 127.0.0.1, in this JVM. */
class AtomixClusterScenariosTest extends ClusterScenarios {

    @Override
    TestCluster startCluster(int size, List<DeviceId> devices, Map<String, Object> storeProperties) throws Exception {
        return AtomixTestCluster.start(size, devices, storeProperties);
    }
}
