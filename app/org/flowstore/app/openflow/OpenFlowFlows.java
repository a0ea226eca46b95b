package org.flowstore.app.openflow;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionPopMpls;
import org.projectfloodlight.openflow.protocol.action.OFActionPushMpls;
import org.projectfloodlight.openflow.protocol.action.OFActionPushPbb;
import org.projectfloodlight.openflow.protocol.action.OFActionPushVlan;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.action.OFActionSetMplsTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionSetNwTtl;
import org.projectfloodlight.openflow.protocol.action.OFActionSetQueue;
import org.projectfloodlight.openflow.protocol.action.OFActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionWriteMetadata;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.PortNumber;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.FieldCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
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
import org.flowstore.api.flow.instructions.ModTransportPortInstruction;
import org.flowstore.api.flow.instructions.ModTtlInstruction;
import org.flowstore.api.flow.instructions.ModVlanHeaderInstruction;
import org.flowstore.api.flow.instructions.ModVlanIdInstruction;
import org.flowstore.api.flow.instructions.ModVlanPcpInstruction;
import org.flowstore.api.flow.instructions.NoActionInstruction;
import org.flowstore.api.flow.instructions.OutputInstruction;
import org.flowstore.api.flow.instructions.SetFieldInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;
import org.flowstore.api.flow.instructions.WriteMetadataInstruction;

/**
 * Flow rules as OpenFlow 1.3 flow-mods, and a switch's flow entries back as flow rules.
 *
 * <p>A rule's cookie is its flow id, so every flow a switch reports names the rule it came from.
 * Instructions go in OpenFlow's order: meter, apply-actions (the immediate instructions),
 * clear-actions, write-actions (the deferred ones), write-metadata, goto-table; read back, the
 * meter, metadata and table transition are immediate instructions in that order. A drop
 * ({@link NoActionInstruction}) is no action at all, read back as the empty treatment.
 */
final class OpenFlowFlows {

    /** The application of a flow found on a switch whose cookie names no flow of the store. */
    static final String DEVICE_APP = "org.flowstore.openflow.device";
    /** Buffer no packet on a controller output: send it whole. */
    private static final int NO_BUFFER_MAX_LEN = 0xFFFF;
    /** The largest group id (OFPG_MAX); the ids above it are reserved. */
    private static final int MAX_GROUP = 0xFFFF_FF00;

    private OpenFlowFlows() {
    }

