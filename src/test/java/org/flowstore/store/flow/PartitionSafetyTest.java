package org.flowstore.store.flow;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.getCurrentArgument;
import static org.flowstore.store.flow.StoreFixture.N1;
import static org.flowstore.store.flow.StoreFixture.N2;
import static org.flowstore.store.flow.StoreFixture.N3;
import static org.flowstore.testing.Conditions.awaitTrue;
import static org.flowstore.testing.TestFlows.batch;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.serializers.protocol.VersionQuery;

/**
 * What a master may acknowledge in sync mode (backupCount 1, three members): only writes the
 * master and a standby hold, never while it reaches no majority, never once it told a newer
 * master what its copy holds; and what a deposed master tells a new one. The standbys answer
 * through the messaging mock, so each failure is played exactly.
 */
class PartitionSafetyTest {

    private static final DeviceId D1 = device(1);

    private final StoreFixture fixture = new StoreFixture();
    /** How each node answers a request: (subject, request) to reply; unscripted requests fail. */
    private final Map<NodeId, BiFunction<MessageSubject, Object, CompletableFuture<Reply>>> nodes =
            new ConcurrentHashMap<>();

    PartitionSafetyTest() {
        fixture.liveNodes.addAll(List.of(N2, N3));
        expect(fixture.comms.<Object, Object>sendAndReceive(anyObject(), anyObject(), anyObject(), anyObject(),
                anyObject(), anyObject())).andAnswer(() -> {
                    Object request = getCurrentArgument(0);
                    MessageSubject subject = getCurrentArgument(1);
                    Function<byte[], Object> decoder = getCurrentArgument(3);
                    NodeId to = getCurrentArgument(4);
                    BiFunction<MessageSubject, Object, CompletableFuture<Reply>> node = nodes.get(to);
                    CompletableFuture<Reply> reply = node == null
                            ? CompletableFuture.completedFuture(Reply.failure("not scripted: " + subject + " to " + to))
                            : node.apply(subject, request);
                    return reply.thenApply(r -> decoder.apply(fixture.serializer.encode(r)));
                }).anyTimes();
    }

    @AfterEach
    void stop() {
        fixture.store.deactivate();
    }

