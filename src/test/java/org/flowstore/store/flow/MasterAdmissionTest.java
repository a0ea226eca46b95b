package org.flowstore.store.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.flowstore.api.NodeId;
import org.flowstore.store.flow.MasterAdmission.Outcome;

class MasterAdmissionTest {

    private static final NodeId N1 = NodeId.nodeId("n1");
    private static final NodeId N2 = NodeId.nodeId("n2");

    private final AtomicInteger window = new AtomicInteger(100);
    private final MasterAdmission<String> admission = new MasterAdmission<>(window::get, () -> 150);

    @Test
    void batchesPastTheWindowWaitInOrderAndGoAsAnswersMakeRoom() {
        assertEquals(Outcome.ADMITTED, admission.offer(N1, 60, "a"));
        assertEquals(Outcome.ADMITTED, admission.offer(N1, 40, "b"));
        assertEquals(Outcome.WAITING, admission.offer(N1, 10, "c"));
        // Nothing overtakes a waiting batch, even one that would fit.
        window.set(1000);
        assertEquals(Outcome.WAITING, admission.offer(N1, 1, "d"));
        window.set(100);
        assertEquals(11, admission.waitingFlows());
        assertEquals(List.of("c", "d"), admission.release(N1, 60));
        assertEquals(51, admission.inFlight(N1));
        assertEquals(0, admission.waitingFlows());
    }

    @Test
    void eachMasterHasItsOwnWindow() {
        assertEquals(Outcome.ADMITTED, admission.offer(N1, 100, "a"));
        assertEquals(Outcome.WAITING, admission.offer(N1, 1, "b"));
        assertEquals(Outcome.ADMITTED, admission.offer(N2, 100, "c"));
        assertEquals(List.of(), admission.release(N2, 100));
        assertEquals(List.of("b"), admission.release(N1, 100));
    }

    @Test
    void aBatchLargerThanTheWindowGoesAlone() {
        assertEquals(Outcome.ADMITTED, admission.offer(N1, 250, "big"));
        assertEquals(Outcome.WAITING, admission.offer(N1, 1, "small"));
        assertEquals(Outcome.WAITING, admission.offer(N1, 120, "big2"));
        assertEquals(List.of("small"), admission.release(N1, 250));
        assertEquals(List.of("big2"), admission.release(N1, 1));
        assertEquals(120, admission.inFlight(N1));
    }

    @Test
    void pastTheWaitingBoundABatchIsRefusedAndLosesNoOtherOnesPlace() {
        assertEquals(Outcome.ADMITTED, admission.offer(N1, 100, "a"));
        assertEquals(Outcome.WAITING, admission.offer(N1, 100, "b"));
        assertEquals(Outcome.REFUSED, admission.offer(N1, 51, "c"));
        assertEquals(Outcome.WAITING, admission.offer(N1, 50, "d"));
        assertEquals(Outcome.REFUSED, admission.offer(N1, 1, "e"));
        assertEquals(150, admission.waitingFlows());
        assertEquals(List.of("b"), admission.release(N1, 100));
        assertEquals(List.of("d"), admission.release(N1, 100));
    }

    @Test
    void batchesThatWaitedTooLongExpireOldestFirstWithTheirMaster() throws InterruptedException {
        admission.offer(N1, 100, "a");
        admission.offer(N1, 10, "old");
        Thread.sleep(20);
        admission.offer(N1, 10, "new");
        List<String> expired = new ArrayList<>();
        admission.expire(10_000_000L, (master, batch) -> expired.add(master + ":" + batch));
        assertEquals(List.of("n1:old"), expired);
        assertEquals(10, admission.waitingFlows());
        admission.expire(-1, (master, batch) -> expired.add(master + ":" + batch));
        assertEquals(List.of("n1:old", "n1:new"), expired);
        assertEquals(0, admission.waitingFlows());
        assertEquals(List.of(), admission.release(N1, 100));
        assertEquals(0, admission.inFlight(N1));
    }
}
