package org.flowstore.store.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.StoreSerializer;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.testing.TestFlows;

/**
 * What replication sends per changed flow on a device holding 10,000 flows: the ONOS store sends
 * about 2,400 bytes per changed flow and the whole table after every statistics poll; this one
 * sends nothing for a poll (its counters stay on the master). The bytes are those of the messages
 * as encoded for the wire.
 */
class ReplicationSizeTest {

    private static final DeviceId DEVICE = TestFlows.device(1);
    private final StoreSerializer serializer = new StoreSerializer();

    /** Applies a batch as a sync-mode master does and returns the delta handed to replication. */
    private static BackupDelta cutAfter(DeviceFlowTable table, List<FlowRuleBatchEntry> ops) {
        AtomicReference<BackupDelta> delta = new AtomicReference<>();
        table.applyAndCut(ops, d -> {
            delta.set(d);
            return d;
        });
        return delta.get();
    }

    @Test
    void aChangeCostsItsOwnSizeNotTheTables() {
        DeviceFlowTable table = new DeviceFlowTable(DEVICE);
        table.activate(1);
        List<FlowRuleBatchEntry> adds = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            adds.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, TestFlows.rule(DEVICE, i)));
        }
        cutAfter(table, adds);

        BackupDelta one = cutAfter(table, List.of(new FlowRuleBatchEntry(FlowRuleOperation.MODIFY,
                TestFlows.rule(DEVICE, 5, TestFlows.APP, TestFlows.output(7)))));
        int oneBytes = serializer.encode(one).length;

        List<FlowRuleBatchEntry> hundred = new ArrayList<>();
        for (int i = 100; i < 200; i++) {
            hundred.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, TestFlows.rule(DEVICE, 20_000 + i)));
        }
        BackupDelta batch = cutAfter(table, hundred);
        int perFlowInBatch = serializer.encode(batch).length / batch.size();

        for (int i = 0; i < 10_000; i++) {
            table.report(DefaultFlowEntry.builder(TestFlows.rule(DEVICE, i)).state(FlowEntryState.ADDED)
                    .packets(i).bytes(64L * i).life(30).build(), 1_700_000_000_000L);
        }
        assertNull(table.cut(), "a statistics poll stays on the master: nothing to send");

        List<FlowRuleBatchEntry> removes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            removes.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, TestFlows.rule(DEVICE, i)));
        }
        BackupDelta marks = cutAfter(table, removes);
        assertEquals(10_000, marks.updates().size(), "state and counters alone: the standby holds the rules");
        int perFlowMarked = serializer.encode(marks).length / marks.size();

        System.out.printf("replication bytes per changed flow (10,000 flows on the device): one MODIFY %d, "
                + "batch of 100 ADDs %d, REMOVE of every flow %d%n", oneBytes, perFlowInBatch, perFlowMarked);
        assertTrue(oneBytes < 240, "one changed flow took " + oneBytes + " bytes");
        assertTrue(perFlowInBatch < 240, "a flow in a batch took " + perFlowInBatch + " bytes");
        assertTrue(perFlowMarked < 40, "a flow marked for removal took " + perFlowMarked + " bytes");
    }
}
