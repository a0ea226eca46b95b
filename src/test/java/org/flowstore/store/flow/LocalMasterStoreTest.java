package org.flowstore.store.flow;

import static org.flowstore.api.flow.FlowEntryState.ADDED;
import static org.flowstore.api.flow.FlowEntryState.FAILED;
import static org.flowstore.api.flow.FlowEntryState.PENDING_ADD;
import static org.flowstore.api.flow.FlowEntryState.PENDING_REMOVE;
import static org.flowstore.api.flow.FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED;
import static org.flowstore.api.flow.FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED;
import static org.flowstore.store.flow.StoreFixture.N1;
import static org.flowstore.testing.TestFlows.APP;
import static org.flowstore.testing.TestFlows.OTHER_APP;
import static org.flowstore.testing.TestFlows.batch;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.output;
import static org.flowstore.testing.TestFlows.rule;
import static org.flowstore.testing.TestFlows.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreDelegate;

/** Every store behaviour on the device's master (this node). */
class LocalMasterStoreTest {

    private static final DeviceId D1 = device(1);
    private static final DeviceId D2 = device(2);

    private StoreFixture fixture;
    private FlowRuleStore store;

    @BeforeEach
    void setUp() {
        fixture = new StoreFixture();
        fixture.master(D1, N1, 3);
        fixture.master(D2, N1, 1);
        // A one-member cluster: the master has no standby, and no copy is required.
        fixture.members.retainAll(Set.of(N1));
        store = fixture.start().store;
    }

    @AfterEach
    void tearDown() {
        fixture.store.deactivate();
    }

    @Test
    void addStoresPendingAddAndRequestsThePushWithTheOperations() {
        FlowRuleBatchOperation add = batch(11, FlowRuleOperation.ADD, rules(D1, 0, 3));
        store.storeBatch(add);

        assertEquals(3, store.getFlowRuleCount(D1));
        assertEquals(3, store.getFlowRuleCount(D1, PENDING_ADD));
        store.getFlowEntries(D1).forEach(e -> assertEquals(PENDING_ADD, e.state()));
        FlowRuleBatchEvent requested = single(BATCH_OPERATION_REQUESTED);
        assertEquals(11, requested.batchId());
        assertEquals(D1, requested.deviceId());
        assertEquals(add.operations(), requested.subject().ops());
        assertTrue(fixture.events(BATCH_OPERATION_COMPLETED).isEmpty());
    }

    @Test
    void addOfAnEqualRuleReplacesItAndResetsCounters() {
        store.storeFlowRule(rule(D1, 1, APP, output(1)));
        store.addOrUpdateFlowRule(DefaultFlowEntry.copyOf(DefaultFlowEntry.pendingAdd(rule(D1, 1))).packets(9).build());

        DefaultFlowRule replacement = rule(D1, 1, OTHER_APP, output(2));
        store.storeFlowRule(replacement);

        assertEquals(1, store.getFlowRuleCount(D1));
        FlowEntry entry = store.getFlowEntry(rule(D1, 1));
        assertTrue(entry.rule().exactMatch(replacement));
        assertEquals(PENDING_ADD, entry.state());
        assertEquals(0, entry.packets());
        assertEquals(0, store.getFlowRuleCount(D1, ADDED));
    }

    @Test
    void modifyReplacesTheTreatmentKeepingStateAndCounters() {
        store.storeFlowRule(rule(D1, 1, APP, output(1)));
        store.addOrUpdateFlowRule(DefaultFlowEntry.copyOf(DefaultFlowEntry.pendingAdd(rule(D1, 1)))
                .packets(10).bytes(640).life(5).build());
        fixture.events.clear();

        DefaultFlowRule modified = rule(D1, 1, APP, output(33));
        store.storeBatch(batch(12, FlowRuleOperation.MODIFY, List.of(modified)));

        FlowEntry entry = store.getFlowEntry(rule(D1, 1));
        assertEquals(output(33), entry.treatment());
        assertEquals(ADDED, entry.state());
        assertEquals(10, entry.packets());
        assertEquals(640, entry.bytes());
        assertEquals(5, entry.life());
        assertEquals(FlowRuleOperation.MODIFY, single(BATCH_OPERATION_REQUESTED).subject().ops().get(0).operator());
    }

