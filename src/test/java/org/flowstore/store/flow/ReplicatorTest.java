package org.flowstore.store.flow;

import static org.flowstore.store.flow.ReplicationHarness.DEVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.serializers.protocol.TableVersion;

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
}
