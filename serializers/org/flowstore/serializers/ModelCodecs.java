package org.flowstore.serializers;

import static org.flowstore.serializers.WireFormat.readEnum;
import static org.flowstore.serializers.WireFormat.readLength;
import static org.flowstore.serializers.WireFormat.readString;
import static org.flowstore.serializers.WireFormat.readTyped;
import static org.flowstore.serializers.WireFormat.writeEnum;
import static org.flowstore.serializers.WireFormat.writeString;

import java.util.ArrayList;
import java.util.List;

import com.esotericsoftware.kryo.kryo5.Kryo;
import com.esotericsoftware.kryo.kryo5.io.Input;
import com.esotericsoftware.kryo.kryo5.io.Output;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ByteString;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.NodeId;
import org.flowstore.api.OchSignal;
import org.flowstore.api.OchSignalType;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.OduSignalType;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowLiveType;
import org.flowstore.api.flow.FlowRule;
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
import org.flowstore.api.flow.criteria.PiFieldMatch;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
import org.flowstore.api.flow.instructions.ExtensionInstruction;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.Instructions;
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
import org.flowstore.serializers.protocol.EntryUpdate;
import org.flowstore.serializers.protocol.TableVersion;

/**
 * How the flow model travels: the identifiers, criteria, instructions, rules, entries and batch
 * types, field by field (rules are rebuilt through their builders, so a decoded rule passes the
 * same checks as a new one and recomputes its own flow id). Which id each codec has is
 * {@link FlowStoreNamespace}'s to say.
 */
final class ModelCodecs {

    // Each values() call copies the enum's array; decoding a rule read these once per criterion.
    private static final Criterion.Type[] CRITERION_TYPES = Criterion.Type.values();
    private static final FlowEntryState[] FLOW_ENTRY_STATES = FlowEntryState.values();
    private static final FlowLiveType[] FLOW_LIVE_TYPES = FlowLiveType.values();
    /** The fewest bytes an {@link EntryUpdate} takes: its flow id and six one-byte fields. */
    static final int UPDATE_MIN_BYTES = Long.BYTES + 6;

    private ModelCodecs() {
    }

