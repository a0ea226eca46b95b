package org.flowstore.api;

import static org.flowstore.testing.TestFlows.APP;
import static org.flowstore.testing.TestFlows.OTHER_APP;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.output;
import static org.flowstore.testing.TestFlows.rule;
import static org.flowstore.testing.TestFlows.selector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.google.common.collect.Lists;
import com.google.common.testing.EqualsTester;
import org.junit.jupiter.api.Test;

import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;

class FlowModelTest {

    private static final DeviceId D1 = device(1);

    @Test
    void flowIdIsStableAcrossNodesAndRestarts() {
        // Pinned: a change here changes every stored flow id, which breaks mixed-version clusters.
        DefaultFlowRule r = rule(D1, 42);
        assertEquals(7, r.id().appId());
        assertEquals(0x0007_0000_0000_0000L, r.id().value() & 0xFFFF_0000_0000_0000L);
        assertEquals(r.id(), rule(D1, 42).id());
        assertEquals(GOLDEN_ID_OF_RULE_42, r.id().value(), "flow id of rule 42 changed: " + r.id());
    }

    /** Computed once, in another JVM, from the canonical encoding; never from JVM hash codes. */
    private static final long GOLDEN_ID_OF_RULE_42 = 0x0007_21be_165b_747aL;

    @Test
    void flowIdDependsOnMatchNotOnTreatmentOrOrder() {
        DefaultFlowRule a = rule(D1, 1, APP, output(1));
        DefaultFlowRule b = rule(D1, 1, APP, output(2));
        DefaultFlowRule other = rule(D1, 1, OTHER_APP, output(1));
        assertEquals(a.id(), b.id());
        assertEquals(a.id().matchHash(), other.id().matchHash());
        assertNotEquals(a.id(), other.id());
        TrafficSelector reordered = TrafficSelector.builder()
                .add(selector(1).getCriterion(Criterion.Type.IPV4_DST))
                .matchEthType(Criteria.ETH_TYPE_IPV4)
                .add(selector(1).getCriterion(Criterion.Type.IN_PORT))
                .build();
        assertEquals(selector(1), reordered);
        assertNotEquals(rule(D1, 1).id(), rule(device(2), 1).id());
        assertNotEquals(rule(D1, 1).id(), rule(D1, 2).id());
    }

    @Test
    void aSelectorIsTheSameWhateverTheOrderItsCriteriaWereAddedIn() {
        // A field's plain and masked kinds share an OXM field number: the order between them is fixed too.
        MacAddress mac = MacAddress.valueOf("00:00:00:00:00:01");
        Criterion plain = Criteria.matchEthDst(mac);
        Criterion masked = Criteria.matchEthDstMasked(mac, MacAddress.valueOf("ff:ff:ff:00:00:00"));
        List<Criterion> many = List.of(masked, Criteria.matchIPProtocol(6), plain,
                Criteria.matchInPort(PortNumber.portNumber(2)), Criteria.matchEthType(Criteria.ETH_TYPE_IPV4),
                Criteria.matchVlanId(VlanId.vlanId(10)));
        TrafficSelector.Builder forward = TrafficSelector.builder();
        many.forEach(forward::add);
        TrafficSelector.Builder backward = TrafficSelector.builder();
        Lists.reverse(many).forEach(backward::add);
        TrafficSelector a = forward.build();
        TrafficSelector b = backward.build();
        assertEquals(a, b);
        assertEquals(List.of(Criterion.Type.IN_PORT, Criterion.Type.ETH_DST, Criterion.Type.ETH_DST_MASKED,
                Criterion.Type.ETH_TYPE, Criterion.Type.VLAN_VID, Criterion.Type.IP_PROTO),
                a.criteria().stream().map(Criterion::type).toList());
        assertEquals(DefaultFlowRule.matchHash(D1, 0, 10, a), DefaultFlowRule.matchHash(D1, 0, 10, b));
        // A later criterion of a kind replaces the earlier one; a builder built once goes on unchanged.
        TrafficSelector replaced = forward.matchIPProtocol(17).build();
        assertEquals(6, replaced.criteria().size());
        assertEquals(Criteria.matchIPProtocol(17), replaced.getCriterion(Criterion.Type.IP_PROTO));
        assertEquals(Criteria.matchIPProtocol(6), a.getCriterion(Criterion.Type.IP_PROTO));
    }

    @Test
    void aMatchHashComputedElsewhereIsTakenAsGivenAndMustHave48Bits() {
        DefaultFlowRule computed = rule(D1, 42);
        DefaultFlowRule given = DefaultFlowRule.copyOf(computed).withMatchHash(computed.id().matchHash()).build();
        assertEquals(computed.id(), given.id());
        assertTrue(computed.exactMatch(given));
        assertThrows(IllegalArgumentException.class,
                () -> DefaultFlowRule.copyOf(computed).withMatchHash(1L << FlowId.MATCH_HASH_BITS));
    }

    @Test
    void rulesAreEqualByMatchIdentity() {
        new EqualsTester()
                .addEqualityGroup(rule(D1, 1, APP, output(1)), rule(D1, 1, APP, output(2)), rule(D1, 1, OTHER_APP, output(3)))
                .addEqualityGroup(rule(D1, 2))
                .addEqualityGroup(rule(device(2), 1))
                .addEqualityGroup(DefaultFlowRule.copyOf(rule(D1, 1)).withPriority(5).build())
                .addEqualityGroup(DefaultFlowRule.copyOf(rule(D1, 1)).forTable(3).build())
                .testEquals();
        assertTrue(rule(D1, 1, APP, output(1)).exactMatch(rule(D1, 1, APP, output(1))));
        assertFalse(rule(D1, 1, APP, output(1)).exactMatch(rule(D1, 1, APP, output(2))));
    }

