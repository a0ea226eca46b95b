package org.flowstore.store.flow;

import static org.flowstore.testing.TestFlows.batch;
import static org.flowstore.testing.TestFlows.rules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.testing.FixedMastership;
import org.flowstore.testing.TestFlows;

/**
 * A standby's side of replication on its own: which deltas and snapshots its copy takes, in
 * version order, from which master, and what it refuses once it answered a newer master.
 */
class BackupReceiverTest {

    private static final DeviceId D1 = TestFlows.device(1);
    private static final NodeId MASTER = NodeId.nodeId("n1");
    private static final NodeId STANDBY = NodeId.nodeId("n2");
    private static final NodeId OTHER = NodeId.nodeId("n3");

    private final FlowTables tables = new FlowTables();
    private final FixedMastership masterships = new FixedMastership();
    private final BackupReceiver receiver = new BackupReceiver(STANDBY, tables, masterships,
            new TermPromises(), new FlowCapacity(STANDBY, tables, () -> StoreConfig.DEFAULTS, 1L << 30));
    /** The master's table, whose cuts are the deltas the standby receives. */
    private final DeviceFlowTable master = new DeviceFlowTable(D1);

    BackupReceiverTest() {
        masterships.set(D1, MastershipInfo.of(1, MASTER, List.of(STANDBY)));
        master.activate(1);
        // As a new master does, it aligns its standby with a snapshot first; deltas follow it.
        assertTrue(ack(align(MASTER, master, 1, 1)).held());
    }

    @Test
    void deltasInOrderAreHeldAndAGapIsRefusedUntilASnapshotFillsIt() {
        BackupAck first = ack(receiver.onDelta(MASTER, write(0, 10)));
        assertTrue(first.held(), first.reason());
        assertEquals(master.version(), first.version());

        write(10, 20); // lost on the way
        BackupAck gap = ack(receiver.onDelta(MASTER, write(20, 30)));
        assertFalse(gap.held(), "a delta after one that never arrived");
        assertTrue(gap.reason().contains("misses the changes before"), gap.reason());
        assertEquals(10, copy().count(), "nothing of the refused delta applied");

        assertTrue(ack(align(MASTER, master, 1, 7)).held());
        assertEquals(30, copy().count());
        assertEquals(master.version(), copy().version());
        assertTrue(ack(receiver.onDelta(MASTER, write(30, 35))).held(), "deltas apply again after the snapshot");
        assertEquals(35, copy().count());
    }

    @Test
    void aDeltaThatArrivesWhileASnapshotIsComingInIsRefusedAndTheSnapshotBringsIt() {
        receiver.onDelta(MASTER, write(0, 10));
        DeviceFlowTable.Snapshot snapshot = master.snapshot();
        List<FlowEntry> entries = snapshot.entries();
        assertTrue(ack(receiver.onSnapshotChunk(MASTER, new SnapshotChunk(D1, 1, 8, snapshot.version(), 0, false,
                entries.subList(0, 5), List.of()))).held());

        BackupAck during = ack(receiver.onDelta(MASTER, write(10, 12)));
        assertFalse(during.held(), "only what the copy holds is answered as held");
        assertTrue(during.reason().contains("snapshot"), during.reason());

        assertTrue(ack(receiver.onSnapshotChunk(MASTER, new SnapshotChunk(D1, 1, 8, snapshot.version(), 1, true,
                entries.subList(5, 10), List.of()))).held());
        assertEquals(10, copy().count());
        assertEquals(snapshot.version(), copy().version(), "the snapshot's version, not the refused delta's");
    }

    @Test
    void dataFromANodeThatIsNotTheMasterOrOfAnOlderTermIsRefused() {
        receiver.onDelta(MASTER, write(0, 10));
        BackupAck stranger = ack(receiver.onDelta(OTHER, write(10, 12)));
        assertFalse(stranger.held());
        assertTrue(stranger.reason().contains("is mastered by " + MASTER), stranger.reason());

        // n3 becomes master in term 2 and writes; the deposed n1's delta of term 1 comes late.
        masterships.set(D1, MastershipInfo.of(2, OTHER, List.of(STANDBY)));
        DeviceFlowTable successor = new DeviceFlowTable(D1);
        successor.install(copy().version(), copy().entries(), List.of());
        successor.activate(2);
        assertTrue(ack(align(OTHER, successor, 2, 9)).held());
        successor.apply(batch(2, FlowRuleOperation.ADD, rules(D1, 100, 105)).operations());
        assertTrue(ack(receiver.onDelta(OTHER, successor.cut())).held());
        BackupAck late = ack(receiver.onDelta(MASTER, write(12, 14)));
        assertFalse(late.held(), "a deposed master cannot overwrite its successor");
        assertEquals(15, copy().count());
    }

    @Test
    void aPromiseToANewMasterIsKeptAgainstTheOldTermsData() {
        receiver.onDelta(MASTER, write(0, 10));
        // A new master of term 2 asks for the version before this node's view has caught up.
        TableVersion answered = receiver.promise(D1, 2, false);
        assertEquals(copy().version(), answered);

        BackupAck after = ack(receiver.onDelta(MASTER, write(10, 20)));
        assertFalse(after.held(), "the answer said what the copy holds; nothing of term 1 may follow it");
        assertTrue(after.reason().contains("older than term 2"), after.reason());
        assertEquals(answered, copy().version());
    }

    /** Writes rules [from, to) on the master and returns the delta the write makes. */
    private BackupDelta write(int from, int to) {
        master.apply(batch(from, FlowRuleOperation.ADD, rules(D1, from, to)).operations());
        return master.cut();
    }

    /** Sends a master's whole table to the standby in one chunk, as a new master aligns its standbys. */
    private Reply align(NodeId sender, DeviceFlowTable table, long term, long snapshotId) {
        DeviceFlowTable.Snapshot snapshot = table.snapshot();
        return receiver.onSnapshotChunk(sender, new SnapshotChunk(D1, term, snapshotId, snapshot.version(), 0, true,
                snapshot.entries(), List.of()));
    }

    private DeviceFlowTable copy() {
        return tables.existing(D1);
    }

    private static BackupAck ack(Reply reply) {
        return reply.value(BackupAck.class);
    }
}
