package org.flowstore.serializers;

import static org.flowstore.serializers.Registration.of;
import static org.flowstore.serializers.WireFormat.readString;
import static org.flowstore.serializers.WireFormat.writeString;

import java.util.List;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.util.DefaultClassResolver;
import com.google.common.collect.ImmutableList;

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
import org.flowstore.serializers.protocol.PurgeRequest;
import org.flowstore.serializers.protocol.Reply;
import org.flowstore.serializers.protocol.SnapshotChunk;
import org.flowstore.serializers.protocol.SnapshotRequest;
import org.flowstore.serializers.protocol.TableStatisticsUpdate;
import org.flowstore.serializers.protocol.TableVersion;
import org.flowstore.serializers.protocol.TotalCountQuery;
import org.flowstore.serializers.protocol.ValueList;
import org.flowstore.serializers.protocol.VersionQuery;

/**
 * Every type that crosses the wire, each against a fixed registration id: the id table, one line
 * per type. How each type is written is its codec's: the flow model's in {@link ModelCodecs},
 * the store messages' in {@link MessageCodecs}.
 *
 * <p>Rules of the format: an id, once given, is never changed or reused (a golden test pins
 * them); a new type takes a new id in its group's range (identifiers 100-119, criteria 120-139,
 * instructions 140-159 and 180-199, the flow model 160-179, store messages 200-299); enum constants are
 * written by ordinal, so their declaration order is frozen. Kryo keeps its own ids below 100
 * for primitives, and the String one is overridden with a length-checked encoding. References
 * and unregistered classes are refused, so a message can only ever decode to these types.
 */
public final class FlowStoreNamespace {

    /** Lowest id of the namespace; Kryo's own registrations stay below it. */
    public static final int FIRST_ID = 100;