    /**
     * Builds the flow-mod of one batch operation: ADD an add, MODIFY a strict modify, REMOVE a
     * strict delete. Adds and modifies ask the switch to report the flow's removal.
     *
     * @param factory the switch's protocol version
     * @param op the operation
     * @param xid the transaction id
     * @return the flow-mod
     * @throws UntranslatableFlowException for a match field or action OpenFlow 1.3 has no form for
     */
    static OFFlowMod flowMod(OFFactory factory, FlowRuleBatchEntry op, long xid) {
        FlowRule rule = op.target();
        OFFlowMod.Builder b = switch (op.operator()) {
            case ADD -> factory.buildFlowAdd();
            case MODIFY -> factory.buildFlowModifyStrict();
            case REMOVE -> factory.buildFlowDeleteStrict();
        };
        b.setXid(xid)
                .setCookie(U64.of(rule.id().value()))
                .setTableId(TableId.of(rule.tableId()))
                .setPriority(rule.priority())
                .setMatch(OpenFlowFields.toMatch(factory.buildMatch(), rule.selector()))
                .setBufferId(OFBufferId.NO_BUFFER)
                .setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY);
        if (op.operator() != FlowRuleOperation.REMOVE) {
            b.setIdleTimeout(rule.isPermanent() ? 0 : rule.idleTimeout())
                    .setHardTimeout(rule.hardTimeout())
                    .setFlags(EnumSet.of(OFFlowModFlags.SEND_FLOW_REM))
                    .setInstructions(instructions(factory, rule.treatment()));
        }
        return b.build();
    }

    /**
     * Reads a switch's flow entry back into a rule: the application comes from the cookie's top
     * 16 bits (named {@value #DEVICE_APP}: the store, which knows the name, is asked first by the
     * caller); idle and hard timeouts of 0 make it permanent.
     *
     * @param deviceId the switch
     * @param entry the entry it reported
     * @return the rule
     * @throws UntranslatableFlowException for a field or action the flow model has no form for
     */
    static FlowRule toRule(DeviceId deviceId, OFFlowStatsEntry entry) {
        long cookie = entry.getCookie().getValue();
        DefaultFlowRule.Builder b = DefaultFlowRule.builder()
                .forDevice(deviceId)
                .forTable(entry.getTableId().getValue())
                .withPriority(entry.getPriority())
                .withSelector(OpenFlowFields.toSelector(entry.getMatch()))
                .withTreatment(treatment(entry.getInstructions()))
                .fromApp(ApplicationId.of((int) (cookie >>> 48), DEVICE_APP))
                .withHardTimeout(entry.getHardTimeout());
        if (entry.getIdleTimeout() == 0 && entry.getHardTimeout() == 0) {
            b.makePermanent();
        } else {
            b.makeTemporary(entry.getIdleTimeout());
        }
        return b.build();
    }

    /**
     * Builds the OpenFlow instructions of a treatment.
     *
     * @param factory the switch's protocol version
     * @param treatment the treatment
     * @return the instructions, in OpenFlow's order
     */
    static List<OFInstruction> instructions(OFFactory factory, TrafficTreatment treatment) {
        Collected immediate = collect(factory, treatment.immediate());
        Collected deferred = collect(factory, treatment.deferred());
        Long meter = one("meter", immediate.meter, deferred.meter);
        WriteMetadataInstruction metadata = one("write-metadata", immediate.metadata, deferred.metadata);
        Integer table = one("table transition", immediate.table, deferred.table);
        List<OFInstruction> out = new ArrayList<>(6);
        if (meter != null) {
            out.add(factory.instructions().meter(meter));
        }
        if (!immediate.actions.isEmpty()) {
            out.add(factory.instructions().applyActions(immediate.actions));
        }
        if (treatment.clearedDeferred()) {
            out.add(factory.instructions().clearActions());
        }
        if (!deferred.actions.isEmpty()) {
            out.add(factory.instructions().writeActions(deferred.actions));
        }
        if (metadata != null) {
            out.add(factory.instructions().writeMetadata(U64.of(metadata.metadata()), U64.of(metadata.mask())));
        }
        if (table != null) {
            out.add(factory.instructions().gotoTable(TableId.of(table)));
        }
        return out;
    }

    /** The actions of one list, and the instructions that are not actions in OpenFlow. */
    private static final class Collected {
        final List<OFAction> actions = new ArrayList<>();
        Long meter;
        WriteMetadataInstruction metadata;
        Integer table;
    }

    private static Collected collect(OFFactory factory, List<Instruction> instructions) {
        Collected c = new Collected();
        for (Instruction i : instructions) {
            if (i instanceof MeterInstruction m) {
                c.meter = one("meter", c.meter, m.meterId());
            } else if (i instanceof WriteMetadataInstruction w) {
                c.metadata = one("write-metadata", c.metadata, w);
            } else if (i instanceof TableTypeTransition t) {
                c.table = one("table transition", c.table, t.tableId());
            } else if (!(i instanceof NoActionInstruction)) {
                c.actions.add(action(factory, i));
            }
        }
        return c;
    }

    private static <T> T one(String what, T first, T second) {
        if (first != null && second != null) {
            throw new UntranslatableFlowException("OpenFlow 1.3 takes one " + what + " per flow, the treatment has two");
        }
        return first != null ? first : second;
    }

    /**
     * Returns the OpenFlow action of an instruction.
     *
     * @param factory the switch's protocol version
     * @param i an instruction that is an action in OpenFlow
     * @return the action
     * @throws UntranslatableFlowException for an instruction OpenFlow 1.3 has no action for
     */
    static OFAction action(OFFactory factory, Instruction i) {
        OFActions a = factory.actions();
        if (i instanceof OutputInstruction o) {
            return a.output(port(o.port()), NO_BUFFER_MAX_LEN);
        } else if (i instanceof GroupInstruction g) {
            if (Integer.compareUnsigned(g.groupId(), MAX_GROUP) > 0) {
                throw new UntranslatableFlowException("OpenFlow group ids end at 0xffffff00, not 0x"
                        + Integer.toHexString(g.groupId()));
            }
            return a.group(OFGroup.of(g.groupId()));
        } else if (i instanceof SetQueueInstruction q) {
            if (q.port() != null) {
                throw new UntranslatableFlowException("OpenFlow 1.3 sets a queue without a port (queue " + q.queueId()
                        + " on port " + q.port() + "): use SET_QUEUE, then OUTPUT");
            }
            return a.setQueue(q.queueId());
        } else if (i instanceof ModVlanHeaderInstruction v) {
            return v.subtype() == L2SubType.VLAN_PUSH ? a.pushVlan(EthType.of(v.ethernetType())) : a.popVlan();
        } else if (i instanceof ModHeaderInstruction h) {
            return switch (h.subtype()) {
                case MPLS_PUSH -> a.pushMpls(EthType.of(h.ethernetType()));
                case MPLS_POP -> a.popMpls(EthType.of(h.ethernetType()));
                case PBB_PUSH -> a.pushPbb(EthType.of(h.ethernetType()));
                default -> a.popPbb();
            };
        } else if (i instanceof ModMplsTtlInstruction) {
            return a.decMplsTtl();
        } else if (i instanceof ModL2FieldInstruction f && f.subtype() == L2SubType.MPLS_TTL) {
            return a.setMplsTtl((short) f.value());
        } else if (i instanceof ModL3FieldInstruction f && f.subtype() == L3SubType.IP_TTL) {
            return a.setNwTtl((short) f.value());
        } else if (i instanceof ModTtlInstruction t) {
            return switch (t.subtype()) {
                case DEC_TTL -> a.decNwTtl();
                case TTL_OUT -> a.copyTtlOut();
                default -> a.copyTtlIn();
            };
        }
        Criterion field = setField(i);
        OpenFlowFields.Oxm<?> oxm = OpenFlowFields.toOxm(field);
        if (oxm.mask() != null) {
            throw new UntranslatableFlowException("a set-field writes a whole value, not " + field);
        }
        return a.setField(oxm.toOxm(factory.oxms()));
    }

    /** The field an instruction sets, as a criterion holding the new value. */
    private static Criterion setField(Instruction i) {
        if (i instanceof SetFieldInstruction s) {
            return s.field();
        } else if (i instanceof ModEtherInstruction e) {
            return new EthCriterion(Criterion.Type.valueOf(e.subtype().name()), e.mac());
        } else if (i instanceof ModVlanIdInstruction v) {
            return new VlanIdCriterion(v.vlanId());
        } else if (i instanceof ModVlanPcpInstruction p) {
            return new FieldCriterion(Criterion.Type.VLAN_PCP, p.pcp());
        } else if (i instanceof ModL2FieldInstruction f) {
            return new FieldCriterion(Criterion.Type.valueOf(f.subtype().name()), f.value());
        } else if (i instanceof ModIPInstruction ip) {
            return new IPCriterion(Criterion.Type.valueOf(ip.subtype().name()), IpPrefix.host(ip.ip()));
        } else if (i instanceof ModL3FieldInstruction f) {
            return new FieldCriterion(Criterion.Type.valueOf(f.subtype().name()), f.value());
        } else if (i instanceof ModArpEthInstruction e) {
            return new EthCriterion(Criterion.Type.ARP_SHA, e.mac());
        } else if (i instanceof ModTransportPortInstruction t) {
            return new TransportPortCriterion(Criterion.Type.valueOf(t.subtype().name()), t.port());
        }
        throw new UntranslatableFlowException("OpenFlow 1.3 has no action for " + i.type() + " (" + i + ")");
    }

    /**
     * Reads OpenFlow instructions back into a treatment.
     *
     * @param instructions the instructions a switch reported
     * @return the treatment
     * @throws UntranslatableFlowException for an instruction or action the flow model has no form for
     */
    static TrafficTreatment treatment(List<OFInstruction> instructions) {
        TrafficTreatment.Builder b = TrafficTreatment.builder();
        List<Instruction> tail = new ArrayList<>(2);
        for (OFInstruction i : instructions) {
            if (i instanceof OFInstructionMeter m) {
                b.add(new MeterInstruction(m.getMeterId()));
            } else if (i instanceof OFInstructionApplyActions apply) {
                apply.getActions().forEach(a -> b.add(instruction(a)));
            } else if (i instanceof OFInstructionWriteActions write) {
                write.getActions().forEach(a -> b.addDeferred(instruction(a)));
            } else if (i instanceof OFInstructionWriteMetadata w) {
                tail.add(0, new WriteMetadataInstruction(w.getMetadata().getValue(), w.getMetadataMask().getValue()));
            } else if (i instanceof OFInstructionGotoTable g) {
                tail.add(new TableTypeTransition(g.getTableId().getValue()));
            } else if (i.getType() == org.projectfloodlight.openflow.protocol.OFInstructionType.CLEAR_ACTIONS) {
                b.wipeDeferred();
            } else {
                throw new UntranslatableFlowException("the flow model has no form for OpenFlow's " + i.getType()
                        + " instruction");
            }
        }
        tail.forEach(b::add);
        return b.build();
    }

    /**
     * Reads an OpenFlow action back into an instruction.
     *
     * @param a the action
     * @return the instruction
     * @throws UntranslatableFlowException for an action the flow model has no form for
     */
    static Instruction instruction(OFAction a) {
        return switch (a.getType()) {
            case OUTPUT -> new OutputInstruction(PortNumber.portNumber(((OFActionOutput) a).getPort().getPortNumber()
                    & 0xFFFF_FFFFL));
            case GROUP -> new GroupInstruction(((OFActionGroup) a).getGroup().getGroupNumber());
            case SET_QUEUE -> new SetQueueInstruction(((OFActionSetQueue) a).getQueueId());
            case PUSH_VLAN -> new ModVlanHeaderInstruction(L2SubType.VLAN_PUSH,
                    ((OFActionPushVlan) a).getEthertype().getValue());
            case POP_VLAN -> new ModVlanHeaderInstruction(L2SubType.VLAN_POP, 0);
            case PUSH_MPLS -> new ModHeaderInstruction(L2SubType.MPLS_PUSH, ((OFActionPushMpls) a).getEthertype().getValue());
            case POP_MPLS -> new ModHeaderInstruction(L2SubType.MPLS_POP, ((OFActionPopMpls) a).getEthertype().getValue());
            case PUSH_PBB -> new ModHeaderInstruction(L2SubType.PBB_PUSH, ((OFActionPushPbb) a).getEthertype().getValue());
            case POP_PBB -> new ModHeaderInstruction(L2SubType.PBB_POP, 0);
            case DEC_MPLS_TTL -> new ModMplsTtlInstruction();
            case SET_MPLS_TTL -> new ModL2FieldInstruction(L2SubType.MPLS_TTL, ((OFActionSetMplsTtl) a).getMplsTtl());
            case SET_NW_TTL -> new ModL3FieldInstruction(L3SubType.IP_TTL, ((OFActionSetNwTtl) a).getNwTtl());
            case DEC_NW_TTL -> new ModTtlInstruction(L3SubType.DEC_TTL);
            case COPY_TTL_OUT -> new ModTtlInstruction(L3SubType.TTL_OUT);
            case COPY_TTL_IN -> new ModTtlInstruction(L3SubType.TTL_IN);
            case SET_FIELD -> setFieldInstruction(((OFActionSetField) a).getField());
            default -> throw new UntranslatableFlowException("the flow model has no form for OpenFlow's " + a.getType()
                    + " action");
        };
    }

    private static final Set<Criterion.Type> ETHER = EnumSet.of(Criterion.Type.ETH_SRC, Criterion.Type.ETH_DST);
    private static final Set<Criterion.Type> L2_FIELDS = EnumSet.of(Criterion.Type.MPLS_LABEL, Criterion.Type.TUNNEL_ID,
            Criterion.Type.MPLS_BOS);
    private static final Set<Criterion.Type> L3_ADDRESSES = EnumSet.of(Criterion.Type.IPV4_SRC, Criterion.Type.IPV4_DST,
            Criterion.Type.IPV6_SRC, Criterion.Type.IPV6_DST, Criterion.Type.ARP_SPA);
    private static final Set<Criterion.Type> L3_FIELDS = EnumSet.of(Criterion.Type.IPV6_FLABEL, Criterion.Type.ARP_OP,
            Criterion.Type.IP_DSCP);

    private static Instruction setFieldInstruction(OFOxm<?> oxm) {
        Criterion c = OpenFlowFields.toCriterion(oxm);
        Criterion.Type type = c.type();
        if (ETHER.contains(type)) {
            return new ModEtherInstruction(L2SubType.valueOf(type.name()), ((EthCriterion) c).mac());
        } else if (type == Criterion.Type.VLAN_VID) {
            return new ModVlanIdInstruction(((VlanIdCriterion) c).vlanId());
        } else if (type == Criterion.Type.VLAN_PCP) {
            return new ModVlanPcpInstruction((int) ((FieldCriterion) c).value());
        } else if (L2_FIELDS.contains(type)) {
            return new ModL2FieldInstruction(L2SubType.valueOf(type.name()), ((FieldCriterion) c).value());
        } else if (L3_ADDRESSES.contains(type)) {
            return new ModIPInstruction(L3SubType.valueOf(type.name()), ((IPCriterion) c).ip().address());
        } else if (L3_FIELDS.contains(type)) {
            return new ModL3FieldInstruction(L3SubType.valueOf(type.name()), ((FieldCriterion) c).value());
        } else if (type == Criterion.Type.ARP_SHA) {
            return new ModArpEthInstruction(((EthCriterion) c).mac());
        } else if (c instanceof TransportPortCriterion t) {
            return new ModTransportPortInstruction(L4SubType.valueOf(type.name()), t.port());
        }
        return new SetFieldInstruction(c);
    }

    private static OFPort port(PortNumber port) {
        return OFPort.of((int) port.toLong());
    }
}
