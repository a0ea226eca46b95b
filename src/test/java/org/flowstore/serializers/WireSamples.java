package org.flowstore.serializers;

import static org.flowstore.testing.TestFlows.APP;
import static org.flowstore.testing.TestFlows.device;
import static org.flowstore.testing.TestFlows.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.common.collect.ImmutableMap;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.NodeId;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowLiveType;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleBatchRequest;
import org.flowstore.api.flow.FlowRuleEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.EthTypeCriterion;
import org.flowstore.api.flow.criteria.ExtensionCriterion;
import org.flowstore.api.flow.criteria.FieldCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.IPProtocolCriterion;
import org.flowstore.api.flow.criteria.OpticalCriterion;
import org.flowstore.api.flow.criteria.PiCriterion;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
import org.flowstore.api.flow.instructions.ExtensionInstruction;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction.L3SubType;
import org.flowstore.api.flow.instructions.L4ModificationInstruction.L4SubType;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.ModArpEthInstruction;
import org.flowstore.api.flow.instructions.ModEtherInstruction;
import org.flowstore.api.flow.instructions.ModHeaderInstruction;
import org.flowstore.api.flow.instructions.ModIPInstruction;
import org.flowstore.api.flow.instructions.ModL2FieldInstruction;
import org.flowstore.api.flow.instructions.ModL3FieldInstruction;
import org.flowstore.api.flow.instructions.ModMplsTtlInstruction;
import org.flowstore.api.flow.instructions.ModOchSignalInstruction;
import org.flowstore.api.flow.instructions.ModOduSignalIdInstruction;
import org.flowstore.api.flow.instructions.ModTransportPortInstruction;
import org.flowstore.api.flow.instructions.ModTtlInstruction;
import org.flowstore.api.flow.instructions.ModVlanHeaderInstruction;
import org.flowstore.api.flow.instructions.ModVlanIdInstruction;
import org.flowstore.api.flow.instructions.ModVlanPcpInstruction;
import org.flowstore.api.flow.instructions.NoActionInstruction;
import org.flowstore.api.flow.instructions.OutputInstruction;
import org.flowstore.api.flow.instructions.PiInstruction;
import org.flowstore.api.flow.instructions.SetFieldInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;
import org.flowstore.api.flow.instructions.WriteMetadataInstruction;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BackupDelta;
import org.flowstore.serializers.protocol.BatchCompletion;
import org.flowstore.serializers.protocol.BucketRepair;
import org.flowstore.serializers.protocol.CountQuery;
import org.flowstore.serializers.protocol.DigestCheck;
import org.flowstore.serializers.protocol.DigestResult;
import org.flowstore.serializers.protocol.EntryQuery;
import org.flowstore.serializers.protocol.EntryUpdate;
import org.flowstore.serializers.protocol.PurgeRequest;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.SnapshotRequest;
import org.flowstore.serializers.protocol.TableStatisticsUpdate;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.serializers.protocol.TotalCountQuery;
import org.flowstore.serializers.protocol.ValueList;
import org.flowstore.serializers.protocol.VersionQuery;
import org.flowstore.testing.CriterionSamples;
import org.flowstore.testing.InstructionSamples;

/** At least one instance of every registered wire type, with edge values where they matter. */
final class WireSamples {

    private WireSamples() {
    }

    static final DeviceId D1 = device(1);

    static final TrafficSelector FULL_SELECTOR = TrafficSelector.builder()
            .matchInPort(PortNumber.portNumber(70000))
            .matchEthSrc(MacAddress.valueOf("00:00:00:00:00:01"))
            .matchEthDst(MacAddress.valueOf("ff:ff:ff:ff:ff:ff"))
            .matchEthType(0x86DD)
            .matchVlanId(VlanId.vlanId(4095))
            .matchIPProtocol(6)
            .add(Criteria.matchIPv6Src(IpPrefix.valueOf("2001:db8::/32")))
            .add(Criteria.matchIPv6Dst(IpPrefix.valueOf("::1/128")))
            .add(Criteria.matchTransportPort(Criterion.Type.TCP_SRC, 0))
            .add(Criteria.matchTransportPort(Criterion.Type.TCP_DST, 65535))
            .build();

