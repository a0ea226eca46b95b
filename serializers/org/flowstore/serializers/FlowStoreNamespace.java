package org.flowstore.serializers;

import static org.flowstore.serializers.Registration.of;
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
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.EthTypeCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.IPProtocolCriterion;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.Instructions;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction.L3SubType;
import org.flowstore.api.flow.instructions.L4ModificationInstruction.L4SubType;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.ModEtherInstruction;
import org.flowstore.api.flow.instructions.ModIPInstruction;
import org.flowstore.api.flow.instructions.ModTransportPortInstruction;
import org.flowstore.api.flow.instructions.ModTtlInstruction;
import org.flowstore.api.flow.instructions.ModVlanHeaderInstruction;
import org.flowstore.api.flow.instructions.ModVlanIdInstruction;
import org.flowstore.api.flow.instructions.ModVlanPcpInstruction;
import org.flowstore.api.flow.instructions.NoActionInstruction;
import org.flowstore.api.flow.instructions.OutputInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;
import org.flowstore.serializers.protocol.BackupAck;
import org.flowstore.serializers.protocol.BackupDelta;
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
 * Every type that crosses the wire, each against a fixed registration id.
 *
 * <p>Rules of the format: an id, once given, is never changed or reused (a golden test pins
 * them); a new type takes a new id in its group's range (identifiers 100-119, criteria 120-139,
 * instructions 140-159, the flow model 160-199, store messages 200-299); enum constants are
 * written by ordinal, so their declaration order is frozen. Kryo keeps its own ids below 100
 * for primitives, and the String one is overridden with a length-checked encoding. References
 * and unregistered classes are refused, so a message can only ever decode to these types.
 *
 * <p>Rules are written field by field (no class ids) and rebuilt through their builders, so a
 * decoded rule passes the same checks as a new one and recomputes its own flow id.
 */
public final class FlowStoreNamespace {

    /** Lowest id of the namespace; Kryo's own registrations stay below it. */
    public static final int FIRST_ID = 100;

