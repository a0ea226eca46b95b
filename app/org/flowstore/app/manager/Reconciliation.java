package org.flowstore.app.manager;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreException;

/**
 * Reconciliation of the devices one node masters with their tables in the store, by the rules in
 * {@link FlowRuleManager}'s class comment: a pass over a device's report confirms pending flows,
 * takes in counters, forgets confirmed removals and pushes repairs; a flow the device dropped by
 * itself is forgotten or pushed again. Repairs go out through the manager's provider path. The
 * confirmations and counters a pass records stay with this node (the store does not replicate
 * them): a new master's first pass confirms again whatever the device holds.
 *
 * <p>A flow is pushed again at most once per {@code pendingAddRetry}. When the master pushed an
 * added flow is in the store's entry: a PENDING_ADD entry's {@code lastSeen} is when the master
 * applied it, and pushing it is the next thing the master does. So a pass leaves alone a pending
 * flow this node applied, as master, less than {@code pendingAddRetry} ago; one applied before this
 * node's term (by a master that may have died before pushing it) is pushed at once. This class
 * records only the pushes the entries do not show: repairs and removals. (It recorded every pushed
 * flow before, and forgot each when the device confirmed it: two concurrent-map operations a flow,
 * a sixth of a pass confirming re-pushed flows in {@code ReconcileBenchmark}.) With the nodes'
 * clocks apart by some time, flows a master added that long before a mastership change may wait up
 * to {@code pendingAddRetry} for the new master's repair, as any unconfirmed push does.
 *
 * <p>Threads: {@link #reconcile} and {@link #flowRemoved} run on the manager thread, one at a time;
 * {@link #pushed}, {@link #becameMaster} and {@link #forget} on any thread (the records are
 * concurrent maps).
 */