    @Test
    void entriesAreEqualByEveryField() {
        DefaultFlowEntry e = DefaultFlowEntry.pendingAdd(rule(D1, 1));
        new EqualsTester()
                .addEqualityGroup(e, DefaultFlowEntry.pendingAdd(rule(D1, 1)))
                .addEqualityGroup(e.withState(FlowEntryState.ADDED))
                .addEqualityGroup(DefaultFlowEntry.copyOf(e).packets(5).build())
                .addEqualityGroup(DefaultFlowEntry.pendingAdd(rule(D1, 1, APP, output(9))))
                .testEquals();
        assertSame(e, e.withState(FlowEntryState.PENDING_ADD));
        assertEquals(rule(D1, 1), DefaultFlowEntry.builder(e).build().rule());
    }

    @Test
    void withRuleKeepsStateAndCountersAndRefusesAnotherMatch() {
        DefaultFlowEntry e = DefaultFlowEntry.copyOf(DefaultFlowEntry.pendingAdd(rule(D1, 1)))
                .state(FlowEntryState.ADDED).packets(10).bytes(1000).life(3).build();
        DefaultFlowEntry modified = e.withRule(rule(D1, 1, APP, output(40)));
        assertEquals(output(40), modified.treatment());
        assertEquals(10, modified.packets());
        assertEquals(1000, modified.bytes());
        assertEquals(FlowEntryState.ADDED, modified.state());
        assertThrows(IllegalArgumentException.class, () -> e.withRule(rule(D1, 2)));
    }

    @Test
    void builderNamesTheBadField() {
        assertMessage("deviceId", () -> DefaultFlowRule.builder().withPriority(1).fromApp(APP).makePermanent().build());
        assertMessage("priority", () -> DefaultFlowRule.builder().forDevice(D1).fromApp(APP).makePermanent().build());
        assertMessage("priority", () -> DefaultFlowRule.builder().forDevice(D1).withPriority(70000).fromApp(APP)
                .makePermanent().build());
        assertMessage("tableId", () -> DefaultFlowRule.copyOf(rule(D1, 1)).forTable(255).build());
        assertMessage("appId", () -> DefaultFlowRule.builder().forDevice(D1).withPriority(1).makePermanent().build());
        assertMessage("makePermanent", () -> DefaultFlowRule.builder().forDevice(D1).withPriority(1).fromApp(APP).build());
        assertMessage("idleTimeout", () -> DefaultFlowRule.copyOf(rule(D1, 1)).makeTemporary(-1).build());
        assertMessage("IPV4_DST", () -> Criteria.matchIPDst(IpPrefix.valueOf("::1")));
        assertMessage("TCP_SRC", () -> new TransportPortCriterion(Criterion.Type.TCP_SRC, 70000));
        assertMessage("IPCriterion", () -> new IPCriterion(Criterion.Type.ETH_TYPE, IpPrefix.valueOf("1.2.3.4")));
    }

    @Test
    void treatmentsAreInternedAndSelectorsCanonical() {
        assertSame(output(3), output(3));
        assertSame(TrafficTreatment.builder().build(), TrafficTreatment.EMPTY);
        assertSame(TrafficSelector.builder().build(), TrafficSelector.EMPTY);
        assertSame(Criteria.matchInPort(PortNumber.portNumber(7)), Criteria.matchInPort(PortNumber.portNumber(7)));
        assertEquals(output(3).fingerprint(), TrafficTreatment.builder().setOutput(PortNumber.portNumber(3)).build()
                .fingerprint());
        assertNotEquals(output(3).fingerprint(), output(4).fingerprint());
        assertNull(selector(1).getCriterion(Criterion.Type.ETH_SRC));
        assertEquals(3, selector(1).criteria().size());
        assertEquals(List.of(Criterion.Type.IN_PORT, Criterion.Type.ETH_TYPE, Criterion.Type.IPV4_DST),
                selector(1).criteria().stream().map(Criterion::type).toList());
    }

    @Test
    void batchesCheckTheirRulesAndEventsTheirResults() {
        assertMessage("holds a rule of device", () -> new FlowRuleBatchOperation(
                List.of(new FlowRuleBatchEntry(FlowRuleOperation.ADD, rule(device(2), 1))), D1, 1));
        assertMessage("needs a reason", () -> new CompletedBatchOperation(false, List.of(), D1, ""));
        assertMessage("has failure NONE", () -> new CompletedBatchOperation(false, List.of(), D1,
                CompletedBatchOperation.Failure.NONE, "lost"));
        FlowRuleBatchRequest request = new FlowRuleBatchRequest(5, List.of());
        assertMessage("needs a result", () -> new FlowRuleBatchEvent(
                FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED, request, D1, null));
        FlowRuleBatchEvent done = FlowRuleBatchEvent.completed(request, CompletedBatchOperation.succeeded(D1));
        assertEquals(5, done.batchId());
        assertEquals(D1, done.deviceId());
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        Exception e = assertThrows(RuntimeException.class, call);
        assertTrue(e.getMessage() != null && e.getMessage().contains(fragment),
                "message should name '" + fragment + "': " + e.getMessage());
    }
}