    private static final List<Registration<?>> REGISTRATIONS = ImmutableList.of(
            // identifiers and header values: 100-119
            of(100, DeviceId.class, (k, o, v) -> writeString(o, v.uri()), (k, i) -> DeviceId.deviceId(readString(i))),
            of(101, NodeId.class, (k, o, v) -> writeString(o, v.id()), (k, i) -> NodeId.nodeId(readString(i))),
            of(102, ApplicationId.class, (k, o, v) -> writeAppId(o, v), (k, i) -> readAppId(i)),
            of(103, PortNumber.class, (k, o, v) -> o.writeVarLong(v.toLong(), true),
                    (k, i) -> PortNumber.portNumber(i.readVarLong(true))),
            of(104, MacAddress.class, (k, o, v) -> o.writeVarLong(v.toLong(), true),
                    (k, i) -> MacAddress.valueOf(i.readVarLong(true))),
            of(105, VlanId.class, (k, o, v) -> o.writeVarInt(v.toInt(), true), (k, i) -> VlanId.vlanId(i.readVarInt(true))),
            of(106, IpAddress.class, (k, o, v) -> writeIp(o, v), (k, i) -> readIp(i)),
            of(107, IpPrefix.class, (k, o, v) -> writePrefix(o, v), (k, i) -> readPrefix(i)),
            of(108, FlowId.class, (k, o, v) -> o.writeLong(v.value()), (k, i) -> FlowId.valueOf(i.readLong())),

            // criteria: 120-139
            of(120, PortCriterion.class, (k, o, v) -> o.writeVarLong(v.port().toLong(), true),
                    (k, i) -> Criteria.matchInPort(PortNumber.portNumber(i.readVarLong(true)))),
            of(121, EthCriterion.class, (k, o, v) -> {
                writeEnum(o, v.type());
                o.writeVarLong(v.mac().toLong(), true);
            }, (k, i) -> new EthCriterion(readEnum(i, Criterion.Type.values()), MacAddress.valueOf(i.readVarLong(true)))),
            of(122, EthTypeCriterion.class, (k, o, v) -> o.writeVarInt(v.ethType(), true),
                    (k, i) -> Criteria.matchEthType(i.readVarInt(true))),
            of(123, VlanIdCriterion.class, (k, o, v) -> o.writeVarInt(v.vlanId().toInt(), true),
                    (k, i) -> Criteria.matchVlanId(VlanId.vlanId(i.readVarInt(true)))),
            of(124, IPProtocolCriterion.class, (k, o, v) -> o.writeVarInt(v.protocol(), true),
                    (k, i) -> Criteria.matchIPProtocol(i.readVarInt(true))),
            of(125, IPCriterion.class, (k, o, v) -> {
                writeEnum(o, v.type());
                writePrefix(o, v.ip());
            }, (k, i) -> new IPCriterion(readEnum(i, Criterion.Type.values()), readPrefix(i))),
            of(126, TransportPortCriterion.class, (k, o, v) -> {
                writeEnum(o, v.type());
                o.writeVarInt(v.port(), true);
            }, (k, i) -> new TransportPortCriterion(readEnum(i, Criterion.Type.values()), i.readVarInt(true))),
            of(127, TrafficSelector.class, FlowStoreNamespace::writeSelector, FlowStoreNamespace::readSelector),

            // instructions: 140-159
            of(140, OutputInstruction.class, (k, o, v) -> o.writeVarLong(v.port().toLong(), true),
                    (k, i) -> Instructions.createOutput(PortNumber.portNumber(i.readVarLong(true)))),
            of(141, GroupInstruction.class, (k, o, v) -> o.writeInt(v.groupId()), (k, i) -> new GroupInstruction(i.readInt())),
            of(142, MeterInstruction.class, (k, o, v) -> o.writeVarLong(v.meterId(), true),
                    (k, i) -> new MeterInstruction(i.readVarLong(true))),
            of(143, TableTypeTransition.class, (k, o, v) -> o.writeVarInt(v.tableId(), true),
                    (k, i) -> new TableTypeTransition(i.readVarInt(true))),
            of(144, SetQueueInstruction.class, (k, o, v) -> o.writeVarLong(v.queueId(), true),
                    (k, i) -> new SetQueueInstruction(i.readVarLong(true))),
            of(145, NoActionInstruction.class, (k, o, v) -> { }, (k, i) -> Instructions.createNoAction()),
            of(146, ModEtherInstruction.class, (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarLong(v.mac().toLong(), true);
            }, (k, i) -> new ModEtherInstruction(readEnum(i, L2SubType.values()), MacAddress.valueOf(i.readVarLong(true)))),
            of(147, ModVlanIdInstruction.class, (k, o, v) -> o.writeVarInt(v.vlanId().toInt(), true),
                    (k, i) -> new ModVlanIdInstruction(VlanId.vlanId(i.readVarInt(true)))),
            of(148, ModVlanPcpInstruction.class, (k, o, v) -> o.writeVarInt(v.pcp(), true),
                    (k, i) -> new ModVlanPcpInstruction(i.readVarInt(true))),
            of(149, ModVlanHeaderInstruction.class, (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarInt(v.ethernetType(), true);
            }, (k, i) -> new ModVlanHeaderInstruction(readEnum(i, L2SubType.values()), i.readVarInt(true))),
            of(150, ModIPInstruction.class, (k, o, v) -> {
                writeEnum(o, v.subtype());
                writeIp(o, v.ip());
            }, (k, i) -> new ModIPInstruction(readEnum(i, L3SubType.values()), readIp(i))),
            of(151, ModTtlInstruction.class, (k, o, v) -> { }, (k, i) -> new ModTtlInstruction()),
            of(152, ModTransportPortInstruction.class, (k, o, v) -> {
                writeEnum(o, v.subtype());
                o.writeVarInt(v.port(), true);
            }, (k, i) -> new ModTransportPortInstruction(readEnum(i, L4SubType.values()), i.readVarInt(true))),
            of(153, TrafficTreatment.class, FlowStoreNamespace::writeTreatment, FlowStoreNamespace::readTreatment),

            // flow model: 160-199
            of(160, DefaultFlowRule.class, FlowStoreNamespace::writeRule, FlowStoreNamespace::readRule),
            of(161, DefaultFlowEntry.class, FlowStoreNamespace::writeEntry, FlowStoreNamespace::readEntry),
            of(162, FlowEntryState.class, (k, o, v) -> writeEnum(o, v), (k, i) -> readEnum(i, FlowEntryState.values())),
            of(163, FlowRuleOperation.class, (k, o, v) -> writeEnum(o, v),
                    (k, i) -> readEnum(i, FlowRuleOperation.values())),
            of(164, FlowRuleBatchEntry.class, FlowStoreNamespace::writeBatchEntry, FlowStoreNamespace::readBatchEntry),
            of(165, FlowRuleBatchOperation.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeLong(v.id());
                writeBatchEntries(k, o, v.operations());
            }, (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long id = i.readLong();
                return new FlowRuleBatchOperation(readBatchEntries(k, i), deviceId, id);
            }),
            of(166, FlowRuleBatchRequest.class, (k, o, v) -> {
                o.writeLong(v.batchId());
                writeBatchEntries(k, o, v.ops());
            }, (k, i) -> new FlowRuleBatchRequest(i.readLong(), readBatchEntries(k, i))),
            of(167, CompletedBatchOperation.class, FlowStoreNamespace::writeCompleted, FlowStoreNamespace::readCompleted),
            of(168, FlowRuleBatchEvent.class, (k, o, v) -> {
                writeEnum(o, v.type());
                k.writeObject(o, v.subject());
                writeString(o, v.deviceId().uri());
                k.writeObjectOrNull(o, v.result(), CompletedBatchOperation.class);
            }, (k, i) -> new FlowRuleBatchEvent(readEnum(i, FlowRuleBatchEvent.Type.values()),
                    k.readObject(i, FlowRuleBatchRequest.class), DeviceId.deviceId(readString(i)),
                    k.readObjectOrNull(i, CompletedBatchOperation.class))),
            of(169, FlowRuleEvent.class, (k, o, v) -> {
                writeEnum(o, v.type());
                k.writeClassAndObject(o, v.subject());
            }, (k, i) -> new FlowRuleEvent(readEnum(i, FlowRuleEvent.Type.values()), readTyped(k, i, FlowRule.class))),
            of(170, TableStatisticsEntry.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarInt(v.tableId(), true);
                o.writeVarLong(v.activeFlowEntries(), true);
                o.writeVarLong(v.packetsLookedUp(), true);
                o.writeVarLong(v.packetsMatched(), true);
            }, (k, i) -> new TableStatisticsEntry(DeviceId.deviceId(readString(i)), i.readVarInt(true),
                    i.readVarLong(true), i.readVarLong(true), i.readVarLong(true))),
            of(171, FlowLiveType.class, (k, o, v) -> writeEnum(o, v), (k, i) -> readEnum(i, FlowLiveType.values())),

            // store messages: 200-299
            of(200, Reply.class, (k, o, v) -> {
                writeEnum(o, v.status());
                k.writeClassAndObject(o, v.value());
                writeString(o, v.error());
            }, (k, i) -> new Reply(readEnum(i, Reply.Status.values()), k.readClassAndObject(i), readString(i))),
            of(201, EntryQuery.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeLong(v.flowId());
            }, (k, i) -> new EntryQuery(DeviceId.deviceId(readString(i)), i.readLong())),
            of(202, CountQuery.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                k.writeObjectOrNull(o, v.state(), FlowEntryState.class);
            }, (k, i) -> new CountQuery(DeviceId.deviceId(readString(i)), k.readObjectOrNull(i, FlowEntryState.class))),
            of(203, TotalCountQuery.class, (k, o, v) -> {
                o.writeVarInt(v.deviceIds().size(), true);
                v.deviceIds().forEach(d -> writeString(o, d.uri()));
            }, (k, i) -> {
                int n = readLength(i, 1);
                List<DeviceId> ids = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    ids.add(DeviceId.deviceId(readString(i)));
                }
                return new TotalCountQuery(ids);
            }),
            of(204, PurgeRequest.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                k.writeObjectOrNull(o, v.appId(), ApplicationId.class);
            }, (k, i) -> new PurgeRequest(DeviceId.deviceId(readString(i)), k.readObjectOrNull(i, ApplicationId.class))),
            of(205, TableStatisticsUpdate.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                writeValues(k, o, v.statistics());
            }, (k, i) -> new TableStatisticsUpdate(DeviceId.deviceId(readString(i)),
                    readValues(k, i, TableStatisticsEntry.class))),
            of(206, ValueList.class, (k, o, v) -> writeValues(k, o, v.values()),
                    (k, i) -> new ValueList(readValues(k, i, Object.class))),
            of(207, TableVersion.class, (k, o, v) -> writeVersion(o, v), (k, i) -> readVersion(i)),
            of(208, BackupDelta.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                writeVersion(o, v.from());
                writeVersion(o, v.to());
                o.writeVarInt(v.upserts().size(), true);
                v.upserts().forEach(e -> writeEntry(k, o, e));
                o.writeVarInt(v.removals().size(), true);
                v.removals().forEach(r -> writeRule(k, o, r));
                writeOptionalValues(k, o, v.statistics());
            }, (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                TableVersion from = readVersion(i);
                TableVersion to = readVersion(i);
                int n = readLength(i, 8);
                List<FlowEntry> upserts = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    upserts.add(readEntry(k, i));
                }
                int m = readLength(i, 8);
                List<FlowRule> removals = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    removals.add(readRule(k, i));
                }
                return new BackupDelta(deviceId, term, from, to, upserts, removals,
                        readOptionalValues(k, i, TableStatisticsEntry.class));
            }),
            of(209, BackupAck.class, (k, o, v) -> {
                o.writeBoolean(v.held());
                writeVersion(o, v.version());
                writeString(o, v.reason());
            }, (k, i) -> new BackupAck(i.readBoolean(), readVersion(i), readString(i))),
            of(210, SnapshotChunk.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                o.writeLong(v.snapshotId());
                writeVersion(o, v.version());
                o.writeVarInt(v.index(), true);
                o.writeBoolean(v.last());
                o.writeVarInt(v.entries().size(), true);
                v.entries().forEach(e -> writeEntry(k, o, e));
                writeOptionalValues(k, o, v.statistics());
            }, (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                long snapshotId = i.readLong();
                TableVersion version = readVersion(i);
                int index = i.readVarInt(true);
                boolean last = i.readBoolean();
                int n = readLength(i, 8);
                List<FlowEntry> entries = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    entries.add(readEntry(k, i));
                }
                return new SnapshotChunk(deviceId, term, snapshotId, version, index, last, entries,
                        readOptionalValues(k, i, TableStatisticsEntry.class));
            }),
            of(211, SnapshotRequest.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
            }, (k, i) -> new SnapshotRequest(DeviceId.deviceId(readString(i)), i.readVarLong(true))),
            of(212, DigestCheck.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                writeVersion(o, v.version());
                o.writeVarInt(v.digests().length, true);
                o.writeLongs(v.digests(), 0, v.digests().length);
            }, (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                TableVersion version = readVersion(i);
                return new DigestCheck(deviceId, term, version, i.readLongs(readLength(i, 8)));
            }),
            of(213, DigestResult.class, (k, o, v) -> {
                writeVersion(o, v.version());
                o.writeVarInt(v.differing().size(), true);
                v.differing().forEach(b -> o.writeVarInt(b, true));
            }, (k, i) -> {
                TableVersion version = readVersion(i);
                int n = readLength(i, 1);
                List<Integer> differing = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    differing.add(i.readVarInt(true));
                }
                return new DigestResult(version, differing);
            }),
            of(214, BucketRepair.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
                writeVersion(o, v.version());
                o.writeVarInt(v.buckets().size(), true);
                v.buckets().forEach(b -> o.writeVarInt(b, true));
                o.writeVarInt(v.entries().size(), true);
                v.entries().forEach(e -> writeEntry(k, o, e));
            }, (k, i) -> {
                DeviceId deviceId = DeviceId.deviceId(readString(i));
                long term = i.readVarLong(true);
                TableVersion version = readVersion(i);
                int n = readLength(i, 1);
                List<Integer> buckets = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    buckets.add(i.readVarInt(true));
                }
                int m = readLength(i, 8);
                List<FlowEntry> entries = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    entries.add(readEntry(k, i));
                }
                return new BucketRepair(deviceId, term, version, buckets, entries);
            }),
            of(215, VersionQuery.class, (k, o, v) -> {
                writeString(o, v.deviceId().uri());
                o.writeVarLong(v.term(), true);
            }, (k, i) -> new VersionQuery(DeviceId.deviceId(readString(i)), i.readVarLong(true))));

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
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        int stringId = kryo.getRegistration(String.class).getId();
        kryo.register(String.class, of(stringId, String.class, (k, o, v) -> writeString(o, v), (k, i) -> readString(i))
                .serializer(), stringId);
        for (Registration<?> r : REGISTRATIONS) {
            kryo.register(r.type(), r.serializer(), r.id());
        }
        return kryo;
    }

    private static void writeAppId(Output out, ApplicationId appId) {
        out.writeVarInt(appId.id(), true);
        writeString(out, appId.name());
    }

    private static ApplicationId readAppId(Input in) {
        return ApplicationId.of(in.readVarInt(true), readString(in));
    }

    private static void writeIp(Output out, IpAddress ip) {
        out.writeBoolean(ip.isIp4());
        if (ip.isIp4()) {
            out.writeInt((int) ip.low());
        } else {
            out.writeLong(ip.high());
            out.writeLong(ip.low());
        }
    }

    private static IpAddress readIp(Input in) {
        return in.readBoolean() ? IpAddress.ipv4(in.readInt()) : IpAddress.ipv6(in.readLong(), in.readLong());
    }

    private static void writePrefix(Output out, IpPrefix prefix) {
        writeIp(out, prefix.address());
        out.writeVarInt(prefix.prefixLength(), true);
    }

    private static IpPrefix readPrefix(Input in) {
        return IpPrefix.valueOf(readIp(in), in.readVarInt(true));
    }

    private static void writeSelector(Kryo kryo, Output out, TrafficSelector selector) {
        writeValues(kryo, out, selector.criteria());
    }

    private static TrafficSelector readSelector(Kryo kryo, Input in) {
        TrafficSelector.Builder builder = TrafficSelector.builder();
        readValues(kryo, in, Criterion.class).forEach(builder::add);
        return builder.build();
    }

    private static void writeTreatment(Kryo kryo, Output out, TrafficTreatment treatment) {
        writeValues(kryo, out, treatment.immediate());
        writeValues(kryo, out, treatment.deferred());
        out.writeBoolean(treatment.clearedDeferred());
    }

    private static TrafficTreatment readTreatment(Kryo kryo, Input in) {
        TrafficTreatment.Builder builder = TrafficTreatment.builder();
        readValues(kryo, in, Instruction.class).forEach(builder::add);
        readValues(kryo, in, Instruction.class).forEach(builder::addDeferred);
        if (in.readBoolean()) {
            builder.wipeDeferred();
        }
        return builder.build();
    }

    /** Writes any FlowRule implementation; it is read back as a {@link DefaultFlowRule}. */
    private static void writeRule(Kryo kryo, Output out, FlowRule rule) {
        writeString(out, rule.deviceId().uri());
        out.writeVarInt(rule.tableId(), true);
        out.writeVarInt(rule.priority(), true);
        writeSelector(kryo, out, rule.selector());
        writeTreatment(kryo, out, rule.treatment());
        writeAppId(out, rule.appId());
        out.writeBoolean(rule.isPermanent());
        out.writeVarInt(rule.idleTimeout(), true);
        out.writeVarInt(rule.hardTimeout(), true);
    }

    private static DefaultFlowRule readRule(Kryo kryo, Input in) {
        DefaultFlowRule.Builder b = DefaultFlowRule.builder()
                .forDevice(DeviceId.deviceId(readString(in)))
                .forTable(in.readVarInt(true))
                .withPriority(in.readVarInt(true))
                .withSelector(readSelector(kryo, in))
                .withTreatment(readTreatment(kryo, in))
                .fromApp(readAppId(in));
        boolean permanent = in.readBoolean();
        int idle = in.readVarInt(true);
        b.withHardTimeout(in.readVarInt(true));
        return (permanent ? b.makePermanent() : b.makeTemporary(idle)).build();
    }

    private static void writeEntry(Kryo kryo, Output out, FlowEntry entry) {
        writeRule(kryo, out, entry.rule());
        writeEnum(out, entry.state());
        writeEnum(out, entry.liveType());
        out.writeVarLong(entry.life(), true);
        out.writeVarLong(entry.packets(), true);
        out.writeVarLong(entry.bytes(), true);
        out.writeVarLong(entry.lastSeen(), true);
    }

    private static DefaultFlowEntry readEntry(Kryo kryo, Input in) {
        return DefaultFlowEntry.builder(readRule(kryo, in))
                .state(readEnum(in, FlowEntryState.values()))
                .liveType(readEnum(in, FlowLiveType.values()))
                .life(in.readVarLong(true))
                .packets(in.readVarLong(true))
                .bytes(in.readVarLong(true))
                .lastSeen(in.readVarLong(true))
                .build();
    }

    private static void writeBatchEntry(Kryo kryo, Output out, FlowRuleBatchEntry entry) {
        writeEnum(out, entry.operator());
        writeRule(kryo, out, entry.target());
    }

    private static FlowRuleBatchEntry readBatchEntry(Kryo kryo, Input in) {
        return new FlowRuleBatchEntry(readEnum(in, FlowRuleOperation.values()), readRule(kryo, in));
    }

    private static void writeBatchEntries(Kryo kryo, Output out, List<FlowRuleBatchEntry> entries) {
        out.writeVarInt(entries.size(), true);
        for (FlowRuleBatchEntry e : entries) {
            writeBatchEntry(kryo, out, e);
        }
    }

    private static List<FlowRuleBatchEntry> readBatchEntries(Kryo kryo, Input in) {
        int n = readLength(in, 8);
        List<FlowRuleBatchEntry> entries = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            entries.add(readBatchEntry(kryo, in));
        }
        return entries;
    }

    private static void writeCompleted(Kryo kryo, Output out, CompletedBatchOperation completed) {
        out.writeBoolean(completed.success());
        writeString(out, completed.deviceId().uri());
        writeString(out, completed.reason());
        out.writeVarInt(completed.failedItems().size(), true);
        for (FlowRule rule : completed.failedItems()) {
            writeRule(kryo, out, rule);
        }
    }

    private static CompletedBatchOperation readCompleted(Kryo kryo, Input in) {
        boolean success = in.readBoolean();
        DeviceId deviceId = DeviceId.deviceId(readString(in));
        String reason = readString(in);
        int n = readLength(in, 8);
        List<FlowRule> failed = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            failed.add(readRule(kryo, in));
        }
        return new CompletedBatchOperation(success, failed, deviceId, reason);
    }

    private static void writeVersion(Output out, TableVersion version) {
        out.writeVarLong(version.term(), true);
        out.writeVarLong(version.clock(), true);
    }

    private static TableVersion readVersion(Input in) {
        return new TableVersion(in.readVarLong(true), in.readVarLong(true));
    }

    /** Writes a list that may be null (a marker, then the list). */
    private static void writeOptionalValues(Kryo kryo, Output out, List<?> values) {
        out.writeBoolean(values != null);
        if (values != null) {
            writeValues(kryo, out, values);
        }
    }

    private static <T> List<T> readOptionalValues(Kryo kryo, Input in, Class<T> type) {
        return in.readBoolean() ? readValues(kryo, in, type) : null;
    }

    /** Writes a list of registered values, each with its class id. */
    private static void writeValues(Kryo kryo, Output out, List<?> values) {
        out.writeVarInt(values.size(), true);
        for (Object v : values) {
            kryo.writeClassAndObject(out, v);
        }
    }

    private static <T> List<T> readValues(Kryo kryo, Input in, Class<T> type) {
        int n = readLength(in, 1);
        List<T> values = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            values.add(readTyped(kryo, in, type));
        }
        return values;
    }
}
