package org.flowstore.app.openflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModifyStrict;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.U64;

import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.Criterion.Type;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.ModOchSignalInstruction;
import org.flowstore.api.flow.instructions.ModOduSignalIdInstruction;
import org.flowstore.api.flow.instructions.NoActionInstruction;
import org.flowstore.api.flow.instructions.PiInstruction;
import org.flowstore.api.flow.instructions.ExtensionInstruction;
import org.flowstore.api.flow.instructions.SetFieldInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;
import org.flowstore.api.flow.instructions.WriteMetadataInstruction;
import org.flowstore.api.flow.instructions.OutputInstruction;
import org.flowstore.api.PortNumber;
import org.flowstore.testing.CriterionSamples;
import org.flowstore.testing.InstructionSamples;
import org.flowstore.testing.TestFlows;

/**
 * Every match field and action of the flow model through OpenFlow 1.3 and back, over the wire:
 * a rule becomes a flow-mod (encoded and decoded by openflowj), the switch's answer a flow-stats
 * entry with the same match and instructions (encoded and decoded), and that entry a rule again,
 * equal in every field. Kinds OpenFlow 1.3 has no form for are refused by name.
 */
class OpenFlowTranslationTest {

    /** Match kinds with no OpenFlow 1.3 field. */
    private static final Set<Type> NO_OPENFLOW_FIELD = EnumSet.of(Type.PBB_ISID, Type.INNER_VLAN_VID,
            Type.INNER_VLAN_PCP, Type.OCH_SIGID, Type.OCH_SIGTYPE, Type.ODU_SIGID, Type.ODU_SIGTYPE,
            Type.PROTOCOL_INDEPENDENT, Type.EXTENSION);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Type.class)
    void everyMatchKindCrossesOpenFlowAndComesBack(Type type) {
        Criterion criterion = CriterionSamples.of(type);
        FlowRule rule = rule(TrafficSelector.builder().add(criterion).build(), TestFlows.output(3));
        if (NO_OPENFLOW_FIELD.contains(type)) {
            UntranslatableFlowException e = assertThrows(UntranslatableFlowException.class, () -> flowMod(rule,
                    FlowRuleOperation.ADD));
            assertTrue(e.getMessage().contains(type.name()), e.getMessage());
            return;
        }
        assertEquals(rule.selector(), backFromTheSwitch(rule).selector());
    }

    static Stream<Arguments> instructions() {
        return InstructionSamples.all().stream().map(i -> Arguments.of(i.type() + " " + i, i));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("instructions")
    void everyInstructionKindCrossesOpenFlowAndComesBack(String name, Instruction instruction) {
        TrafficTreatment treatment = TrafficTreatment.builder().add(instruction).build();
        FlowRule rule = rule(TestFlows.selector(5), treatment);
        if (!hasOpenFlowForm(instruction)) {
            assertThrows(UntranslatableFlowException.class, () -> flowMod(rule, FlowRuleOperation.ADD));
            return;
        }
        // A drop is no action at all in OpenFlow: it comes back as the empty treatment, which drops too.
        TrafficTreatment expected = instruction instanceof NoActionInstruction ? TrafficTreatment.EMPTY : treatment;
        assertEquals(expected, backFromTheSwitch(rule).treatment());
        if (isAction(instruction)) {
            TrafficTreatment deferred = TrafficTreatment.builder().wipeDeferred().addDeferred(instruction).build();
            assertEquals(deferred, backFromTheSwitch(rule(TestFlows.selector(5), deferred)).treatment());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FlowRuleOperation.class)
    void eachOperationIsItsFlowMod(FlowRuleOperation operation) {
        FlowRule rule = TestFlows.rule(TestFlows.device(1), 9);
        OFFlowMod mod = flowMod(rule, operation);
        Class<?> expected = switch (operation) {
            case ADD -> OFFlowAdd.class;
            case MODIFY -> OFFlowModifyStrict.class;
            case REMOVE -> OFFlowDeleteStrict.class;
        };
        assertTrue(expected.isInstance(mod), mod.getClass().getName());
        assertEquals(rule.id().value(), mod.getCookie().getValue());
        assertEquals(rule.priority(), mod.getPriority());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wholeTreatments")
    void aTreatmentKeepsOpenFlowsInstructionOrder(String name, TrafficTreatment treatment) {
        assertEquals(treatment, backFromTheSwitch(rule(TestFlows.selector(2), treatment)).treatment());
    }

    static Stream<Arguments> wholeTreatments() {
        return Stream.of(
                Arguments.of("meter, actions, metadata, table", TrafficTreatment.builder().add(new MeterInstruction(4))
                        .add(new OutputInstruction(PortNumber.portNumber(2))).add(new WriteMetadataInstruction(5, 0xFF))
                        .add(new TableTypeTransition(3)).build()),
                Arguments.of("group", TrafficTreatment.builder().group(0xFFFF_FF00).build()),
                Arguments.of("immediate and deferred", TrafficTreatment.builder()
                        .add(new OutputInstruction(PortNumber.CONTROLLER)).wipeDeferred()
                        .addDeferred(new SetQueueInstruction(3)).addDeferred(new OutputInstruction(PortNumber.portNumber(9)))
                        .build()));
    }

    private static boolean hasOpenFlowForm(Instruction i) {
        if (i instanceof SetFieldInstruction s) {
            // A set-field writes a whole value: an address prefix has no form.
            boolean prefix = s.field() instanceof IPCriterion ip
                    && ip.ip().prefixLength() < ip.ip().address().version().bits();
            return !NO_OPENFLOW_FIELD.contains(s.field().type()) && !prefix;
        }
        if (i instanceof GroupInstruction g) {
            return Integer.compareUnsigned(g.groupId(), 0xFFFF_FF00) <= 0;
        }
        if (i instanceof SetQueueInstruction q) {
            return q.port() == null;
        }
        return !(i instanceof ModOchSignalInstruction || i instanceof ModOduSignalIdInstruction
                || i instanceof PiInstruction || i instanceof ExtensionInstruction);
    }

    private static boolean isAction(Instruction i) {
        return !(i instanceof MeterInstruction || i instanceof WriteMetadataInstruction || i instanceof TableTypeTransition
                || i instanceof NoActionInstruction);
    }

    private static FlowRule rule(TrafficSelector selector, TrafficTreatment treatment) {
        return DefaultFlowRule.builder().forDevice(TestFlows.device(1)).forTable(2).withPriority(33000)
                .withSelector(selector).withTreatment(treatment).fromApp(TestFlows.APP).makeTemporary(60)
                .withHardTimeout(600).build();
    }

    private static OFFlowMod flowMod(FlowRule rule, FlowRuleOperation operation) {
        return (OFFlowMod) wire(OpenFlowFlows.flowMod(SwitchConnection.OF13, new FlowRuleBatchEntry(operation, rule), 42));
    }

    /** The rule as a flow-mod on the wire, then as the flow-stats entry a switch answers with, then a rule again. */
    private static FlowRule backFromTheSwitch(FlowRule rule) {
        OFFlowMod mod = flowMod(rule, FlowRuleOperation.ADD);
        OFFlowStatsEntry entry = SwitchConnection.OF13.buildFlowStatsEntry().setTableId(mod.getTableId())
                .setPriority(mod.getPriority()).setCookie(mod.getCookie()).setMatch(mod.getMatch())
                .setInstructions(mod.getInstructions()).setIdleTimeout(mod.getIdleTimeout())
                .setHardTimeout(mod.getHardTimeout()).setPacketCount(U64.of(10)).setByteCount(U64.of(640)).build();
        OFFlowStatsReply reply = (OFFlowStatsReply) wire(SwitchConnection.OF13.buildFlowStatsReply().setXid(7)
                .setEntries(List.of(entry)).build());
        FlowRule back = OpenFlowFlows.toRule(rule.deviceId(), reply.getEntries().get(0));
        assertEquals(rule.id(), back.id(), "the flow id is computed from the match read back");
        assertEquals(rule.idleTimeout(), back.idleTimeout());
        assertEquals(rule.hardTimeout(), back.hardTimeout());
        return back;
    }

    /** Encodes a message and decodes it again, as it crosses a connection. */
    private static OFMessage wire(OFMessage message) {
        ByteBuf buf = Unpooled.buffer();
        try {
            message.writeTo(buf);
            return OFFactories.getGenericReader().readFrom(buf);
        } catch (Exception e) {
            throw new AssertionError("cannot decode " + message + ": " + e, e);
        } finally {
            buf.release();
        }
    }
}
