package org.flowstore.store.flow;

import static org.flowstore.store.flow.ReplicationHarness.DEVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.EntryUpdate;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.testing.TestFlows;

/**
 * The master's side of replication on its own: which standbys a change goes to, what they did
 * with it, and how a standby that is behind or silent is caught up.
 */
class ReplicatorTest {

    private ReplicationHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aChangeGoesToTheFirstBackupCountLiveStandbysWhichHoldItAfterASnapshotOfWhatTheyMissed() {
        h = new ReplicationHarness(3, 2);
        h.bus.setDown(h.node(3).id, true);
        assertEquals(List.of(h.node(2).id, h.node(4).id), h.replicator.targets(DEVICE), "n3 is down: n4 takes its place");

        // New standbys hold nothing: the first delta is refused and a snapshot (taken after it) brings it.
        Replicator.Replication first = h.write(0, 10).join();
        assertEquals(new Replicator.Replication(Replicator.Status.HELD, 2, List.of()), first);
        Replicator.Replication second = h.write(10, 25).join();
        assertEquals(Replicator.Status.HELD, second.status());
        for (int standby : new int[] {2, 4}) {
            assertEquals(25, h.node(standby).copy().count(), "n" + standby);
            assertEquals(h.master().copy().version(), h.node(standby).copy().version(), "n" + standby);
        }
        assertNull(h.node(3).copy(), "the down standby got nothing");
        assertEquals(h.master().copy().version(), h.master().copy().claimedVersion(),
                "every target holds the change: the master vouches for it");
    }

    @Test
    void aSilentStandbyLeavesTheChangeUnconfirmedAndTheMasterDoesNotVouchForIt() {
        h = new ReplicationHarness(1, 1);
        h.write(0, 10).join();
        TableVersion confirmed = h.master().copy().claimedVersion();

        h.bus.setSilenced(h.node(2).id, true);
        Replicator.Replication silent = h.write(10, 20).join();
        assertEquals(new Replicator.Replication(Replicator.Status.UNCONFIRMED, 0, List.of(h.node(2).id)), silent);
        assertEquals(confirmed, h.master().copy().claimedVersion(), "a new master would not take the unconfirmed write");

        // Once it answers again, the next change finds it behind and a snapshot brings everything.
        h.bus.setSilenced(h.node(2).id, false);
        assertEquals(Replicator.Status.HELD, h.write(20, 25).join().status());
        assertEquals(25, h.node(2).copy().count());
    }

    @Test
    void aStandbyHoldingANewerTermTellsTheMasterItIsSuperseded() {
        h = new ReplicationHarness(1, 1);
        h.write(0, 10).join();
        // A new master of term 2 (the master's view lags) already aligned the standby.
        DeviceFlowTable standby = h.node(2).copy();
        standby.install(new TableVersion(2, 1), standby.entries(), List.of());

        Replicator.Replication late = h.write(10, 20).join();
        assertEquals(Replicator.Status.SUPERSEDED, late.status());
        assertEquals(10, standby.count(), "the deposed master's write is not applied");
    }

    @Test
    void aLargeChangeTravelsInPiecesThatEachStayUnderTheMessageLimit() {
        h = new ReplicationHarness(1, 1);
        h.write(0, 1).join();
        int before = h.bus.delivered(FlowStoreSubjects.BACKUP_DELTA);
        int size = 2 * Replicator.MAX_ENTRIES_PER_MESSAGE + 10;
        assertEquals(Replicator.Status.HELD, h.write(1, 1 + size).join().status());
        assertEquals(3, h.bus.delivered(FlowStoreSubjects.BACKUP_DELTA) - before, "pieces of one delta");
        assertEquals(1 + size, h.node(2).copy().count());
        assertTrue(h.node(2).copy().version().equals(h.master().copy().version()));
    }

