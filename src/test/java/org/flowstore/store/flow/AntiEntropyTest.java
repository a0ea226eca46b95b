package org.flowstore.store.flow;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.flowstore.serializers.protocol.TableVersion;

/** The master's periodic comparison of its table with its standbys' copies, on its own. */
class AntiEntropyTest {

    private ReplicationHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aCopyThatDivergedAtTheSameVersionIsRepairedInTheBucketsThatDifferOnly() {
        h = new ReplicationHarness(1, 1);
        h.write(0, 2000).join();
        DeviceFlowTable copy = h.node(2).copy();
        // Behind the protocol's back: same version, ten entries gone.
        copy.install(copy.version(), copy.entries().subList(10, 2000), List.of());
        long[] corrupted = copy.digests();

        h.antiEntropy.round();
        awaitTrue(() -> copy.count() == 2000);
        assertArrayEquals(h.master().copy().digests(), copy.digests());
        int repaired = 0;
        for (int i = 0; i < corrupted.length; i++) {
            repaired += corrupted[i] != copy.digests()[i] ? 1 : 0;
        }
        assertTrue(repaired > 0 && repaired <= 10, "repaired " + repaired + " buckets");
        assertEquals(1, h.bus.delivered(FlowStoreSubjects.BUCKET_REPAIR), "one repair, of the differing buckets");
    }

    @Test
    void aCopyThatStaysAtAnotherVersionForTwoRoundsGetsASnapshot() {
        h = new ReplicationHarness(1, 1);
        h.write(0, 100).join();
        DeviceFlowTable copy = h.node(2).copy();
        copy.install(new TableVersion(1, 1), copy.entries().subList(0, 40), List.of());
        int snapshotsBefore = h.bus.delivered(FlowStoreSubjects.BACKUP_SNAPSHOT);

        h.antiEntropy.round();
        awaitTrue(() -> h.bus.delivered(FlowStoreSubjects.DIGEST_CHECK) == 1);
        assertEquals(snapshotsBefore, h.bus.delivered(FlowStoreSubjects.BACKUP_SNAPSHOT),
                "one round at another version may be a delta in flight: no snapshot yet");
        h.antiEntropy.round();
        awaitTrue(() -> copy.count() == 100 && copy.version().equals(h.master().copy().version()));
        assertEquals(0, h.bus.delivered(FlowStoreSubjects.BUCKET_REPAIR));
    }
}
