package org.flowstore.store.flow;

import java.util.function.Consumer;

import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;

/**
 * One bucket of a device's flow table: the entries whose match hash falls in it, with the
 * bucket's version and digest, which is what replication and anti-entropy compare.
 *
 * <p>Storage is an open-addressing array of entries probed linearly by match hash, with each
 * slot's flow id beside it (about 20 bytes of table per entry, against about 40 for a
 * {@code HashMap} node), looked up by match identity ({@link FlowRule#sameMatch}) or by full flow
 * id; removal shifts the probe run back, so no tombstones accumulate.
 *
 * <p>The digest is the XOR of the entries' {@linkplain #fingerprint fingerprints}, kept up to
 * date on every change, so two copies with the same digest hold the same entries (what the
 * store wants of each, treatment and options; not what the device confirmed, nor counters, which
 * stay on the master).
 *
 * <p>Not thread-safe: guarded by the monitor of the {@link DeviceFlowTable} that owns it.
 */
final class FlowBucket {

    private static final int INITIAL_CAPACITY = 8;

    private DefaultFlowEntry[] slots = new DefaultFlowEntry[INITIAL_CAPACITY];
    /**
     * Each slot's flow id (its low 48 bits the match hash), beside the slots: a probe compares
     * these and reads an entry only where they agree, and a lookup by id reads no entry but the one
     * it returns. Reading every probed entry and its rule (for the id) missed the cache twice a
     * probe; lookups by id were a fifth of a standby's samples under a cluster bench.
     */
    private long[] ids = new long[INITIAL_CAPACITY];
    private int size;
    private long digest;
    private long term;
    private long clock;

