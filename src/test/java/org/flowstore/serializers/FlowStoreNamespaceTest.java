package org.flowstore.serializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.testing.TestFlows;

class FlowStoreNamespaceTest {

    private final StoreSerializer serializer = new StoreSerializer();

    /** One test per registered type, generated from the registrations: a new type cannot be left out. */
    @TestFactory
    List<DynamicTest> everyRegisteredTypeRoundTrips() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Registration<?> r : FlowStoreNamespace.registrations()) {
            tests.add(DynamicTest.dynamicTest(r.id() + " " + r.type().getSimpleName(), () -> {
                List<?> samples = WireSamples.SAMPLES.get(r.type());
                assertNotNull(samples, "WireSamples has no sample of registered type " + r.type().getName());
                for (Object sample : samples) {
                    byte[] bytes = serializer.encode(sample);
                    Object decoded = serializer.decode(bytes);
                    assertEquals(sample, decoded);
                    assertEquals(sample.getClass(), decoded.getClass());
                    // Same bytes again: every field survived, not only those equals() looks at.
                    assertArrayEquals(bytes, serializer.encode(decoded), "re-encoding " + sample);
                }
            }));
        }
        return tests;
    }

    @Test
    void samplesCoverOnlyRegisteredTypes() {
        Set<Class<?>> registered = new HashSet<>();
        FlowStoreNamespace.registrations().forEach(r -> registered.add(r.type()));
        for (Class<?> sampled : WireSamples.SAMPLES.keySet()) {
            assertTrue(registered.contains(sampled), sampled + " has samples but is not registered");
        }
    }

    /** Ids are the wire format: this list only ever grows. */
    @Test
    void registrationIdsNeverChange() {
        Map<String, Integer> actual = new LinkedHashMap<>();
        FlowStoreNamespace.registrations().forEach(r -> actual.put(r.type().getSimpleName(), r.id()));
        Map<String, Integer> golden = new LinkedHashMap<>();
        String[] names = {"DeviceId", "NodeId", "ApplicationId", "PortNumber", "MacAddress", "VlanId", "IpAddress",
                "IpPrefix", "FlowId"};
        for (int i = 0; i < names.length; i++) {
            golden.put(names[i], 100 + i);
        }
        String[] criteria = {"PortCriterion", "EthCriterion", "EthTypeCriterion", "VlanIdCriterion",
                "IPProtocolCriterion", "IPCriterion", "TransportPortCriterion", "TrafficSelector", "FieldCriterion",
                "OpticalCriterion", "PiCriterion", "ExtensionCriterion"};
        for (int i = 0; i < criteria.length; i++) {
            golden.put(criteria[i], 120 + i);
        }
        String[] instructions = {"OutputInstruction", "GroupInstruction", "MeterInstruction", "TableTypeTransition",
                "SetQueueInstruction", "NoActionInstruction", "ModEtherInstruction", "ModVlanIdInstruction",
                "ModVlanPcpInstruction", "ModVlanHeaderInstruction", "ModIPInstruction", "ModTtlInstruction",
                "ModTransportPortInstruction", "TrafficTreatment", "ModL2FieldInstruction", "ModHeaderInstruction",
                "ModMplsTtlInstruction", "ModL3FieldInstruction", "ModArpEthInstruction", "WriteMetadataInstruction"};
        for (int i = 0; i < instructions.length; i++) {
            golden.put(instructions[i], 140 + i);
        }
        String[] model = {"DefaultFlowRule", "DefaultFlowEntry", "FlowEntryState", "FlowRuleOperation",
                "FlowRuleBatchEntry", "FlowRuleBatchOperation", "FlowRuleBatchRequest", "CompletedBatchOperation",
                "FlowRuleBatchEvent", "FlowRuleEvent", "TableStatisticsEntry", "FlowLiveType"};
        for (int i = 0; i < model.length; i++) {
            golden.put(model[i], 160 + i);
        }
        String[] moreInstructions = {"SetFieldInstruction", "ModOchSignalInstruction", "ModOduSignalIdInstruction",
                "PiInstruction", "ExtensionInstruction"};
        for (int i = 0; i < moreInstructions.length; i++) {
            golden.put(moreInstructions[i], 180 + i);
        }
        String[] messages = {"Reply", "EntryQuery", "CountQuery", "TotalCountQuery", "PurgeRequest",
                "TableStatisticsUpdate", "ValueList", "TableVersion", "BackupDelta", "BackupAck", "SnapshotChunk",
                "SnapshotRequest", "DigestCheck", "DigestResult", "BucketRepair", "VersionQuery",
                "BatchCompletion"};
        for (int i = 0; i < messages.length; i++) {
            golden.put(messages[i], 200 + i);
        }
        assertEquals(golden, actual);
        assertEquals(List.of("PENDING_ADD", "ADDED", "PENDING_REMOVE", "REMOVED", "FAILED"),
                List.of(FlowEntryState.values()).stream().map(Enum::name).toList(), "enum order is wire format");
        assertEquals(List.of("ADD", "MODIFY", "REMOVE"),
                List.of(FlowRuleOperation.values()).stream().map(Enum::name).toList(), "enum order is wire format");
    }

    @Test
    void idsAreUniqueAndAboveKryosOwn() {
        Set<Integer> ids = new HashSet<>();
        for (Registration<?> r : FlowStoreNamespace.registrations()) {
            assertTrue(r.id() >= FlowStoreNamespace.FIRST_ID, r + " below the namespace");
            assertTrue(ids.add(r.id()), "id " + r.id() + " used twice");
        }
    }

    @Test
    void nullAndPlainValuesRoundTrip() {
        assertNull(serializer.decode(serializer.encode(null)));
        assertEquals("text é", serializer.decode(serializer.encode("text é")));
        assertEquals(42, (Integer) serializer.decode(serializer.encode(42)));
        assertEquals(true, serializer.decode(serializer.encode(Boolean.TRUE)));
    }

    @Test
    void aDesignTargetRuleIsCompactOnTheWire() {
        int bytes = serializer.encode(TestFlows.rule(TestFlows.device(1), 12345)).length;
        assertTrue(bytes < 80, "a typical rule takes " + bytes + " bytes");
    }
}
