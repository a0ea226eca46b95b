package org.flowstore.store.flow;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.eq;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.getCurrentArgument;
import static org.easymock.EasyMock.verify;
import static org.flowstore.api.flow.FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED;
import static org.flowstore.api.flow.FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED;
import static org.flowstore.store.flow.StoreFixture.N1;
import static org.flowstore.store.flow.StoreFixture.N2;
import static org.flowstore.testing.Conditions.awaitTrue;
import static org.flowstore.testing.TestFlows.batch;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.rule;
import static org.flowstore.testing.TestFlows.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.easymock.IAnswer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.serializers.protocol.CountQuery;
import org.flowstore.serializers.protocol.BatchCompletion;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.ValueList;

/**
 * The store on a node that is not the device's master: calls go to the master (n2) over the
 * messaging SPI, through the real wire format; and the same store serving requests from n2 for
 * devices it masters.
 */
class RemoteMasterStoreTest {

    private static final DeviceId D1 = device(1);

    private final StoreFixture fixture = new StoreFixture();

    @AfterEach
    void tearDown() {
        fixture.store.deactivate();
        verify(fixture.comms);
    }

    @Test
    void readsAreAnsweredByTheMaster() {
        FlowEntry remote = DefaultFlowEntry.pendingAdd(rule(D1, 1));
        expectRequest(FlowStoreSubjects.ENTRIES_GET, request -> Reply.of(new ValueList(List.of(remote))));
        expectRequest(FlowStoreSubjects.COUNT_GET, request -> Reply.of(((CountQuery) request).state() == null ? 9 : 4));
        expectRequest(FlowStoreSubjects.ENTRY_GET, request -> Reply.of(remote));
        fixture.master(D1, N2, 4, N1);
        fixture.start();

        assertEquals(List.of(remote), fixture.store.getFlowEntries(D1));
        assertEquals(9, fixture.store.getFlowRuleCount(D1));
        assertEquals(4, fixture.store.getFlowRuleCount(D1, org.flowstore.api.flow.FlowEntryState.ADDED));
        assertEquals(remote, fixture.store.getFlowEntry(rule(D1, 1)));
    }

