package org.flowstore.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.flowstore.api.ByteString;
import org.flowstore.api.IpAddress;
import org.flowstore.api.MacAddress;
import org.flowstore.api.OchSignal;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
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

/**
 * One instruction of every kind: every {@link Instruction.Type}, every L2, L3 and L4 subtype, and
 * a set-field of every settable field. The switches have no default: a kind added without a
 * sample here does not compile.
 */
public final class InstructionSamples {

    private InstructionSamples() {
    }

    /** Returns a sample of every kind, each a different action. */
    public static List<Instruction> all() {
        List<Instruction> all = new ArrayList<>();
        for (Instruction.Type type : Instruction.Type.values()) {
            switch (type) {
                case OUTPUT -> {
                    all.add(new OutputInstruction(PortNumber.CONTROLLER));
                    all.add(new OutputInstruction(PortNumber.portNumber(0xFFFF_FF00L)));
                }
                case GROUP -> all.add(new GroupInstruction(0xFFFF_FFF0));
                case METER -> all.add(new MeterInstruction(0xABCL));
                case TABLE -> all.add(new TableTypeTransition(254));
                case QUEUE -> {
                    all.add(new SetQueueInstruction(0xFFFF_FFFFL));
                    all.add(new SetQueueInstruction(7, PortNumber.portNumber(3)));
                }
                case NOACTION -> all.add(new NoActionInstruction());
                case L2MODIFICATION -> {
                    for (L2SubType subtype : L2SubType.values()) {
                        all.add(l2(subtype));
                    }
                }
                case L3MODIFICATION -> {
                    for (L3SubType subtype : L3SubType.values()) {
                        all.add(l3(subtype));
                    }
                }
                case L4MODIFICATION -> {
                    for (L4SubType subtype : L4SubType.values()) {
                        all.add(new ModTransportPortInstruction(subtype, 0xFFFF - subtype.ordinal()));
                    }
                }
                case METADATA -> all.add(new WriteMetadataInstruction(0x8000_0000_0000_0001L, 0xFFFF_0000_0000_FFFFL));
                case SET_FIELD -> {
                    for (Criterion.Type field : SetFieldInstruction.SETTABLE) {
                        all.add(new SetFieldInstruction(CriterionSamples.exactOf(field)));
                    }
                }
                case L0MODIFICATION -> all.add(new ModOchSignalInstruction(new OchSignal(OchSignal.GridType.FLEX,
                        OchSignal.ChannelSpacing.CHL_6P25GHZ, 12, 8)));
                case L1MODIFICATION -> all.add(new ModOduSignalIdInstruction(new OduSignalId(4095, 10,
                        ByteString.fromHex("8001"))));
                case PROTOCOL_INDEPENDENT -> {
                    for (PiInstruction.Subtype subtype : PiInstruction.Subtype.values()) {
                        all.add(switch (subtype) {
                            case ACTION -> PiInstruction.action("ingress.set_egress_port", List.of(
                                    new PiInstruction.Param("port", ByteString.fromHex("01ff")),
                                    new PiInstruction.Param("smac", ByteString.fromHex("0a0b0c0d0e0f"))));
                            case ACTION_PROFILE_GROUP_ID, ACTION_PROFILE_MEMBER_ID ->
                                    PiInstruction.profile(subtype, 0xFFFF_FFF0L + subtype.ordinal());
                        });
                    }
                }
                case EXTENSION -> all.add(new ExtensionInstruction(TestFlows.device(1),
                        ByteString.copyOf("{\"type\":\"NICIRA_SET_TUNNEL_DST\",\"tunnelDst\":\"10.0.0.1\"}"
                                .getBytes(StandardCharsets.UTF_8))));
            }
        }
        return all;
    }

    private static Instruction l2(L2SubType subtype) {
        return switch (subtype) {
            case ETH_SRC, ETH_DST -> new ModEtherInstruction(subtype, MacAddress.valueOf("8a:00:00:00:00:0" + subtype.ordinal()));
            case VLAN_ID -> new ModVlanIdInstruction(VlanId.vlanId(4094));
            case VLAN_PCP -> new ModVlanPcpInstruction(7);
            case VLAN_PUSH -> new ModVlanHeaderInstruction(subtype, 0x88A8);
            case VLAN_POP -> new ModVlanHeaderInstruction(subtype, 0);
            case MPLS_LABEL, TUNNEL_ID, MPLS_BOS, MPLS_TTL ->
                    new ModL2FieldInstruction(subtype, subtype.bits() >= 64 ? -2L : (1L << subtype.bits()) - 1);
            case MPLS_PUSH -> new ModHeaderInstruction(subtype, ModHeaderInstruction.MPLS_UNICAST);
            case MPLS_POP -> new ModHeaderInstruction(subtype, Criteria.ETH_TYPE_IPV6);
            case PBB_PUSH -> new ModHeaderInstruction(subtype, ModHeaderInstruction.PBB);
            case PBB_POP -> new ModHeaderInstruction(subtype, 0);
            case DEC_MPLS_TTL -> new ModMplsTtlInstruction();
        };
    }

    private static Instruction l3(L3SubType subtype) {
        return switch (subtype) {
            case IPV4_SRC, IPV4_DST, ARP_SPA -> new ModIPInstruction(subtype, IpAddress.valueOf("10.1.2." + subtype.ordinal()));
            case IPV6_SRC, IPV6_DST -> new ModIPInstruction(subtype, IpAddress.valueOf("2001:db8::" + subtype.ordinal()));
            case DEC_TTL, TTL_OUT, TTL_IN -> new ModTtlInstruction(subtype);
            case ARP_SHA -> new ModArpEthInstruction(MacAddress.valueOf("8a:00:00:00:00:ff"));
            case IPV6_FLABEL, ARP_OP, IP_DSCP, IP_TTL -> new ModL3FieldInstruction(subtype, (1L << subtype.bits()) - 1);
        };
    }
}
