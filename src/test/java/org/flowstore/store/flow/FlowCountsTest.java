package org.flowstore.store.flow;

import static org.flowstore.testing.TestFlows.OTHER_APP;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.output;
import static org.flowstore.testing.TestFlows.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.serializers.protocol.BackupDelta;

/**
 * The counts a table keeps incrementally (total and per state), and its node's count of held
 * flows, always equal a walk of its entries: after random operations from several threads on a
 * master, after the deltas, snapshots and bucket repairs a standby applies, and when a standby
 * becomes master; a dropped table leaves its node's count.
 */
class FlowCountsTest {

    private static final DeviceId D1 = device(1);
    private static final int RULES = 300;

    @Test
    void countsMatchAWalkAfterConcurrentRandomOperationsAndEveryWayACopyIsUpdated() throws Exception {
        FlowTables masterNode = new FlowTables();
        FlowTables standbyNode = new FlowTables();
        FlowTables copyNode = new FlowTables();
        DeviceFlowTable master = masterNode.replica(D1);
        master.activate(1);
        DeviceFlowTable standby = standbyNode.replica(D1);
        DeviceFlowTable snapshotCopy = copyNode.replica(D1);
        // As a new master does: the standby first gets the master's copy at its new term.
        standby.install(master.snapshot().version(), List.of(), List.of());

        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    long seed = round * 31L + t;
                    running.add(threads.submit(() -> {
                        start.await();
                        randomOperations(master, new Random(seed), 200);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : running) {
                    f.get();
                }
                assertCountsMatchEntries(master, masterNode, "master after round " + round);

                BackupDelta delta = master.cut();
                if (delta != null) {
                    standby.applyDelta(delta);
                }
                assertCountsMatchEntries(standby, standbyNode, "standby after delta " + round);
                assertEquals(master.version(), standby.version());

                DeviceFlowTable.Snapshot snapshot = master.snapshot();
                snapshotCopy.install(snapshot.version(), snapshot.entries(), snapshot.statistics());
                assertCountsMatchEntries(snapshotCopy, copyNode, "snapshot copy " + round);

                // Anti-entropy: repair two buckets of the standby with the master's content.
                List<Integer> buckets = List.of(round % DeviceFlowTable.BUCKET_COUNT, (round * 7) % DeviceFlowTable.BUCKET_COUNT);
                standby.replaceBuckets(standby.version(), buckets, master.entriesOf(buckets));
                assertCountsMatchEntries(standby, standbyNode, "standby after repair " + round);
            }

            // The standby takes over in a new term and goes on taking writes.
            standby.activate(2);
            randomOperations(standby, new Random(99), 500);
            assertCountsMatchEntries(standby, standbyNode, "new master");
            standbyNode.drop(D1);
            assertEquals(0, standbyNode.heldFlows(), "a dropped table leaves its node's count");
        } finally {
            threads.shutdownNow();
        }
    }

    /** One random operation after another, as a master's batches, device reports and purges make them. */
    private static void randomOperations(DeviceFlowTable table, Random random, int operations) {
        for (int i = 0; i < operations; i++) {
            FlowRule rule = rule(D1, random.nextInt(RULES));
            switch (random.nextInt(9)) {
                case 0, 1 -> table.apply(List.of(new FlowRuleBatchEntry(FlowRuleOperation.ADD, rule)));
                case 2 -> table.apply(List.of(new FlowRuleBatchEntry(FlowRuleOperation.MODIFY,
                        rule(D1, random.nextInt(RULES), OTHER_APP, output(random.nextInt(48) + 1)))));
                case 3 -> table.apply(List.of(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, rule)));
                case 4 -> table.report(DefaultFlowEntry.builder(rule).state(FlowEntryState.ADDED)
                        .packets(random.nextInt(1000)).build(), i);
                case 5 -> table.remove(rule);
                case 6 -> table.pending(rule);
                case 7 -> table.markFailed(List.of(rule));
                default -> {
                    if (random.nextInt(20) == 0) {
                        table.purge(OTHER_APP);
                    } else {
                        table.apply(List.of(new FlowRuleBatchEntry(FlowRuleOperation.ADD, rule)));
                    }
                }
            }
        }
    }

    private static void assertCountsMatchEntries(DeviceFlowTable table, FlowTables node, String when) {
        List<FlowEntry> entries = table.entries();
        assertEquals(entries.size(), node.heldFlows(), "the node's held flows " + when);
        int[] walked = new int[FlowEntryState.values().length];
        entries.forEach(e -> walked[e.state().ordinal()]++);
        assertEquals(entries.size(), table.count(), "total " + when);
        for (FlowEntryState state : FlowEntryState.values()) {
            assertEquals(walked[state.ordinal()], table.count(state), state + " " + when);
        }
        assertEquals(Arrays.stream(walked).boxed().toList(), table.countsByState(), "counts read together " + when);
        assertEquals(entries.size(), IntStream.of(walked).sum(), when);
    }
}
