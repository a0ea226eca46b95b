package org.flowstore.store.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.EntryUpdate;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.testing.TestFlows;

/**
 * What a master's cuts carry (whole entries, state and counters by id, removals by the id the
 * standby holds; not what its device reported of the flows the store wanted on it), and that a
 * copy applying every cut holds what the master holds.
 */
class TableDeltaTest {

    private static final DeviceId DEVICE = TestFlows.device(1);
    private static final long NOW = 1_700_000_000_000L;

    private final DeviceFlowTable master = new DeviceFlowTable(DEVICE);
    private final DeviceFlowTable standby = new DeviceFlowTable(DEVICE);

    TableDeltaTest() {
        master.activate(1);
        standby.install(master.version(), List.of(), List.of()); // as the new master's first snapshot leaves it
    }

    /** Cuts the master's changes and applies them to the standby; null when there was none. */
    private BackupDelta ship() {
        BackupDelta delta = master.cut();
        if (delta != null) {
            standby.applyDelta(delta);
        }
        return delta;
    }

    private void assertCopiesEqual() {
        assertEquals(Set.copyOf(master.entries()), Set.copyOf(standby.entries()));
        assertEquals(master.version(), standby.version());
    }

    /** Equal but for what the device reported: the same version, digests and rules. */
    private void assertCopiesAgree() {
        assertEquals(master.version(), standby.version());
        assertArrayEquals(master.digests(), standby.digests());
        assertEquals(Set.copyOf(master.entries().stream().map(FlowEntry::rule).toList()),
                Set.copyOf(standby.entries().stream().map(FlowEntry::rule).toList()));
    }

    private void apply(FlowRuleOperation op, FlowRule... rules) {
        master.apply(List.of(rules).stream().map(r -> new FlowRuleBatchEntry(op, r)).toList());
    }

    private static FlowEntry seen(FlowRule rule, long packets) {
        return DefaultFlowEntry.builder(rule).state(FlowEntryState.ADDED).packets(packets).bytes(64 * packets).life(3)
                .build();
    }

    @Test
    void aDevicesConfirmationsAndStatisticsStayOnTheMasterARemoveMarkTravelsAsStateAlone() {
        List<FlowRule> rules = TestFlows.rules(DEVICE, 0, 3);
        apply(FlowRuleOperation.ADD, rules.toArray(FlowRule[]::new));
        assertEquals(3, ship().upserts().size());
        TableVersion shipped = master.version();

        rules.forEach(r -> master.report(seen(r, 10), NOW));
        master.report(seen(rules.get(0), 20), NOW + 1000);
        assertEquals(shipped, master.version());
        assertNull(master.cut());
        assertEquals(FlowEntryState.ADDED, master.get(rules.get(0)).state());
        assertEquals(20, master.get(rules.get(0)).packets());
        assertEquals(3, master.count(FlowEntryState.ADDED));
        assertEquals(FlowEntryState.PENDING_ADD, standby.get(rules.get(0)).state());
        assertCopiesAgree();

        apply(FlowRuleOperation.REMOVE, rules.get(1));
        BackupDelta next = ship();
        assertEquals(List.of(), next.upserts());
        assertEquals(List.of(rules.get(1).id()), next.updates().stream().map(EntryUpdate::flowId).toList());
        assertEquals(FlowEntryState.PENDING_REMOVE, standby.get(rules.get(1).id()).state());
        assertEquals(10, standby.get(rules.get(1).id()).packets());
        assertCopiesAgree();
    }

    @Test
    void aReportThatChangesWhatTheStoreWantsTravels() {
        FlowRule failed = shipped(1);
        master.markFailed(List.of(failed));
        ship();
        assertEquals(FlowEntryState.FAILED, standby.get(failed).state());
        FlowRule imported = TestFlows.rule(DEVICE, 2);

        master.report(seen(failed, 5), NOW);
        master.report(seen(imported, 7), NOW);
        BackupDelta delta = ship();
        assertEquals(List.of(failed.id()), delta.updates().stream().map(EntryUpdate::flowId).toList());
        assertEquals(List.of(imported), delta.upserts().stream().map(FlowEntry::rule).toList());
        assertEquals(FlowEntryState.ADDED, standby.get(failed).state());
        assertEquals(FlowEntryState.ADDED, standby.get(imported).state());
        assertCopiesEqual();
    }