    @Test
    void aMasterThatReachesNoMajorityRefusesWritesWithoutApplyingThem() {
        fixture.liveNodes.clear();
        fixture.master(D1, N1, 1, N2);
        fixture.start();

        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));

        assertFailed(1, "no majority");
        assertEquals(0, fixture.store.localCopy(D1) == null ? 0 : fixture.store.localCopy(D1).count());
    }

    @Test
    void aMasterWithNoReachableStandbyRefusesWithNotEnoughReplicasWithoutApplying() {
        fixture.liveNodes.remove(N2);
        fixture.master(D1, N1, 1, N2);
        fixture.start();

        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));

        assertFailed(1, "not enough replicas");
        assertEquals(0, fixture.store.localCopy(D1) == null ? 0 : fixture.store.localCopy(D1).count());
    }

    @Test
    void aLiveStandbyThatDoesNotAnswerFailsTheWriteInsteadOfLeavingItOnTheMasterAlone() {
        fixture.master(D1, N1, 1, N2);
        standbyHoldsEverything(N2);
        fixture.start();
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));
        awaitTrue(() -> fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size() == 1);

        nodes.put(N2, (subject, request) -> CompletableFuture.failedFuture(new TimeoutException("no reply from n2")));
        fixture.store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D1, 3, 6)));

        assertFailed(2, "not enough replicas");
        assertEquals(1, fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size(),
                "an unconfirmed batch is not pushed to the device");
    }

    @Test
    void aMasterThatAnsweredANewerMasterAcknowledgesNoMoreWrites() throws Exception {
        fixture.master(D1, N1, 1, N2);
        standbyHoldsEverything(N2);
        fixture.start();
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));
        awaitTrue(() -> fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size() == 1);

        // n3 won term 2 on the other side of a partition and asks n1, whose view still says term 1.
        Reply answer = fixture.request(FlowStoreSubjects.VERSION_GET, N3, new VersionQuery(D1, 2));
        TableVersion told = (TableVersion) answer.value();
        fixture.store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D1, 3, 6)));

        assertFailed(2, "answered a new master of term 2");
        assertEquals(told, fixture.store.localCopy(D1).claimedVersion());
        assertEquals(1, fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size());
    }

    @Test
    void aDeposedMasterTellsANewMasterOnlyWhatItsStandbysConfirmed() throws Exception {
        fixture.master(D1, N1, 1, N2);
        standbyHoldsEverything(N2);
        fixture.start();
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));
        awaitTrue(() -> fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size() == 1);
        TableVersion confirmed = fixture.store.localCopy(D1).version();

        // n2 now follows a master of term 2: it refuses the next delta, which is then not applied.
        nodes.put(N2, (subject, request) -> CompletableFuture.completedFuture(
                Reply.of(BackupAck.refused(new TableVersion(2, 0), "newer term", 0, Long.MAX_VALUE))));
        fixture.store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D1, 3, 6)));
        assertFailed(2, "was not applied");
        assertTrue(fixture.store.localCopy(D1).version().compareTo(confirmed) > 0, "the refused batch is in n1's table");

        Reply answer = fixture.request(FlowStoreSubjects.VERSION_GET, N3, new VersionQuery(D1, 3));
        TableVersion told = (TableVersion) answer.value();
        assertEquals(confirmed, told, "n1 vouches only for what n2 confirmed");
    }

    @Test
    void aBatchAppliedInAnOlderTermIsNotAcknowledgedWhenTheMasterIsReElectedMeanwhile() {
        fixture.master(D1, N1, 1, N2);
        standbyHoldsEverything(N2);
        fixture.start();
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));
        awaitTrue(() -> fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size() == 1);

        // The standby answers batch 2's delta only after n1 lost term 1 and won term 3: n1's copy
        // of term 3 comes from its take-over, which need not hold a batch of term 1.
        CompletableFuture<Reply> late = new CompletableFuture<>();
        nodes.put(N2, (subject, request) -> request instanceof BackupDelta ? late
                : CompletableFuture.completedFuture(subject.equals(FlowStoreSubjects.VERSION_GET)
                        ? Reply.of(TableVersion.EMPTY) : Reply.of(BackupAck.held(TableVersion.EMPTY, 0, Long.MAX_VALUE))));
        fixture.store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D1, 3, 6)));
        fixture.master(D1, N1, 3, N2);
        late.complete(Reply.of(BackupAck.held(new TableVersion(1, 6), 0, Long.MAX_VALUE)));

        assertFailed(2, "applied the batch in term 1 and is master of term 3");
        assertEquals(1, fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size());
    }

    @Test
    void aNewMasterThatHearsFromTooFewNodesKeepsItsTableClosed() {
        fixture.liveNodes.remove(N3);
        fixture.master(D1, N1, 4, N2);
        nodes.put(N2, (subject, request) -> CompletableFuture.completedFuture(Reply.failure("store not started")));
        fixture.start();

        fixture.becameMaster(D1);
        fixture.store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 3)));

        assertFailed(1, "not yet taken over");
    }

    @Test
    void aStandbyReceivingASnapshotDoesNotAnswerADeltaAsHeldBeforeItHoldsIt() throws Exception {
        // n1 is a standby of n2. A snapshot starts coming in (its last chunk may never come: its
        // sender may die); a delta meanwhile must be refused, not queued and answered as held.
        fixture.master(D1, N2, 2, N1);
        fixture.start();
        TableVersion at = new TableVersion(2, 10);
        Reply chunk = fixture.request(FlowStoreSubjects.BACKUP_SNAPSHOT, N2,
                new SnapshotChunk(D1, 2, 77, at, 0, false, List.of(), null));
        assertTrue(((BackupAck) chunk.value()).held(), chunk.toString());

        Reply delta = fixture.request(FlowStoreSubjects.BACKUP_DELTA, N2, new BackupDelta(D1, 2, at,
                new TableVersion(2, 13), List.of(DefaultFlowEntry.pendingAdd(rules(D1, 0, 1).get(0))), List.of(),
                List.of(), null));

        assertFalse(((BackupAck) delta.value()).held(), "a delta behind an incomplete snapshot answered as held");
    }

    /** Scripts a standby that holds every delta and snapshot chunk and is at a version nobody asks about. */
    private void standbyHoldsEverything(NodeId standby) {
        nodes.put(standby, (subject, request) -> CompletableFuture.completedFuture(
                request instanceof BackupDelta delta ? Reply.of(BackupAck.held(delta.to(), 0, Long.MAX_VALUE))
                        : subject.equals(FlowStoreSubjects.VERSION_GET) ? Reply.of(TableVersion.EMPTY)
                        : Reply.of(BackupAck.held(TableVersion.EMPTY, 0, Long.MAX_VALUE))));
    }

    private void assertFailed(long batchId, String reason) {
        awaitTrue(() -> fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED).stream()
                .anyMatch(e -> e.batchId() == batchId));
        CompletedBatchOperation result = fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED).stream()
                .filter(e -> e.batchId() == batchId).findFirst().orElseThrow().result();
        assertFalse(result.success(), "batch " + batchId + " acknowledged");
        assertTrue(result.reason().contains(reason), result.reason());
    }
}