    @Test
    void removeMarksPendingRemove() {
        store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 2)));
        store.deleteFlowRule(rule(D1, 0));

        assertEquals(PENDING_REMOVE, store.getFlowEntry(rule(D1, 0)).state());
        assertEquals(1, store.getFlowRuleCount(D1, PENDING_REMOVE));
        assertEquals(1, store.getFlowRuleCount(D1, PENDING_ADD));
        assertEquals(2, store.getFlowRuleCount(D1));
    }

    @Test
    void operationsOnUnknownRulesAreDroppedAndALeftEmptyBatchCompletesAtOnce() {
        store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 1)));
        fixture.events.clear();

        store.storeBatch(new FlowRuleBatchOperation(List.of(
                new org.flowstore.api.flow.FlowRuleBatchEntry(FlowRuleOperation.REMOVE, rule(D1, 5)),
                new org.flowstore.api.flow.FlowRuleBatchEntry(FlowRuleOperation.MODIFY, rule(D1, 6))), D1, 2));

        assertTrue(fixture.events(BATCH_OPERATION_REQUESTED).isEmpty());
        FlowRuleBatchEvent completed = single(BATCH_OPERATION_COMPLETED);
        assertEquals(2, completed.batchId());
        assertTrue(completed.result().success());
        assertEquals(1, store.getFlowRuleCount(D1));
    }

    @Test
    void partlyKnownBatchRequestsOnlyWhatChanged() {
        store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 1)));
        fixture.events.clear();
        store.storeBatch(batch(2, FlowRuleOperation.REMOVE, rules(D1, 0, 3)));
        assertEquals(List.of(rule(D1, 0)), single(BATCH_OPERATION_REQUESTED).subject().ops().stream()
                .map(op -> op.target()).toList());
    }

    @Test
    void anEmptyBatchCompletesAtOnce() {
        store.storeBatch(new FlowRuleBatchOperation(List.of(), D1, 77));
        FlowRuleBatchEvent completed = single(BATCH_OPERATION_COMPLETED);
        assertEquals(77, completed.batchId());
        assertTrue(completed.result().success());
    }

    @Test
    void deviceReportsMoveEntriesThroughTheirStates() {
        DefaultFlowRule r1 = rule(D1, 1);
        store.storeFlowRule(r1);

        FlowRuleEvent added = store.addOrUpdateFlowRule(report(r1, 100)).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_ADDED, added.type());
        FlowEntry entry = store.getFlowEntry(r1);
        assertEquals(ADDED, entry.state());
        assertEquals(100, entry.packets());
        assertEquals(StoreFixture.NOW.toEpochMilli(), entry.lastSeen());
        assertEquals(entry, added.subject());

        FlowRuleEvent updated = store.addOrUpdateFlowRule(report(r1, 250)).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_UPDATED, updated.type());
        assertEquals(250, store.getFlowEntry(r1).packets());

        store.deleteFlowRule(r1);
        FlowRuleEvent stillRemoving = store.addOrUpdateFlowRule(report(r1, 300)).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_UPDATED, stillRemoving.type());
        assertEquals(PENDING_REMOVE, store.getFlowEntry(r1).state());
        assertEquals(300, store.getFlowEntry(r1).packets());
    }

    @Test
    void aReportedRuleTheStoreDidNotHoldIsStoredAsAdded() {
        DefaultFlowRule stranger = rule(D1, 42);
        FlowRuleEvent event = store.addOrUpdateFlowRule(report(stranger, 7)).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_ADDED, event.type());
        assertEquals(ADDED, store.getFlowEntry(stranger).state());
        assertEquals(1, store.getFlowRuleCount(D1, ADDED));
    }

    @Test
    void removeFlowRuleRemovesTheEntry() {
        store.storeFlowRule(rule(D1, 1));
        FlowRuleEvent removed = store.removeFlowRule(DefaultFlowEntry.pendingAdd(rule(D1, 1))).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_REMOVED, removed.type());
        assertEquals(FlowEntryState.REMOVED, ((FlowEntry) removed.subject()).state());
        assertNull(store.getFlowEntry(rule(D1, 1)));
        assertEquals(0, store.getFlowRuleCount(D1));
        assertEquals(Optional.empty(), store.removeFlowRule(DefaultFlowEntry.pendingAdd(rule(D1, 1))));
    }

    @Test
    void pendingFlowRuleMovesAddedBackToPendingAdd() {
        store.storeFlowRule(rule(D1, 1));
        assertEquals(Optional.empty(), store.pendingFlowRule(DefaultFlowEntry.pendingAdd(rule(D1, 1))));
        store.addOrUpdateFlowRule(report(rule(D1, 1), 1));

        FlowRuleEvent event = store.pendingFlowRule(DefaultFlowEntry.pendingAdd(rule(D1, 1))).orElseThrow();
        assertEquals(FlowRuleEvent.Type.RULE_UPDATED, event.type());
        assertEquals(PENDING_ADD, store.getFlowEntry(rule(D1, 1)).state());
    }

    @Test
    void purges() {
        store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 5)));
        store.storeFlowRule(rule(D1, 10, OTHER_APP, output(1)));
        store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D2, 0, 4)));

        store.purgeFlowRules(D1, OTHER_APP);
        assertEquals(5, store.getFlowRuleCount(D1));
        store.purgeFlowRule(D1);
        assertEquals(0, store.getFlowRuleCount(D1));
        assertEquals(0, store.getFlowRuleCount(D1, PENDING_ADD));
        assertEquals(4, store.getFlowRuleCount(D2));
        store.purgeFlowRules();
        assertEquals(0, store.getFlowRuleCount());
    }

    @Test
    void tableStatisticsAreStoredAndReturned() {
        assertEquals(List.of(), store.getTableStatistics(D1));
        List<TableStatisticsEntry> stats = List.of(new TableStatisticsEntry(D1, 0, 12, 1000, 900),
                new TableStatisticsEntry(D1, 1, 3, 50, 10));
        store.updateTableStatistics(D1, stats);
        assertEquals(stats, store.getTableStatistics(D1));
        assertThrows(IllegalArgumentException.class,
                () -> store.updateTableStatistics(D2, stats), "statistics of another device");
    }

    @Test
    void completionReachesTheDelegateAndFailedRulesBecomeFailed() {
        store.storeBatch(batch(5, FlowRuleOperation.ADD, rules(D1, 0, 3)));
        FlowRuleBatchRequest request = single(BATCH_OPERATION_REQUESTED).subject();

        FlowRuleBatchEvent done = FlowRuleBatchEvent.completed(request,
                CompletedBatchOperation.failed(D1, List.of(rule(D1, 2)), "table full"));
        store.batchOperationComplete(done);

        assertEquals(List.of(done), fixture.events(BATCH_OPERATION_COMPLETED));
        assertEquals(FAILED, store.getFlowEntry(rule(D1, 2)).state());
        assertEquals(2, store.getFlowRuleCount(D1, PENDING_ADD));
        assertEquals(1, store.getFlowRuleCount(D1, FAILED));
    }

    @Test
    void countsAreKeptPerDeviceAndStateAndSummedOverDevices() {
        store.storeBatch(batch(1, FlowRuleOperation.ADD, rules(D1, 0, 100)));
        store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D2, 0, 30)));
        for (int i = 0; i < 40; i++) {
            store.addOrUpdateFlowRule(report(rule(D1, i), i));
        }
        store.storeBatch(batch(3, FlowRuleOperation.REMOVE, rules(D1, 90, 100)));

        assertEquals(100, store.getFlowRuleCount(D1));
        assertEquals(40, store.getFlowRuleCount(D1, ADDED));
        assertEquals(50, store.getFlowRuleCount(D1, PENDING_ADD));
        assertEquals(10, store.getFlowRuleCount(D1, PENDING_REMOVE));
        assertEquals(130, store.getFlowRuleCount());
    }

    @Test
    void entriesAreFoundByFlowId() {
        store.storeFlowRule(rule(D1, 3));
        assertEquals(rule(D1, 3), store.getFlowEntry(D1, rule(D1, 3).id()).rule());
        assertNull(store.getFlowEntry(D1, rule(D1, 4).id()));
        assertNull(store.getFlowEntry(D1, rule(D1, 3, OTHER_APP, output(1)).id()), "another app's id");
    }

    @Test
    void oversizedAndDuplicateBatchesFailWholeWithAReason() {
        List<FlowRule> many = rules(D1, 0, FlowRuleStore.MAX_BATCH_SIZE + 1);
        store.storeBatch(batch(1, FlowRuleOperation.ADD, many));
        CompletedBatchOperation result = single(BATCH_OPERATION_COMPLETED).result();
        assertFalse(result.success());
        assertEquals(many.size(), result.failedItems().size());
        assertTrue(result.reason().contains("exceeds"), result.reason());
        assertEquals(0, store.getFlowRuleCount(D1));

        fixture.events.clear();
        store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D1, 0, 1)));
        store.storeBatch(batch(2, FlowRuleOperation.ADD, rules(D1, 1, 2)));
        CompletedBatchOperation duplicate = single(BATCH_OPERATION_COMPLETED).result();
        assertTrue(duplicate.reason().contains("already in flight"), duplicate.reason());
        assertEquals(1, store.getFlowRuleCount(D1));
    }

    @Test
    void onlyOneDelegateAtATimeAndOnlyItCanUnsetItself() {
        List<FlowRuleBatchEvent> stranger = new ArrayList<>();
        FlowRuleStoreDelegate other = stranger::add;
        assertThrows(IllegalStateException.class, () -> store.setDelegate(other));
        store.unsetDelegate(other);
        store.storeFlowRule(rule(D1, 1));
        assertEquals(1, fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size(), "still delegated");

        store.unsetDelegate(fixture.delegate);
        store.setDelegate(other);
        store.storeFlowRule(rule(D1, 2));
        assertEquals(1, fixture.events(FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED).size(), "no longer delegated");
        assertEquals(1, stranger.size(), stranger.toString());
    }

    @Test
    void readsReturnImmutableSnapshots() {
        store.storeFlowRule(rule(D1, 1));
        List<FlowEntry> before = store.getFlowEntries(D1);
        FlowEntry entry = before.get(0);
        store.addOrUpdateFlowRule(report(rule(D1, 1), 5));
        assertSame(entry, before.get(0));
        assertEquals(PENDING_ADD, entry.state());
        assertThrows(UnsupportedOperationException.class, () -> before.add(entry));
    }

    private FlowRuleBatchEvent single(FlowRuleBatchEvent.Type type) {
        List<FlowRuleBatchEvent> events = fixture.events(type);
        assertEquals(1, events.size(), "events: " + fixture.events);
        return events.get(0);
    }

    private static DefaultFlowEntry report(FlowRule rule, long packets) {
        return DefaultFlowEntry.copyOf(DefaultFlowEntry.pendingAdd(rule)).state(ADDED).packets(packets)
                .bytes(packets * 64).life(packets / 10).build();
    }
}