    static final TrafficTreatment FULL_TREATMENT = TrafficTreatment.builder()
            .setOutput(PortNumber.CONTROLLER)
            .group(-1)
            .meter(0xFFFF_FFFFL)
            .setQueue(3)
            .add(new ModEtherInstruction(L2SubType.ETH_SRC, MacAddress.valueOf(7)))
            .add(new ModVlanIdInstruction(VlanId.NONE))
            .add(new ModVlanPcpInstruction(7))
            .add(new ModVlanHeaderInstruction(L2SubType.VLAN_PUSH, 0x8100))
            .add(new ModIPInstruction(L3SubType.IPV6_DST, IpAddress.valueOf("fe80::1")))
            .add(new ModTtlInstruction())
            .add(new ModTransportPortInstruction(L4SubType.UDP_SRC, 53))
            .addDeferred(new TableTypeTransition(254))
            .addDeferred(new NoActionInstruction())
            .wipeDeferred()
            .build();

    static final DefaultFlowRule FULL_RULE = DefaultFlowRule.builder().forDevice(D1).forTable(3).withPriority(65535)
            .withSelector(FULL_SELECTOR).withTreatment(FULL_TREATMENT).fromApp(ApplicationId.of(65535, "app.é"))
            .makeTemporary(30).withHardTimeout(65535).build();

    static final DefaultFlowEntry ENTRY = DefaultFlowEntry.builder(FULL_RULE).state(FlowEntryState.PENDING_REMOVE)
            .liveType(FlowLiveType.LONG).life(Long.MAX_VALUE).packets(1).bytes(1L << 40).lastSeen(1_700_000_000_000L)
            .build();

    static final FlowRuleBatchRequest REQUEST = new FlowRuleBatchRequest(-5, List.of(
            new FlowRuleBatchEntry(FlowRuleOperation.ADD, rule(D1, 1)),
            new FlowRuleBatchEntry(FlowRuleOperation.MODIFY, FULL_RULE)));

    static final CompletedBatchOperation FAILED = CompletedBatchOperation.failed(D1, List.of(rule(D1, 1), FULL_RULE),
            "table full");