    /** Returns the entry with the same match as a rule, or null. */
    DefaultFlowEntry get(FlowRule rule) {
        long hash = rule.id().matchHash();
        int mask = slots.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            DefaultFlowEntry e = slots[i];
            if (e == null || hashOf(i) == hash && sameMatch(e, rule)) {
                return e;
            }
        }
    }

    /** Returns the entry with a flow id, or null. */
    DefaultFlowEntry get(long flowId) {
        int mask = slots.length - 1;
        for (int i = slot(flowId & FlowId.MATCH_HASH_MASK, mask); ; i = (i + 1) & mask) {
            DefaultFlowEntry e = slots[i];
            if (e == null || ids[i] == flowId) {
                return e;
            }
        }
    }

    /**
     * Returns the only entry with a flow id, or null. Two entries have one id only when two
     * matches' 48-bit hashes collide within one application; both lie in the probe run the hash
     * starts, so the lookup reads that run's ids to its end.
     *
     * @throws IllegalStateException if two entries have the id
     */
    DefaultFlowEntry getOnly(long flowId) {
        int mask = slots.length - 1;
        DefaultFlowEntry found = null;
        for (int i = slot(flowId & FlowId.MATCH_HASH_MASK, mask); slots[i] != null; i = (i + 1) & mask) {
            if (ids[i] == flowId) {
                if (found != null) {
                    throw new IllegalStateException("two flows have id " + FlowId.valueOf(flowId)
                            + " (their match hashes collide)");
                }
                found = slots[i];
            }
        }
        return found;
    }

    /**
     * Stores an entry, replacing the one with the same match.
     *
     * @return the replaced entry, or null
     */
    DefaultFlowEntry put(DefaultFlowEntry entry) {
        if ((size + 1) * 4 > slots.length * 3) {
            resize(slots.length * 2);
        }
        long id = entry.id().value();
        long hash = id & FlowId.MATCH_HASH_MASK;
        int mask = slots.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            DefaultFlowEntry e = slots[i];
            if (e == null) {
                slots[i] = entry;
                ids[i] = id;
                size++;
                digest ^= fingerprint(entry);
                return null;
            }
            if (hashOf(i) == hash && sameMatch(e, entry.rule())) {
                slots[i] = entry;
                ids[i] = id;
                digest ^= fingerprint(e) ^ fingerprint(entry);
                return e;
            }
        }
    }

    /**
     * Removes the entry with the same match as a rule.
     *
     * @return the removed entry, or null
     */
    DefaultFlowEntry remove(FlowRule rule) {
        long hash = rule.id().matchHash();
        int mask = slots.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            DefaultFlowEntry e = slots[i];
            if (e == null) {
                return null;
            }
            if (hashOf(i) == hash && sameMatch(e, rule)) {
                deleteSlot(i);
                size--;
                digest ^= fingerprint(e);
                return e;
            }
        }
    }

    /** Calls an action for every entry; the action must not change this bucket. */
    void forEach(Consumer<? super DefaultFlowEntry> action) {
        for (DefaultFlowEntry e : slots) {
            if (e != null) {
                action.accept(e);
            }
        }
    }

    int size() {
        return size;
    }

    long digest() {
        return digest;
    }

    /** Returns the term of the last change. */
    long term() {
        return term;
    }

    /** Returns the table clock value of the last change. */
    long clock() {
        return clock;
    }

    /** Records the version (mastership term, table clock) of a change just made. */
    void stamp(long changeTerm, long changeClock) {
        this.term = changeTerm;
        this.clock = changeClock;
    }

    /**
     * Returns a 64-bit fingerprint of what an entry means for the device: its id, what the store
     * wants of it, treatment and options, not its counters. PENDING_ADD and ADDED count as one: a
     * device's confirmation stays on its master (see {@code DeviceFlowTable.report}), so a standby
     * holds PENDING_ADD where the master holds ADDED, and the copies agree. Built from stable
     * encodings, so it is the same on every node.
     */
    static long fingerprint(DefaultFlowEntry entry) {
        FlowRule rule = entry.rule();
        long options = ((long) rule.idleTimeout() << 32) ^ ((long) rule.hardTimeout() << 8)
                ^ (rule.isPermanent() ? 1 : 0) ^ ((long) wanted(entry.state()).ordinal() << 1);
        return mix(rule.id().value()) ^ mix(rule.treatment().fingerprint() + options * 0x9E37_79B9_7F4A_7C15L);
    }

    /**
     * What the store wants of a flow in a state: ADDED is PENDING_ADD confirmed by the device, which
     * stays on its master. Copies must agree on it; a change of it must travel to the standbys.
     */
    static FlowEntryState wanted(FlowEntryState state) {
        return state == FlowEntryState.ADDED ? FlowEntryState.PENDING_ADD : state;
    }

    /** The match hash of slot {@code i}. */
    private long hashOf(int i) {
        return ids[i] & FlowId.MATCH_HASH_MASK;
    }

    /**
     * Whether a stored entry, whose match hash equals a rule's, has the rule's match. Callers
     * compare the hashes first (equal matches have equal hashes), so the full comparison of
     * selectors runs only for the entry that matches, not for every entry probed on the way (a
     * profile found it in 44% of a cluster bench's samples); a state or counter change keeps the
     * rule instance, which then is not read at all.
     */
    private static boolean sameMatch(DefaultFlowEntry stored, FlowRule rule) {
        return stored.rule() == rule || stored.rule().sameMatch(rule);
    }

    private void deleteSlot(int hole) {
        int mask = slots.length - 1;
        slots[hole] = null;
        for (int i = (hole + 1) & mask; slots[i] != null; i = (i + 1) & mask) {
            int home = slot(hashOf(i), mask);
            // Move slot i into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                slots[hole] = slots[i];
                ids[hole] = ids[i];
                slots[i] = null;
                hole = i;
            }
        }
    }

    private void resize(int capacity) {
        DefaultFlowEntry[] oldSlots = slots;
        long[] oldIds = ids;
        slots = new DefaultFlowEntry[capacity];
        ids = new long[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldSlots.length; j++) {
            if (oldSlots[j] != null) {
                int i = slot(oldIds[j] & FlowId.MATCH_HASH_MASK, mask);
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = oldSlots[j];
                ids[i] = oldIds[j];
            }
        }
    }

    private static int slot(long matchHash, int mask) {
        return (int) mix(matchHash) & mask;
    }

    /** The MurmurHash3 64-bit finalizer: spreads every input bit over the output. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        h ^= h >>> 33;
        return h;
    }
}
