package org.flowstore.store.flow;

import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.output;
import static org.flowstore.testing.TestFlows.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntryState;

class FlowBucketTest {

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemoves() {
        FlowBucket bucket = new FlowBucket();
        Map<DefaultFlowRule, DefaultFlowEntry> model = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 50_000; step++) {
            DefaultFlowRule rule = rule(device(1), random.nextInt(2_000));
            if (random.nextInt(3) == 0) {
                assertSame(model.remove(rule), bucket.remove(rule), "remove at step " + step);
            } else {
                DefaultFlowEntry entry = DefaultFlowEntry.builder(rule).packets(step).build();
                assertSame(model.put(rule, entry), bucket.put(entry), "put at step " + step);
            }
            assertEquals(model.size(), bucket.size());
        }
        for (int i = 0; i < 2_000; i++) {
            DefaultFlowRule rule = rule(device(1), i);
            assertSame(model.get(rule), bucket.get(rule));
            assertSame(model.get(rule), bucket.get(rule.id().value()));
        }
        List<DefaultFlowEntry> all = new ArrayList<>();
        bucket.forEach(all::add);
        assertEquals(model.size(), all.size());
    }

    @Test
    void matchesWhoseHashesShareTheLowHalfAreKeptApart() {
        // Three match hashes that agree in their low 32 bits and differ above; later a fourth rule shares a whole id.
        List<DefaultFlowRule> rules = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rules.add(DefaultFlowRule.copyOf(rule(device(1), i)).withMatchHash((long) (i + 1) << 32 | 0xBEEF).build());
        }
        assertEquals(0x3_0000_BEEFL, rules.get(2).id().matchHash());
        FlowBucket bucket = new FlowBucket();
        rules.forEach(r -> assertNull(bucket.put(DefaultFlowEntry.pendingAdd(r))));
        for (DefaultFlowRule r : rules) {
            assertSame(r, bucket.get(r).rule());
            assertSame(r, bucket.get(r.id().value()).rule());
            assertSame(r, bucket.getOnly(r.id().value()).rule());
        }
        DefaultFlowRule collision = DefaultFlowRule.copyOf(rule(device(1), 9)).withMatchHash(0x2_0000_BEEFL).build();
        assertEquals(rules.get(1).id(), collision.id());
        bucket.put(DefaultFlowEntry.pendingAdd(collision));
        assertThrows(IllegalStateException.class, () -> bucket.getOnly(collision.id().value()));
        assertSame(collision, bucket.remove(collision).rule());
        assertSame(rules.get(0), bucket.remove(rules.get(0)).rule());
        assertNull(bucket.get(rules.get(0)));
        assertSame(rules.get(2), bucket.get(rules.get(2).id().value()).rule());
        assertEquals(2, bucket.size());
    }

    @Test
    void digestDependsOnWhatTheStoreWantsNotOnOrderConfirmationsOrCounters() {
        List<DefaultFlowEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entries.add(DefaultFlowEntry.pendingAdd(rule(device(1), i)));
        }
        FlowBucket a = new FlowBucket();
        entries.forEach(a::put);
        Collections.shuffle(entries, new Random(3));
        FlowBucket b = new FlowBucket();
        entries.forEach(b::put);
        assertEquals(a.digest(), b.digest());

        DefaultFlowEntry first = entries.get(0);
        b.put(DefaultFlowEntry.copyOf(first).packets(99).build());
        assertEquals(a.digest(), b.digest(), "counters do not count");
        b.put(first.withState(FlowEntryState.ADDED));
        assertEquals(a.digest(), b.digest(), "a device's confirmation does not count (it stays on the master)");
        b.put(first.withState(FlowEntryState.PENDING_REMOVE));
        assertNotEquals(a.digest(), b.digest(), "what the store wants of the flow counts");
        b.put(first.withRule(DefaultFlowRule.copyOf(first.rule()).withTreatment(output(1000)).build()));
        assertNotEquals(a.digest(), b.digest(), "treatment counts");
        b.put(first);
        assertEquals(a.digest(), b.digest());
        a.remove(rule(device(1), 0));
        for (int i = 1; i < 300; i++) {
            a.remove(rule(device(1), i));
        }
        assertEquals(0, a.digest());
        assertNull(a.get(rule(device(1), 5)));
    }
}