    /** Samples by class; the round-trip test fails for a registered class missing here. */
    static final Map<Class<?>, List<?>> SAMPLES = ImmutableMap.<Class<?>, List<?>>builder()
            .put(DeviceId.class, List.of(D1, DeviceId.deviceId("netconf:10.0.0.1:830")))
            .put(NodeId.class, List.of(NodeId.nodeId("n1")))
            .put(ApplicationId.class, List.of(APP, ApplicationId.of(0, "x")))
            .put(PortNumber.class, List.of(PortNumber.portNumber(0), PortNumber.ANY, PortNumber.portNumber(5000)))
            .put(MacAddress.class, List.of(MacAddress.valueOf(0), MacAddress.valueOf(MacAddress.MAX_VALUE)))
            .put(VlanId.class, List.of(VlanId.vlanId(0), VlanId.NONE, VlanId.ANY))
            .put(IpAddress.class, List.of(IpAddress.valueOf("0.0.0.0"), IpAddress.valueOf("255.255.255.255"),
                    IpAddress.valueOf("ffff::ffff")))
            .put(IpPrefix.class, List.of(IpPrefix.valueOf("10.0.0.0/8"), IpPrefix.valueOf("::/0")))
            .put(FlowId.class, List.of(FlowId.valueOf(-1), FlowId.valueOf(0)))
            .put(PortCriterion.class, withSamplesOf(PortCriterion.class, Criteria.matchInPort(PortNumber.LOCAL)))
            .put(EthCriterion.class, withSamplesOf(EthCriterion.class, Criteria.matchEthDst(MacAddress.valueOf(9))))
            .put(EthTypeCriterion.class, withSamplesOf(EthTypeCriterion.class, Criteria.matchEthType(0xFFFF)))
            .put(VlanIdCriterion.class, withSamplesOf(VlanIdCriterion.class, Criteria.matchVlanId(VlanId.vlanId(1))))
            .put(IPProtocolCriterion.class, withSamplesOf(IPProtocolCriterion.class, Criteria.matchIPProtocol(255)))
            .put(IPCriterion.class, withSamplesOf(IPCriterion.class, Criteria.matchIPSrc(IpPrefix.valueOf("1.2.3.4/31"))))
            .put(TransportPortCriterion.class, withSamplesOf(TransportPortCriterion.class,
                    Criteria.matchTransportPort(Criterion.Type.UDP_DST, 4789)))
            .put(OpticalCriterion.class, withSamplesOf(OpticalCriterion.class))
            .put(PiCriterion.class, withSamplesOf(PiCriterion.class))
            .put(ExtensionCriterion.class, withSamplesOf(ExtensionCriterion.class))
            .put(FieldCriterion.class, withSamplesOf(FieldCriterion.class,
                    Criteria.matchField(Criterion.Type.TUNNEL_ID, -1L), Criteria.matchField(Criterion.Type.MPLS_BOS, 0)))
            .put(TrafficSelector.class, List.of(TrafficSelector.EMPTY, FULL_SELECTOR))
            .put(OutputInstruction.class, withInstructionsOf(OutputInstruction.class, new OutputInstruction(PortNumber.FLOOD)))
            .put(GroupInstruction.class, withInstructionsOf(GroupInstruction.class, new GroupInstruction(12)))
            .put(MeterInstruction.class, withInstructionsOf(MeterInstruction.class, new MeterInstruction(0)))
            .put(TableTypeTransition.class, withInstructionsOf(TableTypeTransition.class, new TableTypeTransition(0)))
            .put(SetQueueInstruction.class, withInstructionsOf(SetQueueInstruction.class, new SetQueueInstruction(1)))
            .put(NoActionInstruction.class, withInstructionsOf(NoActionInstruction.class, new NoActionInstruction()))
            .put(ModEtherInstruction.class, withInstructionsOf(ModEtherInstruction.class, new ModEtherInstruction(L2SubType.ETH_DST, MacAddress.valueOf(1))))
            .put(ModVlanIdInstruction.class, withInstructionsOf(ModVlanIdInstruction.class, new ModVlanIdInstruction(VlanId.vlanId(100))))
            .put(ModVlanPcpInstruction.class, withInstructionsOf(ModVlanPcpInstruction.class, new ModVlanPcpInstruction(0)))
            .put(ModVlanHeaderInstruction.class, withInstructionsOf(ModVlanHeaderInstruction.class, new ModVlanHeaderInstruction(L2SubType.VLAN_POP, 0)))
            .put(ModIPInstruction.class, withInstructionsOf(ModIPInstruction.class, new ModIPInstruction(L3SubType.IPV4_SRC, IpAddress.valueOf("1.1.1.1"))))
            .put(ModTtlInstruction.class, withInstructionsOf(ModTtlInstruction.class, new ModTtlInstruction()))
            .put(ModTransportPortInstruction.class, withInstructionsOf(ModTransportPortInstruction.class, new ModTransportPortInstruction(L4SubType.TCP_DST, 80)))
            .put(ModL2FieldInstruction.class, withInstructionsOf(ModL2FieldInstruction.class))
            .put(ModHeaderInstruction.class, withInstructionsOf(ModHeaderInstruction.class))
            .put(ModMplsTtlInstruction.class, withInstructionsOf(ModMplsTtlInstruction.class))
            .put(ModL3FieldInstruction.class, withInstructionsOf(ModL3FieldInstruction.class))
            .put(ModArpEthInstruction.class, withInstructionsOf(ModArpEthInstruction.class))
            .put(WriteMetadataInstruction.class, withInstructionsOf(WriteMetadataInstruction.class))
            .put(SetFieldInstruction.class, withInstructionsOf(SetFieldInstruction.class))
            .put(ModOchSignalInstruction.class, withInstructionsOf(ModOchSignalInstruction.class))
            .put(ModOduSignalIdInstruction.class, withInstructionsOf(ModOduSignalIdInstruction.class))
            .put(PiInstruction.class, withInstructionsOf(PiInstruction.class))
            .put(ExtensionInstruction.class, withInstructionsOf(ExtensionInstruction.class))
            .put(TrafficTreatment.class, List.of(TrafficTreatment.EMPTY, FULL_TREATMENT))
            .put(DefaultFlowRule.class, List.of(rule(D1, 1), FULL_RULE))
            .put(DefaultFlowEntry.class, List.of(DefaultFlowEntry.pendingAdd(rule(D1, 2)), ENTRY))
            .put(FlowEntryState.class, List.of(FlowEntryState.values()))
            .put(FlowRuleOperation.class, List.of(FlowRuleOperation.values()))
            .put(FlowRuleBatchEntry.class, List.of(new FlowRuleBatchEntry(FlowRuleOperation.REMOVE, FULL_RULE)))
            .put(FlowRuleBatchOperation.class, List.of(new FlowRuleBatchOperation(REQUEST.ops(), D1, Long.MIN_VALUE),
                    new FlowRuleBatchOperation(List.of(), D1, 0)))
            .put(FlowRuleBatchRequest.class, List.of(REQUEST))
            .put(CompletedBatchOperation.class, List.of(FAILED, CompletedBatchOperation.succeeded(D1)))
            .put(FlowRuleBatchEvent.class, List.of(FlowRuleBatchEvent.requested(REQUEST, D1),
                    FlowRuleBatchEvent.completed(REQUEST, FAILED)))
            .put(FlowRuleEvent.class, List.of(new FlowRuleEvent(FlowRuleEvent.Type.RULE_ADDED, ENTRY),
                    new FlowRuleEvent(FlowRuleEvent.Type.RULE_REMOVE_REQUESTED, FULL_RULE)))
            .put(TableStatisticsEntry.class, List.of(new TableStatisticsEntry(D1, 254, 0, Long.MAX_VALUE, 7)))
            .put(FlowLiveType.class, List.of(FlowLiveType.values()))
            .put(Reply.class, List.of(Reply.of(null), Reply.of(ENTRY), Reply.failure("handler failed"),
                    Reply.notMaster("n2 is the master"), Reply.refused("batch too large")))
            .put(EntryQuery.class, List.of(new EntryQuery(D1, -1)))
            .put(CountQuery.class, List.of(new CountQuery(D1, null), new CountQuery(D1, FlowEntryState.FAILED)))
            .put(TotalCountQuery.class, List.of(new TotalCountQuery(List.of()), new TotalCountQuery(List.of(D1, device(2)))))
            .put(PurgeRequest.class, List.of(new PurgeRequest(D1, null), new PurgeRequest(D1, APP)))
            .put(TableStatisticsUpdate.class, List.of(new TableStatisticsUpdate(D1,
                    List.of(new TableStatisticsEntry(D1, 0, 1, 2, 3)))))
            .put(ValueList.class, List.of(new ValueList(List.of()), new ValueList(List.of(ENTRY, rule(D1, 3), 5, "x"))))
            .put(TableVersion.class, List.of(TableVersion.EMPTY, new TableVersion(7, Long.MAX_VALUE)))
            .put(BackupDelta.class, List.of(
                    new BackupDelta(D1, 3, new TableVersion(2, 10), new TableVersion(3, 12), List.of(ENTRY),
                            List.of(EntryUpdate.of(DefaultFlowEntry.builder(rule(D1, 8)).state(FlowEntryState.ADDED)
                                    .life(Long.MAX_VALUE).packets(7).bytes(700).lastSeen(1_700_000_000_000L).build())),
                            List.of(rule(D1, 9).id(), FlowId.valueOf(-1)), null),
                    new BackupDelta(D1, 3, new TableVersion(3, 12), new TableVersion(3, 13), List.of(), List.of(),
                            List.of(), List.of(new TableStatisticsEntry(D1, 0, 1, 2, 3)))))
            .put(BackupAck.class, List.of(BackupAck.held(new TableVersion(1, 2), 120_000, 671_088),
                    BackupAck.refused(TableVersion.EMPTY, "gap", 0, 1)))
            .put(SnapshotChunk.class, List.of(
                    new SnapshotChunk(D1, 4, -9, new TableVersion(4, 100), 0, false, List.of(ENTRY), null),
                    new SnapshotChunk(D1, 0, 9, new TableVersion(4, 100), 3, true, List.of(),
                            List.of(new TableStatisticsEntry(D1, 1, 1, 2, 3)))))
            .put(SnapshotRequest.class, List.of(new SnapshotRequest(D1, 5)))
            .put(VersionQuery.class, List.of(new VersionQuery(D1, 6)))
            .put(BatchCompletion.class, List.of(new BatchCompletion(42, CompletedBatchOperation.succeeded(D1)),
                    new BatchCompletion(-1, FAILED)))
            .put(DigestCheck.class, List.of(new DigestCheck(D1, 2, new TableVersion(2, 9), new long[] {0, -1, 7})))
            .put(DigestResult.class, List.of(new DigestResult(new TableVersion(2, 9), List.of()),
                    new DigestResult(new TableVersion(2, 9), List.of(0, 127))))
            .put(BucketRepair.class, List.of(new BucketRepair(D1, 2, new TableVersion(2, 9), List.of(5), List.of(ENTRY))))
            .build();

    /** The given samples of a criterion class, then the sample of every kind of that class ({@link CriterionSamples}). */
    private static List<Criterion> withSamplesOf(Class<? extends Criterion> type, Criterion... extra) {
        List<Criterion> samples = new ArrayList<>(List.of(extra));
        CriterionSamples.all().stream().filter(type::isInstance).forEach(samples::add);
        return samples;
    }

    /** The given samples of an instruction class, then the sample of every kind of that class ({@link InstructionSamples}). */
    private static List<Instruction> withInstructionsOf(Class<? extends Instruction> type, Instruction... extra) {
        List<Instruction> samples = new ArrayList<>(List.of(extra));
        InstructionSamples.all().stream().filter(type::isInstance).forEach(samples::add);
        return samples;
    }
}
