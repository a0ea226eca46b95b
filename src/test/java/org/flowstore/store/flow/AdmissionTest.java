package org.flowstore.store.flow;

import static org.flowstore.store.flow.StoreFixture.N1;
import static org.flowstore.store.flow.StoreFixture.N2;
import static org.flowstore.testing.Conditions.awaitTrue;
import static org.flowstore.testing.TestFlows.batch;
import static org.flowstore.testing.TestFlows.batchRules;
import static org.flowstore.testing.TestFlows.device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.testing.InMemoryCluster;
import org.flowstore.testing.TestCluster;

/**
 * Admission of a node's batches to a busy master, over the in-memory cluster: the master (n1) takes
 * requests but serves them only when the test releases them, as a master with a long queue would.
 */
class AdmissionTest {

    private static final DeviceId D1 = device(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void batchesPastTheMastersWindowWaitAndGoInOrderPastTheBoundTheyFailAsOverloaded() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.start(2, List.of(D1),
                Map.of(StoreConfig.MAX_FLOWS_IN_FLIGHT_PER_MASTER, 10, StoreConfig.MAX_WAITING_FLOWS, 20))) {
            TestCluster.Node master = cluster.node(N1);
            TestCluster.Node issuer = cluster.node(N2);
            cluster.bus().hold(N1, FlowStoreSubjects.BATCH_APPLY);
            for (long id = 1; id <= 5; id++) {
                issuer.store().storeBatch(batch(id, FlowRuleOperation.ADD, batchRules(D1, id, 10)));
            }

            // The first batch fills n1's window; two wait for it (20 flows, the bound); two more fail at once.
            awaitTrue(WAIT, () -> completed(issuer).size() == 2);
            assertEquals(1, cluster.bus().held(N1, FlowStoreSubjects.BATCH_APPLY));
            for (FlowRuleBatchEvent refused : completed(issuer)) {
                CompletedBatchOperation result = refused.result();
                assertEquals(CompletedBatchOperation.Failure.OVERLOADED, result.failure());
                assertEquals(10, result.failedItems().size());
                assertTrue(result.reason().contains("node n2 has 20 flows waiting")
                        && result.reason().contains("maxWaitingFlows=20"), result.reason());
            }
            assertEquals(List.of(4L, 5L), completed(issuer).stream().map(FlowRuleBatchEvent::batchId).toList());

            // As the master answers, the waiting batches go, one at a time, in the order they were issued.
            cluster.bus().release(N1, FlowStoreSubjects.BATCH_APPLY);
            awaitTrue(WAIT, () -> completed(issuer).size() == 5);
            completed(issuer).stream().filter(e -> e.batchId() <= 3)
                    .forEach(e -> assertTrue(e.result().success(), e.result().reason()));
            assertEquals(List.of(1L, 2L, 3L), master.events().stream()
                    .filter(e -> e.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED)
                    .map(FlowRuleBatchEvent::batchId).toList());
            assertEquals(30, master.store().getFlowRuleCount(D1));
        }
    }

    private static List<FlowRuleBatchEvent> completed(TestCluster.Node node) {
        return node.events().stream().filter(e -> e.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED)
                .toList();
    }
}