    @Test
    void deltasCutWhileOneIsInFlightReachTheStandbyTogetherUnlessTheyChangeTheSameFlows() {
        h = new ReplicationHarness(1, 1);
        DeviceFlowTable master = h.master().copy();
        h.write(0, 30).join();
        int before = h.bus.delivered(FlowStoreSubjects.BACKUP_DELTA);
        h.bus.hold(h.node(2).id, FlowStoreSubjects.BACKUP_DELTA);

        CompletableFuture<Replicator.Replication> inFlight = h.write(30, 40);
        assertEquals(1, h.bus.held(h.node(2).id, FlowStoreSubjects.BACKUP_DELTA));
        // While it is in flight: five rules go from the table (their device confirmed the removal),
        // three of them come back, and ten more are added; each change is a delta of its own.
        TestFlows.rules(ReplicationHarness.DEVICE, 0, 5).forEach(master::remove);
        CompletableFuture<Replicator.Replication> removed = master.cutAndHandOff(h.replicator::replicate);
        CompletableFuture<Replicator.Replication> readded = h.write(0, 3);
        CompletableFuture<Replicator.Replication> added = h.write(40, 50);
        assertEquals(1, h.bus.held(h.node(2).id, FlowStoreSubjects.BACKUP_DELTA), "the others wait for it");
        assertFalse(removed.isDone() || readded.isDone() || added.isDone());

        h.bus.release(h.node(2).id, FlowStoreSubjects.BACKUP_DELTA);
        for (CompletableFuture<Replicator.Replication> change : List.of(inFlight, removed, readded, added)) {
            assertEquals(new Replicator.Replication(Replicator.Status.HELD, 1, List.of()), change.join());
        }
        assertEquals(3, h.bus.delivered(FlowStoreSubjects.BACKUP_DELTA) - before,
                "the one in flight, the removals, then the re-adds with the new adds (the re-adds change flows the"
                        + " removals changed, so they wait for them)");
        DeviceFlowTable standby = h.node(2).copy();
        assertEquals(48, standby.count());
        assertEquals(Set.copyOf(master.entries()), Set.copyOf(standby.entries()));
        assertEquals(master.version(), standby.version());
        assertEquals(master.version(), master.claimedVersion(), "the master vouches for every change");
    }

    @Test
    void deltasOfDifferentFlowsMergeSideBySideAndDeltasOfTheSameFlowDoNot() {
        DeviceId device = ReplicationHarness.DEVICE;
        List<FlowRule> rules = TestFlows.rules(device, 0, 4);
        FlowEntry added = DefaultFlowEntry.pendingAdd(rules.get(0));
        EntryUpdate confirmed = EntryUpdate.of(DefaultFlowEntry.copyOf(added).state(FlowEntryState.ADDED).build());
        List<TableStatisticsEntry> stats = List.of();
        BackupDelta first = BackupDelta.builder().upsert(added).remove(rules.get(1).id())
                .build(device, 1, new TableVersion(1, 10), new TableVersion(1, 12), stats);
        BackupDelta second = BackupDelta.builder().upsert(DefaultFlowEntry.pendingAdd(rules.get(2)))
                .update(EntryUpdate.of(DefaultFlowEntry.pendingAdd(rules.get(3)))).build(device, 1,
                        new TableVersion(1, 12), new TableVersion(1, 15), null);
        BackupDelta confirmation = BackupDelta.builder().update(confirmed)
                .build(device, 1, new TableVersion(1, 15), new TableVersion(1, 16), null);

        Set<Long> group = new HashSet<>();
        assertTrue(Replicator.disjoint(group, first));
        assertTrue(Replicator.disjoint(group, second), "other flows");
        assertFalse(Replicator.disjoint(group, confirmation), "the flow the first delta added");
        assertEquals(4, group.size(), "a delta that does not join adds nothing");

        BackupDelta merged = Replicator.merge(List.of(first, second));
        assertEquals(new TableVersion(1, 10), merged.from());
        assertEquals(new TableVersion(1, 15), merged.to());
        assertEquals(List.of(added, DefaultFlowEntry.pendingAdd(rules.get(2))), merged.upserts());
        assertEquals(second.updates(), merged.updates());
        assertEquals(List.of(rules.get(1).id()), merged.removals());
        assertEquals(stats, merged.statistics(), "the last statistics sent");
    }
}