    // identifiers and header values: 100-119
    static final Codec<DeviceId> DEVICE_ID = new Codec<>(
            (k, o, v) -> writeString(o, v.uri()),
            (k, i) -> DeviceId.deviceId(readString(i)));
    static final Codec<NodeId> NODE_ID = new Codec<>(
            (k, o, v) -> writeString(o, v.id()),
            (k, i) -> NodeId.nodeId(readString(i)));
    static final Codec<ApplicationId> APPLICATION_ID = new Codec<>(
            (k, o, v) -> writeAppId(o, v),
            (k, i) -> readAppId(i));
    static final Codec<PortNumber> PORT_NUMBER = new Codec<>(
            (k, o, v) -> o.writeVarLong(v.toLong(), true),
            (k, i) -> PortNumber.portNumber(i.readVarLong(true)));
    static final Codec<MacAddress> MAC_ADDRESS = new Codec<>(
            (k, o, v) -> o.writeVarLong(v.toLong(), true),
            (k, i) -> MacAddress.valueOf(i.readVarLong(true)));
    static final Codec<VlanId> VLAN_ID = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.toInt(), true),
            (k, i) -> VlanId.vlanId(i.readVarInt(true)));
    static final Codec<IpAddress> IP_ADDRESS = new Codec<>((k, o, v) -> writeIp(o, v), (k, i) -> readIp(i));
    static final Codec<IpPrefix> IP_PREFIX = new Codec<>((k, o, v) -> writePrefix(o, v), (k, i) -> readPrefix(i));
    static final Codec<FlowId> FLOW_ID = new Codec<>(
            (k, o, v) -> o.writeLong(v.value()),
            (k, i) -> FlowId.valueOf(i.readLong()));

    // criteria: 120-139
    static final Codec<PortCriterion> PORT_CRITERION = new Codec<>(
            (k, o, v) -> o.writeVarLong(v.port().toLong(), true),
            (k, i) -> Criteria.matchInPort(PortNumber.portNumber(i.readVarLong(true))));
    static final Codec<EthCriterion> ETH_CRITERION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                o.writeVarLong(v.mac().toLong(), true);
                if (v.mask() != null) {
                    o.writeVarLong(v.mask().toLong(), true);
                }
            },
            (k, i) -> {
                Criterion.Type type = readEnum(i, CRITERION_TYPES);
                MacAddress mac = MacAddress.valueOf(i.readVarLong(true));
                return new EthCriterion(type, mac, type.isMaskedForm() ? MacAddress.valueOf(i.readVarLong(true)) : null);
            });
    static final Codec<EthTypeCriterion> ETH_TYPE_CRITERION = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.ethType(), true),
            (k, i) -> Criteria.matchEthType(i.readVarInt(true)));
    static final Codec<VlanIdCriterion> VLAN_ID_CRITERION = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.vlanId().toInt(), true),
            (k, i) -> Criteria.matchVlanId(VlanId.vlanId(i.readVarInt(true))));
    static final Codec<IPProtocolCriterion> IP_PROTOCOL_CRITERION = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.protocol(), true),
            (k, i) -> Criteria.matchIPProtocol(i.readVarInt(true)));
    static final Codec<IPCriterion> IP_CRITERION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                writePrefix(o, v.ip());
            },
            (k, i) -> new IPCriterion(readEnum(i, CRITERION_TYPES), readPrefix(i)));
    static final Codec<TransportPortCriterion> TRANSPORT_PORT_CRITERION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                o.writeVarInt(v.port(), true);
                if (v.type().isMaskedForm()) {
                    o.writeVarInt(v.mask(), true);
                }
            },
            (k, i) -> {
                Criterion.Type type = readEnum(i, CRITERION_TYPES);
                int port = i.readVarInt(true);
                return new TransportPortCriterion(type, port,
                        type.isMaskedForm() ? i.readVarInt(true) : TransportPortCriterion.EXACT);
            });
    /** A number field: its kind, its value, and its mask only where the kind can be masked. */
    static final Codec<FieldCriterion> FIELD_CRITERION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                o.writeVarLong(v.value(), true);
                if (v.type().isMaskable()) {
                    o.writeVarLong(v.mask(), true);
                }
            },
            (k, i) -> {
                Criterion.Type type = readEnum(i, CRITERION_TYPES);
                long value = i.readVarLong(true);
                return new FieldCriterion(type, value, type.isMaskable() ? i.readVarLong(true) : FieldCriterion.allBits(type));
            });
    /** An optical match: its kind, then only the part that kind holds. */
    static final Codec<OpticalCriterion> OPTICAL_CRITERION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                switch (v.type()) {
                    case OCH_SIGID -> writeOchSignal(o, v.ochSignal());
                    case OCH_SIGTYPE -> writeEnum(o, v.ochSignalType());
                    case ODU_SIGID -> writeOduSignalId(o, v.oduSignalId());
                    default -> writeEnum(o, v.oduSignalType());
                }
            },
            (k, i) -> {
                Criterion.Type type = readEnum(i, CRITERION_TYPES);
                return switch (type) {
                    case OCH_SIGID -> OpticalCriterion.of(readOchSignal(i));
                    case OCH_SIGTYPE -> OpticalCriterion.of(readEnum(i, OchSignalType.values()));
                    case ODU_SIGID -> OpticalCriterion.of(readOduSignalId(i));
                    default -> OpticalCriterion.of(readEnum(i, OduSignalType.values()));
                };
            });
    static final Codec<PiCriterion> PI_CRITERION = new Codec<>(
            (k, o, v) -> {
                o.writeVarInt(v.matches().size(), true);
                for (PiFieldMatch m : v.matches()) {
                    writeString(o, m.fieldId());
                    writeEnum(o, m.matchType());
                    writeOptionalBytes(o, m.value());
                    writeOptionalBytes(o, m.mask());
                    o.writeVarInt(m.prefixLength(), true);
                    writeOptionalBytes(o, m.lowValue());
                    writeOptionalBytes(o, m.highValue());
                }
            },
            (k, i) -> {
                int n = readLength(i, 4);
                List<PiFieldMatch> matches = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    matches.add(new PiFieldMatch(readString(i), readEnum(i, PiFieldMatch.MatchType.values()),
                            readOptionalBytes(i), readOptionalBytes(i), i.readVarInt(true), readOptionalBytes(i),
                            readOptionalBytes(i)));
                }
                return new PiCriterion(matches);
            });
    static final Codec<ExtensionCriterion> EXTENSION_CRITERION = new Codec<>(
            (k, o, v) -> writeBytes(o, v.payload()),
            (k, i) -> new ExtensionCriterion(readBytes(i)));
    static final Codec<TrafficSelector> TRAFFIC_SELECTOR = new Codec<>(
            ModelCodecs::writeSelector,
            ModelCodecs::readSelector);

    // instructions: 140-159
    static final Codec<OutputInstruction> OUTPUT_INSTRUCTION = new Codec<>(
            (k, o, v) -> o.writeVarLong(v.port().toLong(), true),
            (k, i) -> Instructions.createOutput(PortNumber.portNumber(i.readVarLong(true))));
    static final Codec<GroupInstruction> GROUP_INSTRUCTION = new Codec<>(
            (k, o, v) -> o.writeInt(v.groupId()),
            (k, i) -> new GroupInstruction(i.readInt()));
    static final Codec<MeterInstruction> METER_INSTRUCTION = new Codec<>(
            (k, o, v) -> o.writeVarLong(v.meterId(), true),
            (k, i) -> new MeterInstruction(i.readVarLong(true)));
    static final Codec<TableTypeTransition> TABLE_TYPE_TRANSITION = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.tableId(), true),
            (k, i) -> new TableTypeTransition(i.readVarInt(true)));
    static final Codec<SetQueueInstruction> SET_QUEUE_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                o.writeVarLong(v.queueId(), true);
                o.writeBoolean(v.port() != null);
                if (v.port() != null) {
                    o.writeVarLong(v.port().toLong(), true);
                }
            },
            (k, i) -> {
                long queueId = i.readVarLong(true);
                return new SetQueueInstruction(queueId, i.readBoolean() ? PortNumber.portNumber(i.readVarLong(true)) : null);
            });
    static final Codec<NoActionInstruction> NO_ACTION_INSTRUCTION = new Codec<>(
            (k, o, v) -> { },
            (k, i) -> Instructions.createNoAction());
    static final Codec<ModEtherInstruction> MOD_ETHER_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarLong(v.mac().toLong(), true);
            },
            (k, i) -> new ModEtherInstruction(readEnum(i, L2SubType.values()), MacAddress.valueOf(i.readVarLong(true))));
    static final Codec<ModVlanIdInstruction> MOD_VLAN_ID_INSTRUCTION = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.vlanId().toInt(), true),
            (k, i) -> new ModVlanIdInstruction(VlanId.vlanId(i.readVarInt(true))));
    static final Codec<ModVlanPcpInstruction> MOD_VLAN_PCP_INSTRUCTION = new Codec<>(
            (k, o, v) -> o.writeVarInt(v.pcp(), true),
            (k, i) -> new ModVlanPcpInstruction(i.readVarInt(true)));
    static final Codec<ModVlanHeaderInstruction> MOD_VLAN_HEADER_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarInt(v.ethernetType(), true);
            },
            (k, i) -> new ModVlanHeaderInstruction(readEnum(i, L2SubType.values()), i.readVarInt(true)));
    static final Codec<ModIPInstruction> MOD_IP_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                writeIp(o, v.ip());
            },
            (k, i) -> new ModIPInstruction(readEnum(i, L3SubType.values()), readIp(i)));
    static final Codec<ModTtlInstruction> MOD_TTL_INSTRUCTION = new Codec<>(
            (k, o, v) -> writeEnum(o, v.subtype()),
            (k, i) -> new ModTtlInstruction(readEnum(i, L3SubType.values())));
    static final Codec<ModTransportPortInstruction> MOD_TRANSPORT_PORT_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarInt(v.port(), true);
            },
            (k, i) -> new ModTransportPortInstruction(readEnum(i, L4SubType.values()), i.readVarInt(true)));
    static final Codec<ModL2FieldInstruction> MOD_L2_FIELD_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarLong(v.value(), true);
            },
            (k, i) -> new ModL2FieldInstruction(readEnum(i, L2SubType.values()), i.readVarLong(true)));
    static final Codec<ModHeaderInstruction> MOD_HEADER_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarInt(v.ethernetType(), true);
            },
            (k, i) -> new ModHeaderInstruction(readEnum(i, L2SubType.values()), i.readVarInt(true)));
    static final Codec<ModMplsTtlInstruction> MOD_MPLS_TTL_INSTRUCTION = new Codec<>(
            (k, o, v) -> { },
            (k, i) -> new ModMplsTtlInstruction());
    static final Codec<ModL3FieldInstruction> MOD_L3_FIELD_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarLong(v.value(), true);
            },
            (k, i) -> new ModL3FieldInstruction(readEnum(i, L3SubType.values()), i.readVarLong(true)));
    static final Codec<ModArpEthInstruction> MOD_ARP_ETH_INSTRUCTION = new Codec<>(
            (k, o, v) -> o.writeVarLong(v.mac().toLong(), true),
            (k, i) -> new ModArpEthInstruction(MacAddress.valueOf(i.readVarLong(true))));
    static final Codec<WriteMetadataInstruction> WRITE_METADATA_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                o.writeLong(v.metadata());
                o.writeLong(v.mask());
            },
            (k, i) -> new WriteMetadataInstruction(i.readLong(), i.readLong()));
    /** The field's value as the criterion it is, written with its own class: only exact criteria of settable fields decode. */
    static final Codec<SetFieldInstruction> SET_FIELD_INSTRUCTION = new Codec<>(
            (k, o, v) -> k.writeClassAndObject(o, v.field()),
            (k, i) -> new SetFieldInstruction(readTyped(k, i, Criterion.class)));
    static final Codec<ModOchSignalInstruction> MOD_OCH_SIGNAL_INSTRUCTION = new Codec<>(
            (k, o, v) -> writeOchSignal(o, v.lambda()),
            (k, i) -> new ModOchSignalInstruction(readOchSignal(i)));
    static final Codec<ModOduSignalIdInstruction> MOD_ODU_SIGNAL_ID_INSTRUCTION = new Codec<>(
            (k, o, v) -> writeOduSignalId(o, v.oduSignalId()),
            (k, i) -> new ModOduSignalIdInstruction(readOduSignalId(i)));
    static final Codec<PiInstruction> PI_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.subtype());
                if (v.subtype() == PiInstruction.Subtype.ACTION) {
                    writeString(o, v.actionId());
                    o.writeVarInt(v.params().size(), true);
                    for (PiInstruction.Param p : v.params()) {
                        writeString(o, p.id());
                        writeBytes(o, p.value());
                    }
                } else {
                    o.writeVarLong(v.profileId(), true);
                }
            },
            (k, i) -> {
                PiInstruction.Subtype subtype = readEnum(i, PiInstruction.Subtype.values());
                if (subtype != PiInstruction.Subtype.ACTION) {
                    return PiInstruction.profile(subtype, i.readVarLong(true));
                }
                String actionId = readString(i);
                int n = readLength(i, 2);
                List<PiInstruction.Param> params = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    params.add(new PiInstruction.Param(readString(i), readBytes(i)));
                }
                return PiInstruction.action(actionId, params);
            });
    static final Codec<ExtensionInstruction> EXTENSION_INSTRUCTION = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                writeBytes(o, v.payload());
            },
            (k, i) -> new ExtensionInstruction(DeviceId.deviceId(readString(i)), readBytes(i)));
    static final Codec<TrafficTreatment> TRAFFIC_TREATMENT = new Codec<>(
            ModelCodecs::writeTreatment,
            ModelCodecs::readTreatment);

    // flow model: 160-199
    static final Codec<DefaultFlowRule> DEFAULT_FLOW_RULE = new Codec<>(ModelCodecs::writeRule, ModelCodecs::readRule);
    static final Codec<DefaultFlowEntry> DEFAULT_FLOW_ENTRY = new Codec<>(
            ModelCodecs::writeEntry,
            ModelCodecs::readEntry);
    static final Codec<FlowEntryState> FLOW_ENTRY_STATE = new Codec<>(
            (k, o, v) -> writeEnum(o, v),
            (k, i) -> readEnum(i, FLOW_ENTRY_STATES));
    static final Codec<FlowRuleOperation> FLOW_RULE_OPERATION = new Codec<>(
            (k, o, v) -> writeEnum(o, v),
            (k, i) -> readEnum(i, FlowRuleOperation.values()));
    static final Codec<FlowRuleBatchEntry> FLOW_RULE_BATCH_ENTRY = new Codec<>(
            ModelCodecs::writeBatchEntry,
            ModelCodecs::readBatchEntry);
    static final Codec<FlowRuleBatchOperation> FLOW_RULE_BATCH_OPERATION = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeLong(v.id());
                writeBatchEntries(k, o, v.operations());
            },
            (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long id = i.readLong();
                return new FlowRuleBatchOperation(readBatchEntries(k, i), deviceId, id);
            });
    static final Codec<FlowRuleBatchRequest> FLOW_RULE_BATCH_REQUEST = new Codec<>(
            (k, o, v) -> {
                o.writeLong(v.batchId());
                writeBatchEntries(k, o, v.ops());
            },
            (k, i) -> new FlowRuleBatchRequest(i.readLong(), readBatchEntries(k, i)));
    static final Codec<CompletedBatchOperation> COMPLETED_BATCH_OPERATION = new Codec<>(
            ModelCodecs::writeCompleted,
            ModelCodecs::readCompleted);
    static final Codec<FlowRuleBatchEvent> FLOW_RULE_BATCH_EVENT = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                k.writeObject(o, v.subject());
                writeString(o, v.deviceId().uri());
                k.writeObjectOrNull(o, v.result(), CompletedBatchOperation.class);
            },
            (k, i) -> new FlowRuleBatchEvent(readEnum(i, FlowRuleBatchEvent.Type.values()),
                    k.readObject(i, FlowRuleBatchRequest.class), DeviceId.deviceId(readString(i)),
                    k.readObjectOrNull(i, CompletedBatchOperation.class)));
    static final Codec<FlowRuleEvent> FLOW_RULE_EVENT = new Codec<>(
            (k, o, v) -> {
                writeEnum(o, v.type());
                k.writeClassAndObject(o, v.subject());
            },
            (k, i) -> new FlowRuleEvent(readEnum(i, FlowRuleEvent.Type.values()), readTyped(k, i, FlowRule.class)));
    static final Codec<TableStatisticsEntry> TABLE_STATISTICS_ENTRY = new Codec<>(
            (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarInt(v.tableId(), true);
                o.writeVarLong(v.activeFlowEntries(), true);
                o.writeVarLong(v.packetsLookedUp(), true);
                o.writeVarLong(v.packetsMatched(), true);
            },
            (k, i) -> new TableStatisticsEntry(DeviceId.deviceId(readString(i)), i.readVarInt(true),
                    i.readVarLong(true), i.readVarLong(true), i.readVarLong(true)));
    static final Codec<FlowLiveType> FLOW_LIVE_TYPE = new Codec<>(
            (k, o, v) -> writeEnum(o, v),
            (k, i) -> readEnum(i, FlowLiveType.values()));

    static void writeAppId(Output out, ApplicationId appId) {
        out.writeVarInt(appId.id(), true);
        writeString(out, appId.name());
    }

    static ApplicationId readAppId(Input in) {
        return ApplicationId.of(in.readVarInt(true), readString(in));
    }

    static void writeIp(Output out, IpAddress ip) {
        out.writeBoolean(ip.isIp4());
        if (ip.isIp4()) {
            out.writeInt((int) ip.low());
        } else {
            out.writeLong(ip.high());
            out.writeLong(ip.low());
        }
    }

    static IpAddress readIp(Input in) {
        return in.readBoolean() ? IpAddress.ipv4(in.readInt()) : IpAddress.ipv6(in.readLong(), in.readLong());
    }

    static void writePrefix(Output out, IpPrefix prefix) {
        writeIp(out, prefix.address());
        out.writeVarInt(prefix.prefixLength(), true);
    }

    static IpPrefix readPrefix(Input in) {
        return IpPrefix.valueOf(readIp(in), in.readVarInt(true));
    }

    static void writeSelector(Kryo kryo, Output out, TrafficSelector selector) {
        writeValues(kryo, out, selector.criteria());
    }

    static TrafficSelector readSelector(Kryo kryo, Input in) {
        TrafficSelector.Builder builder = TrafficSelector.builder();
        readValues(kryo, in, Criterion.class).forEach(builder::add);
        return builder.build();
    }

    static void writeTreatment(Kryo kryo, Output out, TrafficTreatment treatment) {
        writeValues(kryo, out, treatment.immediate());
        writeValues(kryo, out, treatment.deferred());
        out.writeBoolean(treatment.clearedDeferred());
    }

    static TrafficTreatment readTreatment(Kryo kryo, Input in) {
        TrafficTreatment.Builder builder = TrafficTreatment.builder();
        readValues(kryo, in, Instruction.class).forEach(builder::add);
        readValues(kryo, in, Instruction.class).forEach(builder::addDeferred);
        if (in.readBoolean()) {
            builder.wipeDeferred();
        }
        return builder.build();
    }

    /** Writes any FlowRule implementation; it is read back as a {@link DefaultFlowRule}. */
    static void writeRule(Kryo kryo, Output out, FlowRule rule) {
        writeString(out, rule.deviceId().uri());
        out.writeVarInt(rule.tableId(), true);
        out.writeVarInt(rule.priority(), true);
        // The match hash, 48 bits: the receiver would otherwise hash the match again (most of a rule's decoding).
        long matchHash = rule.id().matchHash();
        out.writeShort((int) (matchHash >>> 32));
        out.writeInt((int) matchHash);
        writeSelector(kryo, out, rule.selector());
        writeTreatment(kryo, out, rule.treatment());
        writeAppId(out, rule.appId());
        out.writeBoolean(rule.isPermanent());
        out.writeVarInt(rule.idleTimeout(), true);
        out.writeVarInt(rule.hardTimeout(), true);
    }

    static DefaultFlowRule readRule(Kryo kryo, Input in) {
        DefaultFlowRule.Builder b = DefaultFlowRule.builder()
                .forDevice(DeviceId.deviceId(readString(in)))
                .forTable(in.readVarInt(true))
                .withPriority(in.readVarInt(true))
                .withMatchHash(((long) in.readShortUnsigned() << 32) | (in.readInt() & 0xFFFF_FFFFL))
                .withSelector(readSelector(kryo, in))
                .withTreatment(readTreatment(kryo, in))
                .fromApp(readAppId(in));
        boolean permanent = in.readBoolean();
        int idle = in.readVarInt(true);
        b.withHardTimeout(in.readVarInt(true));
        return (permanent ? b.makePermanent() : b.makeTemporary(idle)).build();
    }

    static void writeEntry(Kryo kryo, Output out, FlowEntry entry) {
        writeRule(kryo, out, entry.rule());
        writeEntryFields(out, entry.state(), entry.liveType(), entry.life(), entry.packets(), entry.bytes(),
                entry.lastSeen());
    }

    static DefaultFlowEntry readEntry(Kryo kryo, Input in) {
        return DefaultFlowEntry.builder(readRule(kryo, in))
                .state(readEnum(in, FLOW_ENTRY_STATES))
                .liveType(readEnum(in, FLOW_LIVE_TYPES))
                .life(in.readVarLong(true))
                .packets(in.readVarLong(true))
                .bytes(in.readVarLong(true))
                .lastSeen(in.readVarLong(true))
                .build();
    }

    static void writeUpdate(Output out, EntryUpdate update) {
        out.writeLong(update.flowId().value());
        writeEntryFields(out, update.state(), update.liveType(), update.life(), update.packets(), update.bytes(),
                update.lastSeen());
    }

    static EntryUpdate readUpdate(Input in) {
        return new EntryUpdate(FlowId.valueOf(in.readLong()), readEnum(in, FLOW_ENTRY_STATES),
                readEnum(in, FLOW_LIVE_TYPES), in.readVarLong(true), in.readVarLong(true), in.readVarLong(true),
                in.readVarLong(true));
    }

    /** An entry's fields besides its rule, in the order both an entry and an update carry them. */
    private static void writeEntryFields(Output out, FlowEntryState state, FlowLiveType liveType, long life,
                                         long packets, long bytes, long lastSeen) {
        writeEnum(out, state);
        writeEnum(out, liveType);
        out.writeVarLong(life, true);
        out.writeVarLong(packets, true);
        out.writeVarLong(bytes, true);
        out.writeVarLong(lastSeen, true);
    }

    static void writeBatchEntry(Kryo kryo, Output out, FlowRuleBatchEntry entry) {
        writeEnum(out, entry.operator());
        writeRule(kryo, out, entry.target());
    }

    static FlowRuleBatchEntry readBatchEntry(Kryo kryo, Input in) {
        return new FlowRuleBatchEntry(readEnum(in, FlowRuleOperation.values()), readRule(kryo, in));
    }

    static void writeBatchEntries(Kryo kryo, Output out, List<FlowRuleBatchEntry> entries) {
        out.writeVarInt(entries.size(), true);
        for (FlowRuleBatchEntry e : entries) {
            writeBatchEntry(kryo, out, e);
        }
    }

    static List<FlowRuleBatchEntry> readBatchEntries(Kryo kryo, Input in) {
        int n = readLength(in, 8);
        List<FlowRuleBatchEntry> entries = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            entries.add(readBatchEntry(kryo, in));
        }
        return entries;
    }

    static void writeCompleted(Kryo kryo, Output out, CompletedBatchOperation completed) {
        out.writeBoolean(completed.success());
        writeString(out, completed.deviceId().uri());
        writeEnum(out, completed.failure());
        writeString(out, completed.reason());
        out.writeVarInt(completed.failedItems().size(), true);
        for (FlowRule rule : completed.failedItems()) {
            writeRule(kryo, out, rule);
        }
    }

    static CompletedBatchOperation readCompleted(Kryo kryo, Input in) {
        boolean success = in.readBoolean();
        DeviceId deviceId = DeviceId.deviceId(readString(in));
        CompletedBatchOperation.Failure failure = readEnum(in, CompletedBatchOperation.Failure.values());
        String reason = readString(in);
        int n = readLength(in, 8);
        List<FlowRule> failed = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            failed.add(readRule(kryo, in));
        }
        return new CompletedBatchOperation(success, failed, deviceId, failure, reason);
    }

    static void writeVersion(Output out, TableVersion version) {
        out.writeVarLong(version.term(), true);
        out.writeVarLong(version.clock(), true);
    }

    static TableVersion readVersion(Input in) {
        return new TableVersion(in.readVarLong(true), in.readVarLong(true));
    }

    /** Writes a list that may be null (a marker, then the list). */
    static void writeOptionalValues(Kryo kryo, Output out, List<?> values) {
        out.writeBoolean(values != null);
        if (values != null) {
            writeValues(kryo, out, values);
        }
    }

    static <T> List<T> readOptionalValues(Kryo kryo, Input in, Class<T> type) {
        return in.readBoolean() ? readValues(kryo, in, type) : null;
    }

    /** Writes a list of registered values, each with its class id. */
    static void writeValues(Kryo kryo, Output out, List<?> values) {
        out.writeVarInt(values.size(), true);
        for (Object v : values) {
            kryo.writeClassAndObject(out, v);
        }
    }

    static <T> List<T> readValues(Kryo kryo, Input in, Class<T> type) {
        int n = readLength(in, 1);
        List<T> values = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            values.add(readTyped(kryo, in, type));
        }
        return values;
    }

    static void writeBytes(Output out, ByteString bytes) {
        out.writeVarInt(bytes.size(), true);
        out.writeBytes(bytes.toByteArray());
    }

    static ByteString readBytes(Input in) {
        int n = readLength(in, 1);
        if (n > ByteString.MAX_LENGTH) {
            throw new WireFormatException("a byte string of " + n + " bytes exceeds " + ByteString.MAX_LENGTH, null);
        }
        return ByteString.copyOf(in.readBytes(n));
    }

    static void writeOptionalBytes(Output out, ByteString bytes) {
        out.writeBoolean(bytes != null);
        if (bytes != null) {
            writeBytes(out, bytes);
        }
    }

    static ByteString readOptionalBytes(Input in) {
        return in.readBoolean() ? readBytes(in) : null;
    }

    static void writeOchSignal(Output out, OchSignal signal) {
        writeEnum(out, signal.gridType());
        writeEnum(out, signal.channelSpacing());
        out.writeVarInt(signal.spacingMultiplier(), false);
        out.writeVarInt(signal.slotGranularity(), true);
    }

    static OchSignal readOchSignal(Input in) {
        return new OchSignal(readEnum(in, OchSignal.GridType.values()), readEnum(in, OchSignal.ChannelSpacing.values()),
                in.readVarInt(false), in.readVarInt(true));
    }

    static void writeOduSignalId(Output out, OduSignalId signal) {
        out.writeVarInt(signal.tributaryPortNumber(), true);
        out.writeVarInt(signal.tributarySlotLength(), true);
        writeBytes(out, signal.tributarySlotBitmap());
    }

    static OduSignalId readOduSignalId(Input in) {
        return new OduSignalId(in.readVarInt(true), in.readVarInt(true), readBytes(in));
    }
}