    @Test
    void entryUpdatesGoToTheMaster() {
        FlowEntry reported = DefaultFlowEntry.pendingAdd(rule(D1, 1));
        expectRequest(FlowStoreSubjects.ENTRY_REPORT,
                request -> Reply.of(new FlowRuleEvent(FlowRuleEvent.Type.RULE_ADDED, (FlowEntry) request)));
        fixture.master(D1, N2, 4);
        fixture.start();
        FlowRuleEvent event = fixture.store.addOrUpdateFlowRule(reported).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_ADDED, event.type());
        assertEquals(reported, event.subject());
    }

    @Test
    void aMasterThatDoesNotAnswerIsATimeoutNotAnEmptyAnswer() {
        expect(fixture.comms.<Object, Object>sendAndReceive(anyObject(), eq(FlowStoreSubjects.ENTRIES_GET),
                anyObject(), anyObject(), eq(N2), anyObject()))
                .andReturn(CompletableFuture.failedFuture(new TimeoutException("no reply")));
        expect(fixture.comms.<Object, Object>sendAndReceive(anyObject(), eq(FlowStoreSubjects.COUNT_GET),
                anyObject(), anyObject(), eq(N2), anyObject()))
                .andReturn(new CompletableFuture<>());
        fixture.master(D1, N2, 4);
        fixture.start();

        FlowRuleStoreException.Timeout failed = assertThrows(FlowRuleStoreException.Timeout.class,
                () -> fixture.store.getFlowEntries(D1));
        assertEquals(D1, failed.deviceId());
        assertTrue(failed.getMessage().contains("n2"), failed.getMessage());
        assertThrows(FlowRuleStoreException.Timeout.class, () -> fixture.store.getFlowRuleCount(D1));
    }

    @Test
    void aRefusalFromTheMasterSaysWhy() {
        expectRequest(FlowStoreSubjects.ENTRY_GET, request -> Reply.failure("n2 is not the master of " + D1));
        fixture.master(D1, N2, 4);
        fixture.start();
        FlowRuleStoreException.RemoteFailure failed = assertThrows(FlowRuleStoreException.RemoteFailure.class,
                () -> fixture.store.getFlowEntry(rule(D1, 1)));
        assertTrue(failed.getMessage().contains("is not the master"), failed.getMessage());
    }

    @Test
    void aForwardedBatchCompletesOnTheIssuerOnceWhenTheMasterDeliversIt() throws Exception {
        AtomicReference<FlowRuleBatchOperation> atMaster = new AtomicReference<>();
        expectRequest(FlowStoreSubjects.BATCH_APPLY, request -> {
            atMaster.set((FlowRuleBatchOperation) request);
            return Reply.of(null);
        });
        fixture.master(D1, N2, 4);
        fixture.start();

        FlowRuleBatchOperation batch = batch(21, FlowRuleOperation.ADD, rules(D1, 0, 3));
        fixture.store.storeBatch(batch);
        awaitTrue(() -> atMaster.get() != null);
        assertEquals(batch.operations(), atMaster.get().operations());
        assertTrue(fixture.events.isEmpty(), "nothing happens on the issuer until the device is done");

        // The master sends the outcome only; the issuer's event holds the batch it kept.
        BatchCompletion done = new BatchCompletion(21, CompletedBatchOperation.succeeded(D1));
        fixture.deliver(FlowStoreSubjects.BATCH_COMPLETED_DELIVER, N2, done);
        fixture.deliver(FlowStoreSubjects.BATCH_COMPLETED_DELIVER, N2, done);
        assertEquals(List.of(FlowRuleBatchEvent.completed(new FlowRuleBatchRequest(21, batch.operations()),
                CompletedBatchOperation.succeeded(D1))), fixture.events(BATCH_OPERATION_COMPLETED));
    }

    @Test
    void aBatchTheMasterRefusesFailsWholeWithItsReason() {
        expectRequest(FlowStoreSubjects.BATCH_APPLY, request -> Reply.failure("n2 is not the master of " + D1));
        fixture.master(D1, N2, 4);
        fixture.start();

        fixture.store.storeBatch(batch(22, FlowRuleOperation.ADD, rules(D1, 0, 2)));
        awaitTrue(() -> !fixture.events.isEmpty());
        CompletedBatchOperation result = fixture.events(BATCH_OPERATION_COMPLETED).get(0).result();
        assertFalse(result.success());
        assertEquals(2, result.failedItems().size());
        assertTrue(result.reason().contains("is not the master"), result.reason());
    }

    @Test
    void aBatchWhoseForwardFailsFailsWholeAndALateCompletionIsDropped() {
        expect(fixture.comms.<Object, Object>sendAndReceive(anyObject(), eq(FlowStoreSubjects.BATCH_APPLY),
                anyObject(), anyObject(), eq(N2), anyObject()))
                .andReturn(CompletableFuture.failedFuture(new TimeoutException("no reply from n2")));
        fixture.master(D1, N2, 4);
        fixture.start();

        FlowRuleBatchOperation batch = batch(23, FlowRuleOperation.ADD, rules(D1, 0, 2));
        fixture.store.storeBatch(batch);
        awaitTrue(() -> !fixture.events.isEmpty());
        CompletedBatchOperation result = fixture.events.get(0).result();
        assertFalse(result.success());
        assertTrue(result.reason().contains("may or may not have been applied"), result.reason());

        fixture.deliver(FlowStoreSubjects.BATCH_COMPLETED_DELIVER, N2,
                new BatchCompletion(23, CompletedBatchOperation.succeeded(D1)));
        assertEquals(1, fixture.events.size());
    }

    @Test
    void aCompletionReportedHereGoesToTheMaster() {
        AtomicReference<Object> atMaster = new AtomicReference<>();
        expectRequest(FlowStoreSubjects.BATCH_COMPLETE, request -> {
            atMaster.set(request);
            return Reply.of(null);
        });
        fixture.master(D1, N2, 4);
        fixture.start();
        FlowRuleBatchEvent done = FlowRuleBatchEvent.completed(new FlowRuleBatchRequest(3, List.of()),
                CompletedBatchOperation.succeeded(D1));
        fixture.store.batchOperationComplete(done);
        awaitTrue(() -> atMaster.get() != null);
        assertEquals(done, atMaster.get());
    }

    @Test
    void asMasterItServesABatchFromAnotherNodeAndSendsTheCompletionBack() throws Exception {
        AtomicReference<Object> delivered = new AtomicReference<>();
        expect(fixture.comms.unicast(anyObject(), eq(FlowStoreSubjects.BATCH_COMPLETED_DELIVER), anyObject(), eq(N2)))
                .andAnswer(() -> {
                    Function<Object, byte[]> encoder = getCurrentArgument(2);
                    delivered.set(fixture.serializer.decode(encoder.apply(getCurrentArgument(0))));
                    return CompletableFuture.completedFuture(null);
                });
        fixture.master(D1, N1, 2);
        fixture.start(StoreFixture.NO_COPIES);

        FlowRuleBatchOperation batch = batch(31, FlowRuleOperation.ADD, rules(D1, 0, 4));
        Reply reply = fixture.request(FlowStoreSubjects.BATCH_APPLY, N2, batch);
        assertTrue(reply.ok(), reply.error());
        assertEquals(4, fixture.store.getFlowRuleCount(D1));
        FlowRuleBatchEvent requested = fixture.events(BATCH_OPERATION_REQUESTED).get(0);

        FlowRuleBatchEvent done = FlowRuleBatchEvent.completed(requested.subject(), CompletedBatchOperation.succeeded(D1));
        fixture.store.batchOperationComplete(done);
        assertEquals(new BatchCompletion(31, CompletedBatchOperation.succeeded(D1)), delivered.get(),
                "the outcome goes back, not the batch's rules: n2 kept them");
        assertTrue(fixture.events(BATCH_OPERATION_COMPLETED).isEmpty(), "the completion belongs to n2");
    }

    @Test
    void asMasterItAnswersReadsAndRefusesDevicesItDoesNotMaster() throws Exception {
        fixture.master(D1, N1, 2);
        fixture.master(device(2), N2, 2);
        fixture.start(StoreFixture.NO_COPIES);
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 5)));

        Reply entries = fixture.request(FlowStoreSubjects.ENTRIES_GET, N2, D1);
        assertEquals(5, ((ValueList) entries.value()).values().size());
        Reply count = fixture.request(FlowStoreSubjects.COUNT_GET, N2, new CountQuery(D1, null));
        assertEquals(5, count.value());
        Reply refused = fixture.request(FlowStoreSubjects.ENTRIES_GET, N2, device(2));
        assertFalse(refused.ok());
        assertTrue(refused.error().contains("n1 is not the master of " + device(2)), refused.error());
    }

    @Test
    void anUnexpectedMessageTypeIsRefusedWhenDecoded() {
        fixture.master(D1, N1, 2);
        fixture.start();
        assertThrows(org.flowstore.serializers.WireFormatException.class,
                () -> fixture.request(FlowStoreSubjects.ENTRIES_GET, N2, "not a device id"));
    }

    /** Expects one request on a subject to n2, answered by a function of the request as n2 decodes it. */
    private void expectRequest(MessageSubject subject, Function<Object, Reply> master) {
        IAnswer<CompletableFuture<Object>> answer = () -> {
            Function<Object, byte[]> encoder = getCurrentArgument(2);
            Function<byte[], Object> decoder = getCurrentArgument(3);
            Duration timeout = getCurrentArgument(5);
            assertTrue(timeout.toMillis() > 0);
            Object onWire = fixture.serializer.decode(encoder.apply(getCurrentArgument(0)));
            return CompletableFuture.completedFuture(decoder.apply(fixture.serializer.encode(master.apply(onWire))));
        };
        expect(fixture.comms.<Object, Object>sendAndReceive(anyObject(), eq(subject), anyObject(), anyObject(), eq(N2),
                anyObject())).andAnswer(answer).atLeastOnce();
    }
}
