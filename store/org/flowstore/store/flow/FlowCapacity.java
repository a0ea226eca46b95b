package org.flowstore.store.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * This node's memory bound ({@code maxFlowsPerNode}: the flows it may hold, as master or standby)
 * and what the standbys it replicates to last said of theirs.
 *
 * <p>A master refuses a batch that would add flows when it holds its bound, or when one of the
 * device's target standbys said so in its last acknowledgement (one younger than
 * {@link #REPORT_VALIDITY}: a standby that is no longer sent anything gets one batch through to
 * answer again). The refusal ({@link Refusal#overloaded}) names the node and its bound, and the
 * issuer fails the batch as {@code OVERLOADED}: nothing of it is applied. Batches that add nothing
 * (removals, modifications, additions that replace a held rule) always pass, so a full node can be
 * emptied; and a standby never refuses a backup, since an acknowledged write is never dropped for
 * room. The bound is therefore soft: batches in flight check it before they apply, and may pass
 * it together by at most what the admission windows hold; the default leaves most of the heap
 * free for that (see {@link StoreConfig#HEAP_BYTES_PER_FLOW}).
 *
 * <p>Reaching the bound is logged once (a warning), and again only after the node went below
 * {@value #ROOM_AGAIN_PERCENT} % of it. Thread-safe.
 */
final class FlowCapacity {

    private static final Logger log = LoggerFactory.getLogger(FlowCapacity.class);

    /** How long a standby's report of its room is believed. */
    static final Duration REPORT_VALIDITY = Duration.ofSeconds(5);
    /** Below this share of its bound, a node that was full is logged as having room again. */
    static final int ROOM_AGAIN_PERCENT = 95;

    private record Report(long held, long bound, long atNanos) {
    }

    private final NodeId localNode;
    private final FlowTables tables;
    private final Supplier<StoreConfig> config;
    private final long maxHeapBytes;
    private final Map<NodeId, Report> standbys = new ConcurrentHashMap<>();
    private final AtomicBoolean full = new AtomicBoolean();

    /**
     * @param maxHeapBytes the heap the derived bound is taken from ({@code Runtime.maxMemory()})
     */
    FlowCapacity(NodeId localNode, FlowTables tables, Supplier<StoreConfig> config, long maxHeapBytes) {
        this.localNode = localNode;
        this.tables = tables;
        this.config = config;
        this.maxHeapBytes = maxHeapBytes;
    }

    /** The flows this node holds, as master or standby. */
    long held() {
        return tables.heldFlows();
    }

    /** The bound in force: configured, or derived from the heap. */
    long bound() {
        return config.get().maxFlowsPerNode(maxHeapBytes);
    }

    /** What a standby answers a master, with its room; notes whether this node reached its bound. */
    BackupAck held(TableVersion version) {
        long held = held();
        long bound = bound();
        note(held, bound);
        return BackupAck.held(version, held, bound);
    }

    /** A standby's refusal of a delta (it needs a snapshot), with its room. */
    BackupAck refused(TableVersion version, String reason) {
        return BackupAck.refused(version, reason, held(), bound());
    }

    /** Records what a standby said of its room. */
    void heard(NodeId standby, BackupAck ack) {
        standbys.put(standby, new Report(ack.heldFlows(), ack.maxFlows(), System.nanoTime()));
    }

    /**
     * Returns why a batch may not be applied for want of room, or null when it may.
     *
     * @param deviceId the batch's device
     * @param adds the batch's ADD operations
     * @param newFlows counts the ADDs whose rule the master's table does not hold yet (called only
     *                 when the ADDs might not fit, under the table's lock)
     * @param targets the standbys the batch is replicated to
     */
    String refusal(DeviceId deviceId, int adds, IntSupplier newFlows, List<NodeId> targets) {
        if (adds == 0) {
            return null;
        }
        long held = held();
        long bound = bound();
        note(held, bound);
        Report fullStandby = null;
        NodeId standby = null;
        long now = System.nanoTime();
        for (NodeId target : targets) {
            Report r = standbys.get(target);
            if (r != null && r.held() + adds > r.bound() && now - r.atNanos() < REPORT_VALIDITY.toNanos()) {
                fullStandby = r;
                standby = target;
                break;
            }
        }
        if (held + adds <= bound && fullStandby == null) {
            return null;
        }
        int adding = newFlows.getAsInt();
        if (adding == 0) {
            return null;
        }
        if (held + adding > bound) {
            return "node " + localNode + " holds " + held + " flows and may hold " + bound + " (" + boundSource()
                    + "); the " + adding + " new flows of the batch for " + deviceId + " were not applied: remove flows"
                    + " or raise " + StoreConfig.MAX_FLOWS_PER_NODE;
        }
        if (fullStandby != null && fullStandby.held() + adding > fullStandby.bound()) {
            return "standby " + standby + " of " + deviceId + " holds " + fullStandby.held() + " flows and may hold "
                    + fullStandby.bound() + " (its " + StoreConfig.MAX_FLOWS_PER_NODE + "); the " + adding
                    + " new flows of the batch were not applied by master " + localNode + ": remove flows or raise"
                    + " the bound";
        }
        return null;
    }

    private String boundSource() {
        int configured = config.get().maxFlowsPerNode();
        return configured > 0 ? StoreConfig.MAX_FLOWS_PER_NODE + "=" + configured
                : StoreConfig.MAX_FLOWS_PER_NODE + " from its " + (maxHeapBytes >> 20) + " MB heap: one flow per "
                  + StoreConfig.HEAP_BYTES_PER_FLOW + " bytes beyond " + (StoreConfig.HEAP_RESERVED_BYTES >> 20) + " MB";
    }

    /** Logs this node reaching its bound, and having room again, once each. */
    private void note(long held, long bound) {
        if (held >= bound) {
            if (full.compareAndSet(false, true)) {
                log.warn("Node {} holds {} flows, at its bound of {} ({}): batches that add flows to the devices it masters"
                        + " or stands by for are refused until flows are removed", localNode, held, bound, boundSource());
            }
        } else if (held < bound / 100 * ROOM_AGAIN_PERCENT && full.compareAndSet(true, false)) {
            log.info("Node {} holds {} flows, under {} % of its bound of {}: it takes new flows again", localNode, held,
                    ROOM_AGAIN_PERCENT, bound);
        }
    }
}
