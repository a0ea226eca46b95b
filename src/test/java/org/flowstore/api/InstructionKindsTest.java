package org.flowstore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction.L3SubType;
import org.flowstore.api.flow.instructions.ModHeaderInstruction;
import org.flowstore.api.flow.instructions.ModIPInstruction;
import org.flowstore.api.flow.instructions.ModL2FieldInstruction;
import org.flowstore.api.flow.instructions.ModL3FieldInstruction;
import org.flowstore.api.flow.instructions.ModTtlInstruction;
import org.flowstore.api.flow.instructions.SetFieldInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.testing.CriterionSamples;
import org.flowstore.testing.InstructionSamples;
import org.flowstore.testing.TestFlows;

/**
 * Every instruction kind ({@link InstructionSamples}: every type, subtype and settable field):
 * equal values are equal and different kinds differ, checks name the field, and the flow id of a
 * rule taking the action is pinned.
 */
class InstructionKindsTest {

    static Stream<Instruction> samples() {
        return InstructionSamples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void aSampleEqualsOnlyItself(Instruction sample) {
        long equal = InstructionSamples.all().stream().filter(sample::equals).count();
        assertEquals(1, equal, sample + " equals another sample");
        assertEquals(sample.hashCode(), InstructionSamples.all().stream().filter(sample::equals).findFirst()
                .orElseThrow().hashCode());
    }

    @Test
    void theFingerprintsOfTreatmentsTakingEachActionAreDistinctAndNeverChange() {
        // A flow id hashes the match only (a MODIFY keeps it); the treatment's fingerprint (copies are
        // compared by it) is what the canonical encoding of an instruction feeds.
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Instruction i : InstructionSamples.all()) {
            ids.put(i.toString(), TrafficTreatment.builder().add(i).build().fingerprint());
        }
        assertEquals(InstructionSamples.all().size(), ids.values().stream().distinct().count(), ids.toString());
        // One pinned id per form of the canonical encoding (a modification, a header operation, a field set).
        assertEquals(PINNED, Map.of(
                "DEC_MPLS_TTL", ids.get("DEC_MPLS_TTL"),
                "MPLS_PUSH:0x8847", ids.get("MPLS_PUSH:0x8847"),
                "TTL_OUT", ids.get("TTL_OUT"),
                "SET_FIELD:MPLS_TC:4", ids.get("SET_FIELD:MPLS_TC:4"),
                "QUEUE:7/3", ids.get("QUEUE:7/3")));
    }

    @Test
    void valuesTheFieldCannotHoldAreRefusedNamingIt() {
        assertRefused("MPLS_LABEL is 20 bits", () -> new ModL2FieldInstruction(L2SubType.MPLS_LABEL, 1 << 20));
        assertRefused("MPLS_BOS is 1 bits", () -> new ModL2FieldInstruction(L2SubType.MPLS_BOS, 2));
        assertRefused("IP_DSCP is 6 bits", () -> new ModL3FieldInstruction(L3SubType.IP_DSCP, 64));
        assertRefused("needs MPLS_LABEL", () -> new ModL2FieldInstruction(L2SubType.VLAN_ID, 1));
        assertRefused("MPLS_PUSH ethernetType", () -> new ModHeaderInstruction(L2SubType.MPLS_PUSH, 0x10000));
        assertRefused("ARP_SPA needs an IPv4", () -> new ModIPInstruction(L3SubType.ARP_SPA, IpAddress.valueOf("::1")));
        assertRefused("needs DEC_TTL, TTL_OUT or TTL_IN", () -> new ModTtlInstruction(L3SubType.IP_TTL));
        assertRefused("QUEUE queueId", () -> new SetQueueInstruction(-1, null));
        assertRefused("SET_FIELD of ETH_DST", () -> new SetFieldInstruction(CriterionSamples.of(Criterion.Type.ETH_DST)));
        assertRefused("SET_FIELD of PBB_ISID takes a value, not a mask",
                () -> new SetFieldInstruction(Criteria.matchField(Criterion.Type.PBB_ISID, 1, 0xF)));
    }

    private static final Map<String, Long> PINNED = Map.of(
            "DEC_MPLS_TTL", 98748609059776602L,
            "MPLS_PUSH:0x8847", 2092691422888874464L,
            "TTL_OUT", 2921949778554664862L,
            "SET_FIELD:MPLS_TC:4", 4263251972548596626L,
            "QUEUE:7/3", -8373260711107754916L);

    private static void assertRefused(String message, Supplier<Instruction> factory) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, factory::get);
        assertTrue(e.getMessage().contains(message), e.getMessage() + " should contain: " + message);
    }

    /** Prints the fingerprints to pin. */
    public static void main(String[] args) {
        for (Instruction i : InstructionSamples.all()) {
            System.out.println(i + " " + TrafficTreatment.builder().add(i).build().fingerprint());
        }
    }
}