    private static final List<Registration<?>> REGISTRATIONS = ImmutableList.of(
            // identifiers and header values: 100-119
            of(100, DeviceId.class, ModelCodecs.DEVICE_ID),
            of(101, NodeId.class, ModelCodecs.NODE_ID),
            of(102, ApplicationId.class, ModelCodecs.APPLICATION_ID),
            of(103, PortNumber.class, ModelCodecs.PORT_NUMBER),
            of(104, MacAddress.class, ModelCodecs.MAC_ADDRESS),
            of(105, VlanId.class, ModelCodecs.VLAN_ID),
            of(106, IpAddress.class, ModelCodecs.IP_ADDRESS),
            of(107, IpPrefix.class, ModelCodecs.IP_PREFIX),
            of(108, FlowId.class, ModelCodecs.FLOW_ID),

            // criteria: 120-139
            of(120, PortCriterion.class, ModelCodecs.PORT_CRITERION),
            of(121, EthCriterion.class, ModelCodecs.ETH_CRITERION),
            of(122, EthTypeCriterion.class, ModelCodecs.ETH_TYPE_CRITERION),
            of(123, VlanIdCriterion.class, ModelCodecs.VLAN_ID_CRITERION),
            of(124, IPProtocolCriterion.class, ModelCodecs.IP_PROTOCOL_CRITERION),
            of(125, IPCriterion.class, ModelCodecs.IP_CRITERION),
            of(126, TransportPortCriterion.class, ModelCodecs.TRANSPORT_PORT_CRITERION),
            of(127, TrafficSelector.class, ModelCodecs.TRAFFIC_SELECTOR),
            of(128, FieldCriterion.class, ModelCodecs.FIELD_CRITERION),
            of(129, OpticalCriterion.class, ModelCodecs.OPTICAL_CRITERION),
            of(130, PiCriterion.class, ModelCodecs.PI_CRITERION),
            of(131, ExtensionCriterion.class, ModelCodecs.EXTENSION_CRITERION),

            // instructions: 140-159
            of(140, OutputInstruction.class, ModelCodecs.OUTPUT_INSTRUCTION),
            of(141, GroupInstruction.class, ModelCodecs.GROUP_INSTRUCTION),
            of(142, MeterInstruction.class, ModelCodecs.METER_INSTRUCTION),
            of(143, TableTypeTransition.class, ModelCodecs.TABLE_TYPE_TRANSITION),
            of(144, SetQueueInstruction.class, ModelCodecs.SET_QUEUE_INSTRUCTION),
            of(145, NoActionInstruction.class, ModelCodecs.NO_ACTION_INSTRUCTION),
            of(146, ModEtherInstruction.class, ModelCodecs.MOD_ETHER_INSTRUCTION),
            of(147, ModVlanIdInstruction.class, ModelCodecs.MOD_VLAN_ID_INSTRUCTION),
            of(148, ModVlanPcpInstruction.class, ModelCodecs.MOD_VLAN_PCP_INSTRUCTION),
            of(149, ModVlanHeaderInstruction.class, ModelCodecs.MOD_VLAN_HEADER_INSTRUCTION),
            of(150, ModIPInstruction.class, ModelCodecs.MOD_IP_INSTRUCTION),
            of(151, ModTtlInstruction.class, ModelCodecs.MOD_TTL_INSTRUCTION),
            of(152, ModTransportPortInstruction.class, ModelCodecs.MOD_TRANSPORT_PORT_INSTRUCTION),
            of(153, TrafficTreatment.class, ModelCodecs.TRAFFIC_TREATMENT),
            of(154, ModL2FieldInstruction.class, ModelCodecs.MOD_L2_FIELD_INSTRUCTION),
            of(155, ModHeaderInstruction.class, ModelCodecs.MOD_HEADER_INSTRUCTION),
            of(156, ModMplsTtlInstruction.class, ModelCodecs.MOD_MPLS_TTL_INSTRUCTION),
            of(157, ModL3FieldInstruction.class, ModelCodecs.MOD_L3_FIELD_INSTRUCTION),
            of(158, ModArpEthInstruction.class, ModelCodecs.MOD_ARP_ETH_INSTRUCTION),
            of(159, WriteMetadataInstruction.class, ModelCodecs.WRITE_METADATA_INSTRUCTION),

            // flow model: 160-199
            of(160, DefaultFlowRule.class, ModelCodecs.DEFAULT_FLOW_RULE),
            of(161, DefaultFlowEntry.class, ModelCodecs.DEFAULT_FLOW_ENTRY),
            of(162, FlowEntryState.class, ModelCodecs.FLOW_ENTRY_STATE),
            of(163, FlowRuleOperation.class, ModelCodecs.FLOW_RULE_OPERATION),
            of(164, FlowRuleBatchEntry.class, ModelCodecs.FLOW_RULE_BATCH_ENTRY),
            of(165, FlowRuleBatchOperation.class, ModelCodecs.FLOW_RULE_BATCH_OPERATION),
            of(166, FlowRuleBatchRequest.class, ModelCodecs.FLOW_RULE_BATCH_REQUEST),
            of(167, CompletedBatchOperation.class, ModelCodecs.COMPLETED_BATCH_OPERATION),
            of(168, FlowRuleBatchEvent.class, ModelCodecs.FLOW_RULE_BATCH_EVENT),
            of(169, FlowRuleEvent.class, ModelCodecs.FLOW_RULE_EVENT),
            of(170, TableStatisticsEntry.class, ModelCodecs.TABLE_STATISTICS_ENTRY),
            of(171, FlowLiveType.class, ModelCodecs.FLOW_LIVE_TYPE),

            // instructions, continued: 180-199
            of(180, SetFieldInstruction.class, ModelCodecs.SET_FIELD_INSTRUCTION),
            of(181, ModOchSignalInstruction.class, ModelCodecs.MOD_OCH_SIGNAL_INSTRUCTION),
            of(182, ModOduSignalIdInstruction.class, ModelCodecs.MOD_ODU_SIGNAL_ID_INSTRUCTION),
            of(183, PiInstruction.class, ModelCodecs.PI_INSTRUCTION),
            of(184, ExtensionInstruction.class, ModelCodecs.EXTENSION_INSTRUCTION),

            // store messages: 200-299
            of(200, Reply.class, MessageCodecs.REPLY),
            of(201, EntryQuery.class, MessageCodecs.ENTRY_QUERY),
            of(202, CountQuery.class, MessageCodecs.COUNT_QUERY),
            of(203, TotalCountQuery.class, MessageCodecs.TOTAL_COUNT_QUERY),
            of(204, PurgeRequest.class, MessageCodecs.PURGE_REQUEST),
            of(205, TableStatisticsUpdate.class, MessageCodecs.TABLE_STATISTICS_UPDATE),
            of(206, ValueList.class, MessageCodecs.VALUE_LIST),
            of(207, TableVersion.class, MessageCodecs.TABLE_VERSION),
            of(208, BackupDelta.class, MessageCodecs.BACKUP_DELTA),
            of(209, BackupAck.class, MessageCodecs.BACKUP_ACK),
            of(210, SnapshotChunk.class, MessageCodecs.SNAPSHOT_CHUNK),
            of(211, SnapshotRequest.class, MessageCodecs.SNAPSHOT_REQUEST),
            of(212, DigestCheck.class, MessageCodecs.DIGEST_CHECK),
            of(213, DigestResult.class, MessageCodecs.DIGEST_RESULT),
            of(214, BucketRepair.class, MessageCodecs.BUCKET_REPAIR),
            of(215, VersionQuery.class, MessageCodecs.VERSION_QUERY),
            of(216, BatchCompletion.class, MessageCodecs.BATCH_COMPLETION));

    private FlowStoreNamespace() {
    }

    /** Returns every registration, in id order. */
    public static List<Registration<?>> registrations() {
        return REGISTRATIONS;
    }

    /**
     * Returns a new Kryo instance with every registration, refusing unregistered classes and
     * references. Not thread-safe: {@link StoreSerializer} pools them.
     *
     * @return the Kryo instance
     */
    public static Kryo newKryo() {
        Kryo kryo = new Kryo(new RegisteredClassesOnly(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        int stringId = kryo.getRegistration(String.class).getId();
        kryo.register(String.class, new Codec<String>((k, o, v) -> writeString(o, v), (k, i) -> readString(i)).serializer(),
                stringId);
        for (Registration<?> r : REGISTRATIONS) {
            kryo.register(r.type(), r.serializer(), r.id());
        }
        return kryo;
    }

    /**
     * Resolves classes by registration id only. Kryo reads a class written by name (id 0) before
     * it checks that the class is registered, with an unchecked length: corrupt bytes there would
     * ask for a string of up to 2 G characters. The name is refused before it is read.
     */
    private static final class RegisteredClassesOnly extends DefaultClassResolver {

        @Override
        protected com.esotericsoftware.kryo.kryo5.Registration readName(Input input) {
            throw new WireFormatException("a class named on the wire is refused: only registered ids are accepted", null);
        }
    }
}
