package org.flowstore.store.flow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.EntryUpdate;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * One device's flow table on one node: the entries, split into {@value #BUCKET_COUNT} buckets
 * by match hash, the per-state counts, and the device's table statistics.
 *
 * <p>Every change goes through {@link #store} or {@link #delete}, which keep the counts (so
 * every count is O(1)), advance the table's logical clock and stamp the changed bucket with
 * (term, clock). Replication sends changed buckets' entries and anti-entropy compares bucket
 * digests and versions; a new master compares versions to pick the most advanced copy. What a
 * device reports of the flows the store wants on it stays on the master (see {@link #report}).
 *
 * <p>The table adds its changes of size to its node's count of held flows (see
 * {@link FlowTables#heldFlows}) until it is {@linkplain #detach detached}: once per operation
 * that changed it, not once per entry (a shared counter on the hot path of every write).
 *
 * <p>Thread-safety: every method synchronizes on the table; entries are immutable, so the
 * snapshots handed out never change under the reader.
 */
final class DeviceFlowTable {

    /** Bits of the match hash that pick a bucket. */
    static final int BUCKET_BITS = 7;
    /** Buckets per device: the unit of digests, versions and resynchronisation. */
    static final int BUCKET_COUNT = 1 << BUCKET_BITS;

    private static final FlowEntryState[] STATES = FlowEntryState.values();

    private final DeviceId deviceId;
    /** Stamps additions (see {@link #apply}). */
    private final Clock wallClock;
    private final FlowBucket[] buckets = new FlowBucket[BUCKET_COUNT];
    private final int[] stateCounts = new int[STATES.length];
    private int size;
    /** The mastership term that stamps the changes made from now on. */
    private long term;
    /** Term of the last change: with the clock, this copy's version. */
    private long versionTerm;
    private long clock;
    private List<TableStatisticsEntry> tableStatistics = List.of();
    /** Changes since the last cut, by rule (match identity). */
    private Map<FlowRule, Change> dirty = new HashMap<>();
    private boolean statisticsDirty;
    private TableVersion cutVersion = TableVersion.EMPTY;
    /**
     * On a master, the version every target standby confirmed: writes past it were not (or not
     * yet) acknowledged. On a standby, its version. See {@link #claimedVersion}.
     */
    private TableVersion acknowledged = TableVersion.EMPTY;

    /** The node's count of held flows, or a private one once the table is detached. */
    private LongAdder held;
    /** The size last added to {@link #held}. */
    private int published;

    /** Creates a table counted on its own (not part of a node's count). */
    DeviceFlowTable(DeviceId deviceId) {
        this(deviceId, new LongAdder(), Clock.systemUTC());
    }

    /**
     * Creates a table that counts its entries in a node's count of held flows.
     *
     * @param held the node's count
     * @param clock what additions are stamped with (see {@link #apply})
     */
    DeviceFlowTable(DeviceId deviceId, LongAdder held, Clock clock) {
        this.deviceId = deviceId;
        this.held = held;
        this.wallClock = clock;
    }

    /** Takes this table's entries out of its node's count: the node no longer holds it. */
    synchronized void detach() {
        held.add(-published);
        held = new LongAdder();
        published = 0;
    }

    /** Adds the change of size since the last call to the node's count: the end of every operation that may change it. */
    private void publishSize() {
        if (size != published) {
            held.add(size - published);
            published = size;
        }
    }

    DeviceId deviceId() {
        return deviceId;
    }

    /** The term this node was activated as master in; writes need it to be the current term. */
    private volatile long activeTerm = -1;

    /**
     * Makes this copy the master's table in a term: the copy is stamped with the term at once,
     * so it is ahead of every copy of older terms (a deposed master's included, whatever it wrote
     * that was never acknowledged), and changes from now on carry it. Activations of successive
     * terms may finish out of order; an older one changes nothing.
     */
    synchronized void activate(long newTerm) {
        if (newTerm < activeTerm) {
            return;
        }
        stamp(newTerm);
        this.activeTerm = newTerm;
    }

    /** Stamps this copy with a new master's term without opening it to writes (see {@link #activate}). */
    synchronized void stamp(long newTerm) {
        if (newTerm < term) {
            return;
        }
        this.term = newTerm;
        if (newTerm > versionTerm) {
            versionTerm = newTerm;
        }
        acknowledged = version();
        resetDirty();
    }

    /**
     * Returns the version this copy vouches for when a new master asks: everything a standby
     * holds, but on a (possibly deposed) master only what its standbys confirmed. Writes past it
     * were failed to their callers, so a new master never takes them from here.
     */
    synchronized TableVersion claimedVersion() {
        return acknowledged;
    }

    /** Records that every target standby holds this master's changes up to a version. */
    synchronized void markAcknowledged(TableVersion held) {
        if (held.compareTo(acknowledged) > 0 && held.compareTo(version()) <= 0) {
            acknowledged = held;
        }
    }

    long activeTerm() {
        return activeTerm;
    }

    /** The term this copy was last stamped with as a master's table (see {@link #stamp}); 0 if never. */
    synchronized long stampedTerm() {
        return term;
    }

    /**
     * Applies a batch's operations: ADD stores a new PENDING_ADD entry stamped with the time
     * (replacing one with the same match, counters and all; an unchanged rule keeps the instance
     * held), MODIFY gives an existing entry the new rule keeping state and counters, REMOVE marks
     * an existing entry PENDING_REMOVE. MODIFY and REMOVE of rules the table does not hold are dropped.
     *
     * @return the operations that changed the table, in order
     */
    synchronized List<FlowRuleBatchEntry> apply(List<FlowRuleBatchEntry> ops) {
        List<FlowRuleBatchEntry> applied = new ArrayList<>(ops.size());
        long nowMillis = wallClock.millis();
        for (FlowRuleBatchEntry op : ops) {
            FlowRule rule = op.target();
            switch (op.operator()) {
                case ADD -> {
                    // A rule added again unchanged keeps the instance held: the standbys hold it too, so the
                    // re-add travels as the entry's new state and counters alone (applications re-push their
                    // rules, and a standby decoding and matching each again was a third of its samples).
                    DefaultFlowEntry stored = find(rule);
                    boolean same = stored != null && stored.rule().exactMatch(rule);
                    store(DefaultFlowEntry.pendingAdd(same ? stored.rule() : rule, nowMillis));
                    applied.add(op);
                }
                case MODIFY -> {
                    DefaultFlowEntry stored = find(rule);
                    if (stored != null) {
                        store(stored.withRule(rule));
                        applied.add(op);
                    }
                }
                case REMOVE -> {
                    DefaultFlowEntry stored = find(rule);
                    if (stored != null) {
                        store(stored.withState(FlowEntryState.PENDING_REMOVE));
                        applied.add(op);
                    }
                }
            }
        }
        publishSize();
        return applied;
    }

    /** Returns how many of a batch's ADD operations are of rules this table does not hold. */
    synchronized int countNew(List<FlowRuleBatchEntry> ops) {
        int fresh = 0;
        for (FlowRuleBatchEntry op : ops) {
            if (op.operator() == FlowRuleOperation.ADD && find(op.target()) == null) {
                fresh++;
            }
        }
        return fresh;
    }

    /** The outcome of a batch applied on the master: what changed, and what became of the delta holding it. */
    record Applied<T>(List<FlowRuleBatchEntry> ops, T handedOff) {
    }

    /**
     * Applies a batch, cuts the delta that holds its changes (and any pending before; null when
     * nothing changed) and hands it on while still holding the table: deltas reach each
     * standby's queue in version order. The hand-off must only enqueue, never block.
     */
    synchronized <T> Applied<T> applyAndCut(List<FlowRuleBatchEntry> ops, Function<BackupDelta, T> handOff) {
        List<FlowRuleBatchEntry> applied = apply(ops);
        return new Applied<>(applied, handOff.apply(cut()));
    }

    /**
     * Applies a batch on a master with no standby to replicate to: its changes are forgotten
     * (no delta is built); they are acknowledged as they are.
     */
    synchronized List<FlowRuleBatchEntry> applyAndForget(List<FlowRuleBatchEntry> ops) {
        List<FlowRuleBatchEntry> applied = apply(ops);
        resetDirty();
        acknowledged = version();
        return applied;
    }

    /** Cuts the pending changes and hands them on, in version order (see {@link #applyAndCut}). */
    synchronized <T> T cutAndHandOff(Function<BackupDelta, T> handOff) {
        return handOff.apply(cut());
    }

    /**
     * Returns the changes since the previous cut as a delta, and starts a new one.
     *
     * @return the delta, or null when nothing changed
     */
    synchronized BackupDelta cut() {
        TableVersion now = version();
        if (now.equals(cutVersion) && !statisticsDirty) {
            return null;
        }
        BackupDelta.Builder delta = BackupDelta.builder();
        dirty.values().forEach(change -> change.addTo(delta));
        BackupDelta cut = delta.build(deviceId, term, cutVersion, now, statisticsDirty ? tableStatistics : null);
        resetDirty();
        return cut;
    }

    /**
     * A flow's change since the last cut, folded over every change of its match since then: the
     * entry now (null once removed), the id of the entry the standbys hold from the last cut (null
     * if none), and whether that entry still holds the same rule, so that its state and counters
     * alone need travel.
     */
    private record Change(DefaultFlowEntry entry, FlowId heldId, boolean ruleHeld) {

        /** This change followed by a later one of the same match. */
        Change then(Change later) {
            return new Change(later.entry, heldId, ruleHeld && later.ruleHeld);
        }

        void addTo(BackupDelta.Builder delta) {
            if (entry == null) {
                if (heldId != null) {
                    delta.remove(heldId);
                }
            } else if (ruleHeld) {
                delta.update(EntryUpdate.of(entry));
            } else {
                delta.upsert(entry);
            }
        }
    }

    /** Forgets the changes since the last cut: a snapshot or a new term covers them. */
    synchronized void resetDirty() {
        dirty = new HashMap<>();
        statisticsDirty = false;
        cutVersion = version();
    }

    /** Returns this copy's version: the term of its last change and its clock. */
    synchronized TableVersion version() {
        return new TableVersion(versionTerm, clock);
    }

    /**
     * Applies a master's delta to this copy, which must be at a version within the delta's range
     * (the delta holds the latest form of everything it changed, so the result is the same).
     *
     * @throws IllegalStateException if this copy is outside the delta's range
     */
    synchronized void applyDelta(BackupDelta delta) {
        TableVersion current = version();
        if (current.compareTo(delta.from()) < 0 || current.compareTo(delta.to()) >= 0) {
            throw new IllegalStateException("delta " + delta.from() + "->" + delta.to() + " of " + deviceId
                    + " does not apply to version " + version());
        }
        // Checked before anything changes, so that a refused delta leaves this copy as it was.
        List<DefaultFlowEntry> updated = new ArrayList<>(delta.updates().size());
        for (EntryUpdate update : delta.updates()) {
            DefaultFlowEntry held = heldOnly(update.flowId());
            if (held == null) {
                throw new IllegalStateException("delta " + delta.from() + "->" + delta.to() + " of " + deviceId
                        + " updates flow " + update.flowId() + ", which this copy does not hold");
            }
            updated.add(update.applyTo(held));
        }
        List<DefaultFlowEntry> removed = new ArrayList<>(delta.removals().size());
        for (FlowId flowId : delta.removals()) {
            DefaultFlowEntry held = heldOnly(flowId);
            if (held != null) { // none: this copy applied the removal before (it is within the delta's range)
                removed.add(held);
            }
        }
        updated.forEach(e -> store(e, false));
        removed.forEach(e -> delete(e.rule(), false));
        for (FlowEntry entry : delta.upserts()) {
            store(immutable(entry), false);
        }
        if (delta.statistics() != null) {
            tableStatistics = delta.statistics();
        }
        versionTerm = delta.to().term();
        clock = delta.to().clock();
        acknowledged = version();
        resetDirty();
        publishSize();
    }

    /** A consistent copy of the whole table. */
    record Snapshot(TableVersion version, List<FlowEntry> entries, List<TableStatisticsEntry> statistics) {
    }

    /** Returns a consistent copy of the whole table (the entries are immutable; only references are copied). */
    synchronized Snapshot snapshot() {
        return new Snapshot(version(), entries(), tableStatistics);
    }

    /** Replaces the whole table with a snapshot's content and version. */
    synchronized void install(TableVersion snapshotVersion, List<FlowEntry> entries, List<TableStatisticsEntry> stats) {
        Arrays.fill(buckets, null);
        Arrays.fill(stateCounts, 0);
        size = 0;
        for (FlowEntry entry : entries) {
            store(immutable(entry), false);
        }
        tableStatistics = stats == null ? List.of() : List.copyOf(stats);
        versionTerm = snapshotVersion.term();
        clock = snapshotVersion.clock();
        acknowledged = version();
        resetDirty();
        publishSize();
    }

    /**
     * Applies a device's report of an entry (see {@code FlowRuleStore.addOrUpdateFlowRule}).
     *
     * <p>What a report confirms of a flow the store already wants on the device (a pending addition
     * now ADDED, new counters, its age) stays on the master: it does not change the table's version
     * and is not replicated. A standby that becomes master learns it again from the device's first
     * report, which it reconciles anyway (counters are the device's, and the new master must check
     * what the device holds). Replicating it sent every flow of every report to every standby: with
     * devices reporting every second, as many changes as the writes themselves in the cluster bench.
     * A report that changes what the store wants, a flow it did not hold (imported) or one that had
     * FAILED, is replicated like a write.
     *
     * @param reported the entry as the device reports it
     * @param nowMillis the time to record as last seen
     * @return the event
     */
    synchronized FlowRuleEvent report(FlowEntry reported, long nowMillis) {
        DefaultFlowEntry stored = find(reported);
        if (stored == null) {
            DefaultFlowEntry added = DefaultFlowEntry.copyOf(reported).state(FlowEntryState.ADDED)
                    .lastSeen(nowMillis).build();
            store(added);
            publishSize();
            return new FlowRuleEvent(FlowRuleEvent.Type.RULE_ADDED, added);
        }
        boolean wasPresent = stored.state() == FlowEntryState.ADDED || stored.state() == FlowEntryState.PENDING_REMOVE;
        DefaultFlowEntry updated = DefaultFlowEntry.copyOf(stored)
                .state(stored.state() == FlowEntryState.PENDING_REMOVE ? FlowEntryState.PENDING_REMOVE : FlowEntryState.ADDED)
                .life(reported.life()).packets(reported.packets()).bytes(reported.bytes())
                .lastSeen(nowMillis).build();
        store(updated, FlowBucket.wanted(updated.state()) != FlowBucket.wanted(stored.state()));
        return new FlowRuleEvent(wasPresent ? FlowRuleEvent.Type.RULE_UPDATED : FlowRuleEvent.Type.RULE_ADDED, updated);
    }

    /** Removes an entry; returns RULE_REMOVED with the entry in state REMOVED, or null. */
    synchronized FlowRuleEvent remove(FlowRule rule) {
        DefaultFlowEntry removed = delete(rule);
        publishSize();
        return removed == null ? null
                : new FlowRuleEvent(FlowRuleEvent.Type.RULE_REMOVED, removed.withState(FlowEntryState.REMOVED));
    }

    /** Moves an ADDED entry back to PENDING_ADD; returns RULE_UPDATED, or null. */
    synchronized FlowRuleEvent pending(FlowRule rule) {
        DefaultFlowEntry stored = find(rule);
        if (stored == null || stored.state() != FlowEntryState.ADDED) {
            return null;
        }
        DefaultFlowEntry pending = stored.withState(FlowEntryState.PENDING_ADD);
        store(pending);
        return new FlowRuleEvent(FlowRuleEvent.Type.RULE_UPDATED, pending);
    }

    /** Marks FAILED the entries of rules a device refused, except those being removed. */
    synchronized void markFailed(Collection<? extends FlowRule> rules) {
        for (FlowRule rule : rules) {
            DefaultFlowEntry stored = find(rule);
            if (stored != null && stored.state() != FlowEntryState.PENDING_REMOVE) {
                store(stored.withState(FlowEntryState.FAILED));
            }
        }
    }

    /** Removes every entry; returns how many there were. */
    synchronized int purge() {
        return purgeIf(e -> true);
    }

    /** Removes the entries of an application; returns how many there were. */
    synchronized int purge(ApplicationId appId) {
        return purgeIf(e -> e.appId().equals(appId));
    }

    synchronized FlowEntry get(FlowRule rule) {
        return find(rule);
    }

    synchronized FlowEntry get(FlowId flowId) {
        FlowBucket bucket = buckets[bucketIndex(flowId.matchHash())];
        return bucket == null ? null : bucket.get(flowId.value());
    }

    /**
     * Returns the entry with a flow id, or null.
     *
     * @throws IllegalStateException if two entries have it (two matches whose 48-bit hashes
     *     collide, of one application): a change named by id cannot say which
     */
    private DefaultFlowEntry heldOnly(FlowId flowId) {
        FlowBucket bucket = buckets[bucketIndex(flowId.matchHash())];
        if (bucket == null) {
            return null;
        }
        try {
            return bucket.getOnly(flowId.value());
        } catch (IllegalStateException e) {
            throw new IllegalStateException(deviceId + ": " + e.getMessage()
                    + ": a change named by that id is ambiguous");
        }
    }

    /** Returns a snapshot of every entry. */
    synchronized List<FlowEntry> entries() {
        List<FlowEntry> all = new ArrayList<>(size);
        for (FlowBucket bucket : buckets) {
            if (bucket != null) {
                bucket.forEach(all::add);
            }
        }
        return all;
    }

    synchronized int count() {
        return size;
    }

    /** This copy's term, count and digest (the XOR of its buckets' digests), read together. */
    record Summary(long term, int count, long digest) {
    }

    synchronized Summary summary() {
        long digest = 0;
        for (FlowBucket bucket : buckets) {
            digest ^= bucket == null ? 0 : bucket.digest();
        }
        return new Summary(Math.max(term, activeTerm), size, digest);
    }

    synchronized int count(FlowEntryState state) {
        return stateCounts[state.ordinal()];
    }

    /** Returns the count of every state, in the states' order, read together. */
    synchronized List<Integer> countsByState() {
        return Arrays.stream(stateCounts).boxed().toList();
    }

    synchronized void setTableStatistics(List<TableStatisticsEntry> statistics) {
        this.tableStatistics = List.copyOf(statistics);
        statisticsDirty = true;
        versionTerm = term;
        clock++;
    }

    synchronized List<TableStatisticsEntry> tableStatistics() {
        return tableStatistics;
    }


    /** This copy's version with its bucket digests, read together. */
    record Digests(TableVersion version, long[] digests) {
    }

    /** Returns the version and the digest of every bucket, read together. */
    synchronized Digests versionedDigests() {
        return new Digests(version(), digests());
    }

    /** Returns every entry of some buckets. */
    synchronized List<FlowEntry> entriesOf(List<Integer> bucketIndexes) {
        List<FlowEntry> entries = new ArrayList<>();
        for (int index : bucketIndexes) {
            if (index >= 0 && index < BUCKET_COUNT && buckets[index] != null) {
                buckets[index].forEach(entries::add);
            }
        }
        return entries;
    }

    /**
     * Replaces the content of some buckets with the master's, if this copy is still at the
     * master's version.
     *
     * @return true when replaced, false when this copy moved on meanwhile
     */
    synchronized boolean replaceBuckets(TableVersion atVersion, List<Integer> bucketIndexes, List<FlowEntry> entries) {
        if (!version().equals(atVersion)) {
            return false;
        }
        for (int index : bucketIndexes) {
            FlowBucket bucket = buckets[index];
            if (bucket != null) {
                List<DefaultFlowEntry> old = new ArrayList<>();
                bucket.forEach(old::add);
                old.forEach(e -> delete(e.rule(), false));
            }
        }
        for (FlowEntry entry : entries) {
            if (bucketIndexes.contains(bucketIndex(entry.id().matchHash()))) {
                store(immutable(entry), false);
            }
        }
        publishSize();
        return true;
    }

    /** Returns the digest of every bucket, index by index (0 for an empty bucket). */
    synchronized long[] digests() {
        long[] digests = new long[BUCKET_COUNT];
        for (int i = 0; i < BUCKET_COUNT; i++) {
            digests[i] = buckets[i] == null ? 0 : buckets[i].digest();
        }
        return digests;
    }

    private static DefaultFlowEntry immutable(FlowEntry entry) {
        return entry instanceof DefaultFlowEntry e ? e : DefaultFlowEntry.copyOf(entry).build();
    }

    private DefaultFlowEntry find(FlowRule rule) {
        FlowBucket bucket = buckets[bucketIndex(rule.id().matchHash())];
        return bucket == null ? null : bucket.get(rule);
    }

    private void store(DefaultFlowEntry entry) {
        store(entry, true);
    }

    /**
     * Stores an entry. A versioned change advances the version and is remembered for the next cut (a change the
     * standbys must get); an unversioned one is a change applied from the master's delta or snapshot, or one only
     * the master keeps (what its device reported, see {@link #report}).
     */
    private void store(DefaultFlowEntry entry, boolean versioned) {
        int index = bucketIndex(entry.id().matchHash());
        FlowBucket bucket = buckets[index];
        if (bucket == null) {
            bucket = new FlowBucket();
            buckets[index] = bucket;
        }
        DefaultFlowEntry old = bucket.put(entry);
        if (old == null) {
            size++;
        } else {
            stateCounts[old.state().ordinal()]--;
        }
        stateCounts[entry.state().ordinal()]++;
        if (versioned) {
            versionTerm = term;
            // The rule instance is kept by state and counter changes (withState, copyOf): the standbys hold it then.
            dirty.merge(entry.rule(), new Change(entry, old == null ? null : old.id(),
                    old != null && old.rule() == entry.rule()), Change::then);
            bucket.stamp(term, ++clock);
        } else {
            bucket.stamp(versionTerm, clock);
        }
    }

    private DefaultFlowEntry delete(FlowRule rule) {
        return delete(rule, true);
    }

    private DefaultFlowEntry delete(FlowRule rule, boolean versioned) {
        FlowBucket bucket = buckets[bucketIndex(rule.id().matchHash())];
        DefaultFlowEntry old = bucket == null ? null : bucket.remove(rule);
        if (old != null) {
            size--;
            stateCounts[old.state().ordinal()]--;
            if (versioned) {
                versionTerm = term;
                dirty.merge(old.rule(), new Change(null, old.id(), false), Change::then);
                bucket.stamp(term, ++clock);
            } else {
                bucket.stamp(versionTerm, clock);
            }
        }
        return old;
    }

    private int purgeIf(Predicate<DefaultFlowEntry> condition) {
        List<DefaultFlowEntry> doomed = new ArrayList<>();
        for (FlowBucket bucket : buckets) {
            if (bucket != null) {
                bucket.forEach(e -> {
                    if (condition.test(e)) {
                        doomed.add(e);
                    }
                });
            }
        }
        doomed.forEach(e -> delete(e.rule()));
        publishSize();
        return doomed.size();
    }

    /** The top bits of the 48-bit match hash pick the bucket; the bucket mixes all of them for slots. */
    private static int bucketIndex(long matchHash) {
        return (int) (matchHash >>> (FlowId.MATCH_HASH_BITS - BUCKET_BITS)) & (BUCKET_COUNT - 1);
    }
}
