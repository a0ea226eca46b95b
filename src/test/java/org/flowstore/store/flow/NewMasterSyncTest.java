package org.flowstore.store.flow;

import static org.easymock.EasyMock.anyObject;
import static org.easymock.EasyMock.expect;
import static org.easymock.EasyMock.getCurrentArgument;
import static org.flowstore.store.flow.StoreFixture.N1;
import static org.flowstore.store.flow.StoreFixture.N2;
import static org.flowstore.store.flow.StoreFixture.N3;
import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * Which copy a node takes when it becomes a device's master: the most advanced one among its
 * standbys and every other live node, since the election may have dropped the node that holds
 * it (evicted while slow, or restarted). The other nodes answer through the messaging mock.
 */
class NewMasterSyncTest {

    private static final DeviceId D1 = DeviceId.deviceId("of:0000000000000001");

    private final StoreFixture fixture = new StoreFixture();
    /** What the store asked of whom: "subject->node". */
    private final List<String> sent = new CopyOnWriteArrayList<>();
    /** The answer of each (subject, node); anything else is refused. */
    private final Map<String, Reply> answers = new ConcurrentHashMap<>();

    NewMasterSyncTest() {
        expect(fixture.comms.<Object, Object>sendAndReceive(anyObject(), anyObject(), anyObject(), anyObject(),
                anyObject(), anyObject())).andAnswer(() -> {
                    MessageSubject subject = getCurrentArgument(1);
                    Function<byte[], Object> decoder = getCurrentArgument(3);
                    NodeId to = getCurrentArgument(4);
                    String key = subject.value() + "->" + to.id();
                    sent.add(key);
                    Reply reply = answers.getOrDefault(key, Reply.failure("not scripted: " + key));
                    return CompletableFuture.completedFuture(decoder.apply(fixture.serializer.encode(reply)));
                }).anyTimes();
    }

    @AfterEach
    void stop() {
        fixture.store.deactivate();
    }

    @Test
    void aNewMasterTakesTheCopyOfALiveNodeOutsideTheElectionWhenItIsTheMostAdvanced() {
        // n1 becomes master in term 3 with n3 its only standby; n2 is up but out of the election,
        // and its copy took the last writes of term 2.
        fixture.liveNodes.addAll(List.of(N2, N3));
        fixture.master(D1, N1, 3, N3);
        answers.put(key(FlowStoreSubjects.VERSION_GET, N3), Reply.of(new TableVersion(2, 5)));
        answers.put(key(FlowStoreSubjects.VERSION_GET, N2), Reply.of(new TableVersion(2, 9)));
        answers.put(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N2), Reply.of(new TableVersion(2, 9)));
        fixture.start();

        fixture.becameMaster(D1);
        awaitTakenOver(3);
        assertTrue(sent.contains(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N2)), sent.toString());
        assertFalse(sent.contains(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N3)), sent.toString());
    }

    @Test
    void aNodeThatIsDownIsNotAskedAndAStandbyBehindIsNotCopied() {
        fixture.liveNodes.add(N3);
        fixture.master(D1, N1, 3, N3);
        answers.put(key(FlowStoreSubjects.VERSION_GET, N3), Reply.of(TableVersion.EMPTY));
        fixture.start();

        fixture.becameMaster(D1);
        awaitTakenOver(3);
        assertTrue(sent.contains(key(FlowStoreSubjects.VERSION_GET, N3)), sent.toString());
        assertFalse(sent.contains(key(FlowStoreSubjects.VERSION_GET, N2)), sent.toString());
        assertTrue(sent.stream().noneMatch(s -> s.startsWith(FlowStoreSubjects.SNAPSHOT_REQUEST.value())), sent.toString());
    }

    @Test
    void aNewMasterNeverSettlesForALessAdvancedCopyWhenTheMostAdvancedOneCannotBeFetched() {
        // n2 holds the most advanced copy but does not send it; n3's copy is behind it. Taking
        // n3's would lose what only n2 (and the old master) hold: the take-over must fail instead.
        fixture.liveNodes.addAll(List.of(N2, N3));
        fixture.master(D1, N1, 3, N3, N2);
        answers.put(key(FlowStoreSubjects.VERSION_GET, N2), Reply.of(new TableVersion(2, 9)));
        answers.put(key(FlowStoreSubjects.VERSION_GET, N3), Reply.of(new TableVersion(2, 5)));
        answers.put(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N2), Reply.failure("snapshot lost"));
        answers.put(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N3), Reply.of(new TableVersion(2, 5)));
        fixture.start();

        fixture.becameMaster(D1);
        awaitTrue(() -> sent.contains(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N2)));
        awaitTrue(() -> sent.stream().filter(k -> k.equals(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N2))).count() >= 2);
        assertFalse(sent.contains(key(FlowStoreSubjects.SNAPSHOT_REQUEST, N3)), sent.toString());
    }

    /** Waits until the take-over is over (the table is open in the term): every question it asks was asked. */
    private void awaitTakenOver(long term) {
        awaitTrue(() -> fixture.store.localCopy(D1) != null && fixture.store.localCopy(D1).activeTerm() == term);
    }

    private static String key(MessageSubject subject, NodeId node) {
        return subject.value() + "->" + node.id();
    }
}