    @Test
    void anUnchangedRuleAddedAgainSendsItsStateAloneAChangedOneTravelsWhole() {
        List<FlowRule> rules = TestFlows.rules(DEVICE, 0, 2);
        apply(FlowRuleOperation.ADD, rules.toArray(FlowRule[]::new));
        ship();
        rules.forEach(r -> master.report(seen(r, 10), NOW));
        ship();

        FlowRule copy = TestFlows.rule(DEVICE, 0); // equal in every field, another instance (as decoded off the wire)
        FlowRule changed = TestFlows.rule(DEVICE, 1, TestFlows.APP, TestFlows.output(40));
        apply(FlowRuleOperation.ADD, copy, changed);
        BackupDelta delta = ship();
        assertEquals(List.of(rules.get(0).id()), delta.updates().stream().map(EntryUpdate::flowId).toList());
        assertEquals(List.of(changed), delta.upserts().stream().map(FlowEntry::rule).toList());
        FlowEntry readded = standby.get(copy);
        assertEquals(FlowEntryState.PENDING_ADD, readded.state());
        assertEquals(0, readded.packets());
        assertEquals(TestFlows.output(40), standby.get(changed).treatment());
        assertCopiesEqual();
    }

    /** Adds rule {@code i} and ships it: the standby holds it. */
    private FlowRule shipped(int i) {
        FlowRule rule = TestFlows.rule(DEVICE, i);
        apply(FlowRuleOperation.ADD, rule);
        ship();
        return rule;
    }

    @Test
    void aRuleChangedSinceTheLastCutTravelsWholeEvenIfItsStateChangedAfter() {
        FlowRule rule = shipped(1);

        FlowRule modified = TestFlows.rule(DEVICE, 1, TestFlows.APP, TestFlows.output(40));
        apply(FlowRuleOperation.MODIFY, modified);
        master.report(seen(modified, 5), NOW);
        BackupDelta delta = ship();
        assertEquals(List.of(), delta.updates());
        assertEquals(1, delta.upserts().size());
        assertEquals(TestFlows.output(40), standby.get(rule).treatment());
        assertCopiesAgree();
    }

    @Test
    void aRemovalNamesTheFlowTheStandbyHoldsThoughAnotherAppsRuleReplacedItSinceTheLastCut() {
        FlowRule rule = shipped(1);

        FlowRule sameMatch = TestFlows.rule(DEVICE, 1, TestFlows.OTHER_APP, TestFlows.output(2));
        assertNotEquals(rule.id(), sameMatch.id());
        apply(FlowRuleOperation.ADD, sameMatch);
        master.remove(sameMatch);
        BackupDelta delta = ship();
        assertEquals(List.of(rule.id()), delta.removals());
        assertEquals(0, standby.count());
        assertCopiesEqual();
    }

    @Test
    void aFlowAddedAndRemovedBetweenCutsIsNotSentButTheVersionMoves() {
        shipped(1);
        FlowRule passing = TestFlows.rule(DEVICE, 2);
        apply(FlowRuleOperation.ADD, passing);
        master.remove(passing);
        BackupDelta delta = ship();
        assertEquals(0, delta.size());
        assertCopiesEqual();
    }

    @Test
    void aChangeNamingAnIdTwoFlowsShareIsRefusedAndLeavesTheCopyAsItWas() {
        // Two matches whose 48-bit hashes collide, of one application: one flow id.
        FlowRule a = DefaultFlowRule.copyOf(TestFlows.rule(DEVICE, 1)).withMatchHash(42).build();
        FlowRule b = DefaultFlowRule.copyOf(TestFlows.rule(DEVICE, 2)).withMatchHash(42).build();
        assertEquals(a.id(), b.id());
        apply(FlowRuleOperation.ADD, a, b);
        ship();
        assertEquals(2, standby.count());
        TableVersion before = standby.version();

        apply(FlowRuleOperation.REMOVE, a);
        BackupDelta ambiguous = master.cut();
        assertEquals(1, ambiguous.updates().size());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> standby.applyDelta(ambiguous));
        assertTrue(refused.getMessage().contains("ambiguous"), refused.getMessage());
        assertEquals(before, standby.version());
        assertTrue(standby.entries().stream().allMatch(e -> e.state() == FlowEntryState.PENDING_ADD));
    }

    @Test
    void anUpdateOfAFlowTheCopyDoesNotHoldIsRefused() {
        FlowRule rule = TestFlows.rule(DEVICE, 1);
        apply(FlowRuleOperation.ADD, rule);
        master.cut(); // lost on the way
        apply(FlowRuleOperation.REMOVE, rule);
        BackupDelta update = master.cut();
        DeviceFlowTable behind = new DeviceFlowTable(DEVICE);
        behind.install(update.from(), List.of(), List.of());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> behind.applyDelta(update));
        assertTrue(refused.getMessage().contains("does not hold"), refused.getMessage());
        assertEquals(0, behind.count());
    }
}
