package org.flowstore.store.flow;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BucketRepair;
import org.flowstore.serializers.protocol.DigestCheck;
import org.flowstore.serializers.protocol.DigestResult;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * Every {@code antiEntropyPeriod}, a master sends its per-bucket digests of each device table to
 * the standbys holding copies. A standby at the same version answers with the buckets whose
 * digests differ, and the master sends exactly those buckets' entries: divergence is repaired
 * without moving the table. A standby found at the same older version in two consecutive rounds
 * (a lost delta that nothing else would repair) gets a snapshot.
 *
 * <p>Threads: rounds run on the store's scheduler; replies are handled on the transport's threads.
 */
final class AntiEntropy {

    private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);

    private record Target(DeviceId deviceId, NodeId standby) {
    }

    private final MasterRouter router;
    private final FlowTables tables;
    private final Replicator replicator;
    private final MastershipService mastership;
    private final Supplier<StoreConfig> config;
    private final NodeId localNode;
    private final Map<Target, TableVersion> behind = new ConcurrentHashMap<>();
    private final PeriodicTask rounds;

    AntiEntropy(MasterRouter router, FlowTables tables, Replicator replicator, MastershipService mastership,
                Supplier<StoreConfig> config, ScheduledExecutorService scheduler) {
        this.router = router;
        this.tables = tables;
        this.replicator = replicator;
        this.mastership = mastership;
        this.config = config;
        this.rounds = new PeriodicTask("anti-entropy on node " + router.localNode(), this::round,
                () -> config.get().antiEntropyPeriod(), scheduler);
        this.localNode = router.localNode();
    }

    /** Starts (or restarts, after a change of period) the rounds. */
    void schedule() {
        rounds.schedule();
    }

    void stop() {
        rounds.stop();
    }


    /** Compares every table this node masters with its standbys' copies. */
    void round() {
        for (DeviceFlowTable table : tables.all()) {
            DeviceId deviceId = table.deviceId();
            MastershipInfo info = mastership.getMastershipFor(deviceId);
            if (!info.isMaster(localNode) || table.activeTerm() != info.term()) {
                continue;
            }
            DeviceFlowTable.Digests digests = table.versionedDigests();
            DigestCheck check = new DigestCheck(deviceId, info.term(), digests.version(), digests.digests());
            for (NodeId standby : replicator.targets(deviceId)) {
                router.send(FlowStoreSubjects.DIGEST_CHECK, check, standby).whenComplete((reply, e) -> {
                    if (e != null || !reply.ok()) {
                        log.debug("Anti-entropy of {} with {}: {}", deviceId, standby, e != null ? e : reply.error());
                    } else {
                        onResult(table, info.term(), check.version(), standby, reply.value(DigestResult.class));
                    }
                });
            }
        }
    }

    private void onResult(DeviceFlowTable table, long term, TableVersion version, NodeId standby, DigestResult result) {
        DeviceId deviceId = table.deviceId();
        Target target = new Target(deviceId, standby);
        if (result.version().equals(version)) {
            behind.remove(target);
            if (!result.differing().isEmpty()) {
                repair(table, term, version, standby, result.differing());
            }
            return;
        }
        TableVersion previous = behind.put(target, result.version());
        if (result.version().equals(previous)) {
            log.warn("Standby {} of {} stayed at {} while the master {} is at {}; sending a snapshot", standby,
                    deviceId, result.version(), localNode, version);
            behind.remove(target);
            replicator.resync(deviceId, standby);
        }
    }

    private void repair(DeviceFlowTable table, long term, TableVersion version, NodeId standby, List<Integer> buckets) {
        DeviceId deviceId = table.deviceId();
        log.warn("Copy of {} on standby {} differs from master {} in buckets {}; repairing them", deviceId, standby,
                localNode, buckets);
        BucketRepair repair = new BucketRepair(deviceId, term, version, buckets, table.entriesOf(buckets));
        router.send(FlowStoreSubjects.BUCKET_REPAIR, repair, standby).whenComplete((reply, e) -> {
            if (e != null || !reply.ok() || !reply.value(BackupAck.class).held()) {
                log.info("Repair of {} on {} not taken ({}); the next round will look again", deviceId, standby,
                        e != null ? e.toString() : reply.ok() ? reply.value(BackupAck.class).reason() : reply.error());
            }
        });
    }

}