public final class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final NodeId localNode;
    private final FlowRuleStore store;
    private final MastershipService mastership;
    private final Supplier<ManagerConfig> config;
    private final BiConsumer<DeviceId, List<FlowRuleBatchEntry>> repairs;
    private final Clock clock;
    /**
     * When this node last repaired or removed each flow the device has not confirmed yet (System.nanoTime); regular
     * additions are not recorded (see the class comment).
     */
    private final Map<DeviceId, Map<FlowId, Long>> recentPushes = new ConcurrentHashMap<>();
    /** When this node became each device's master, in the store's clock (epoch milliseconds). */
    private final Map<DeviceId, Long> termStarts = new ConcurrentHashMap<>();

    /**
     * Creates the reconciliation of one node's devices.
     *
     * @param localNode this node
     * @param store the store holding the devices' tables
     * @param mastership who masters each device (only a master reconciles)
     * @param config the manager's settings in force
     * @param repairs sends repairs to a device (the manager's provider path)
     * @param clock the clock the store stamps additions with
     */
    public Reconciliation(NodeId localNode, FlowRuleStore store, MastershipService mastership,
                          Supplier<ManagerConfig> config, BiConsumer<DeviceId, List<FlowRuleBatchEntry>> repairs,
                          Clock clock) {
        this.localNode = localNode;
        this.store = store;
        this.mastership = mastership;
        this.config = config;
        this.repairs = repairs;
        this.clock = clock;
    }

    /**
     * Records the removals among operations this node pushed to a device, so that a pass does not
     * push them again before {@code pendingAddRetry} (added flows carry the time in their entries).
     *
     * @param deviceId the device
     * @param ops what was pushed
     */
    public void pushed(DeviceId deviceId, List<FlowRuleBatchEntry> ops) {
        long now = System.nanoTime();
        Map<FlowId, Long> pushes = null;
        for (FlowRuleBatchEntry op : ops) {
            if (op.operator() == FlowRuleOperation.REMOVE) {
                if (pushes == null) {
                    pushes = pushesTo(deviceId);
                }
                pushes.put(op.target().id(), now);
            }
        }
    }

    /**
     * Starts this node's term as a device's master: pending flows applied before now were applied
     * by another master, which may not have pushed them, and are pushed at the next pass.
     *
     * @param deviceId the device
     */
    public void becameMaster(DeviceId deviceId) {
        recentPushes.remove(deviceId);
        termStarts.put(deviceId, clock.millis());
    }

    /**
     * Forgets what this node pushed to a device: it no longer masters it, and what it pushed says
     * nothing about what the next master does.
     *
     * @param deviceId the device
     */
    public void forget(DeviceId deviceId) {
        recentPushes.remove(deviceId);
        termStarts.remove(deviceId);
    }

    /**
     * Handles a flow the device dropped by itself, while this node masters the device: an expired
     * flow or a confirmed removal leaves the store; any other is pushed again.
     *
     * @param deviceId the device
     * @param flowId the flow it dropped
     * @param expired whether its timeout expired
     */
    public void flowRemoved(DeviceId deviceId, FlowId flowId, boolean expired) {
        if (!isMaster(deviceId)) {
            return;
        }
        FlowEntry stored;
        try {
            stored = store.getFlowEntry(deviceId, flowId);
        } catch (FlowRuleStoreException e) {
            log.debug("Node {} skips the removal of flow {} from {}: {}", localNode, flowId, deviceId, e.getMessage());
            return;
        }
        if (stored == null) {
            return;
        }
        Map<FlowId, Long> pushes = pushesTo(deviceId);
        switch (stored.state()) {
            case PENDING_REMOVE -> {
                pushes.remove(flowId);
                update(() -> store.removeFlowRule(stored), deviceId);
            }
            case PENDING_ADD, ADDED -> {
                if (expired && !stored.isPermanent()) {
                    pushes.remove(flowId);
                    update(() -> store.removeFlowRule(stored), deviceId);
                    log.debug("Node {}: flow {} of {} expired on the device", localNode, flowId, deviceId);
                } else if (due(pushes, stored, System.nanoTime(), clock.millis(), termStart(deviceId))) {
                    log.info("Node {} pushes flow {} to {} again: the device removed it (not a timeout)", localNode,
                            flowId, deviceId);
                    repairs.accept(deviceId, List.of(new FlowRuleBatchEntry(FlowRuleOperation.ADD, stored.rule())));
                }
            }
            case FAILED, REMOVED -> {
                // Nothing to confirm or repair: the store does not want the flow on the device.
            }
        }
    }

    /**
     * Reconciles the store with what a device holds, while this node masters the device.
     *
     * @param deviceId the device
     * @param flows every flow the device holds
     */
    public void reconcile(DeviceId deviceId, Collection<? extends FlowEntry> flows) {
        if (!isMaster(deviceId)) {
            return;
        }
        List<FlowEntry> stored;
        try {
            stored = store.getFlowEntries(deviceId);
        } catch (FlowRuleStoreException e) {
            log.debug("Node {} skips reconciling {}: {}", localNode, deviceId, e.getMessage());
            return;
        }
        ManagerConfig cfg = config.get();
        long now = System.nanoTime();
        long nowMillis = clock.millis();
        long termStart = termStart(deviceId);
        Map<FlowId, FlowEntry> onDevice = new HashMap<>(flows.size() * 2);
        flows.forEach(f -> onDevice.put(f.id(), f));
        Map<FlowId, Long> pushes = pushesTo(deviceId);
        List<FlowRuleBatchEntry> repair = new ArrayList<>();
        for (FlowEntry entry : stored) {
            FlowId id = entry.id();
            FlowEntry seen = onDevice.remove(id);
            switch (entry.state()) {
                case PENDING_ADD, ADDED -> {
                    if (seen == null) {
                        // Lost by the device, or never reached it (e.g. pushed by a master that died).
                        if (due(pushes, entry, now, nowMillis, termStart)) {
                            repair.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, entry.rule()));
                        }
                    } else {
                        if (entry.state() == FlowEntryState.PENDING_ADD) {
                            // Confirmed: a repair of it is done with (a regular push left no record).
                            pushes.remove(id);
                        }
                        if (entry.state() == FlowEntryState.PENDING_ADD || seen.packets() != entry.packets()
                                || seen.bytes() != entry.bytes()) {
                            if (!update(() -> store.addOrUpdateFlowRule(seen), deviceId)) {
                                return;
                            }
                        }
                    }
                }
                case PENDING_REMOVE -> {
                    if (seen == null) {
                        pushes.remove(id);
                        if (!update(() -> store.removeFlowRule(entry), deviceId)) {
                            return;
                        }
                    } else if (due(pushes, id, now)) {
                        repair.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, entry.rule()));
                    }
                }
                case FAILED, REMOVED -> {
                    if (seen != null && due(pushes, id, now)) {
                        repair.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, seen.rule()));
                    }
                }
            }
        }
        // What is left on the device is unknown to the store: extraneous.
        for (FlowEntry extra : onDevice.values()) {
            if (!cfg.allowExtraneousRules()) {
                if (due(pushes, extra.id(), now)) {
                    repair.add(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, extra.rule()));
                }
            } else if (cfg.importExtraneousRules() && !update(() -> store.addOrUpdateFlowRule(extra), deviceId)) {
                return;
            }
        }
        // A push older than pendingAddRetry no longer holds a repair back (see due): it is done with.
        long retry = cfg.pendingAddRetry().toNanos();
        pushes.values().removeIf(pushedAt -> now - pushedAt >= retry);
        if (!repair.isEmpty()) {
            log.debug("Node {} pushes {} repairs to {} after reconciling it", localNode, repair.size(), deviceId);
            repairs.accept(deviceId, repair);
        }
    }

    /**
     * True, and recorded as pushed now, when a stored flow the device lacks may be pushed: not a pending flow this
     * node applied as master within the last {@code pendingAddRetry}, nor one it pushed in that time.
     */
    private boolean due(Map<FlowId, Long> pushes, FlowEntry entry, long now, long nowMillis, long termStart) {
        if (entry.state() == FlowEntryState.PENDING_ADD) {
            long applied = entry.lastSeen();
            // Applied in this term, so pushed right after by this node; a time ahead of this clock is not this node's.
            if (applied >= termStart && applied <= nowMillis
                    && nowMillis - applied < config.get().pendingAddRetry().toMillis()) {
                return false;
            }
        }
        return due(pushes, entry.id(), now);
    }

    /** True, and recorded as pushed now, when a flow was not pushed within the last {@code pendingAddRetry}. */
    private boolean due(Map<FlowId, Long> pushes, FlowId id, long now) {
        Long last = pushes.get(id);
        if (last != null && now - last < config.get().pendingAddRetry().toNanos()) {
            return false;
        }
        pushes.put(id, now);
        return true;
    }

    /**
     * When this node's term as the device's master started; a node that reconciles a device it has mastered since
     * before it heard of any change (it started as master) takes its term as starting now.
     */
    private long termStart(DeviceId deviceId) {
        return termStarts.computeIfAbsent(deviceId, d -> clock.millis());
    }

    private Map<FlowId, Long> pushesTo(DeviceId deviceId) {
        return recentPushes.computeIfAbsent(deviceId, d -> new ConcurrentHashMap<>());
    }

    private boolean isMaster(DeviceId deviceId) {
        return mastership.getMastershipFor(deviceId).isMaster(localNode);
    }

    /**
     * Runs a store call of a device's report; false when it failed: mastership moved while the report was being
     * applied, and the new master reconciles too. A pass stops at its first failure, since the calls after it
     * would fail alike, each waiting on the store and logged by it: a pass of 10,000 flows logged 7,888
     * warnings in a second while the cluster elected a new master.
     */
    private boolean update(Runnable storeCall, DeviceId deviceId) {
        try {
            storeCall.run();
            return true;
        } catch (FlowRuleStoreException e) {
            log.debug("Node {} dropped an update of {}: {}", localNode, deviceId, e.getMessage());
            return false;
        }
    }
}
