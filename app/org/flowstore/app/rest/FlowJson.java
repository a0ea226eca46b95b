package org.flowstore.app.rest;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.EthTypeCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.IPProtocolCriterion;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
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

/**
 * Flow rules and entries as JSON, in the shape of ONOS's flow codecs (FlowEntryCodec,
 * FlowRuleCodec, CriterionCodec, InstructionCodec), so ONOS REST clients work unchanged.
 * Decoding validates everything and names the field at fault; it never returns a partial rule.
 */
public final class FlowJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private FlowJson() {
    }

    /**
     * Encodes a flow entry as ONOS does.
     *
     * @param entry the entry
     * @return its JSON object
     */
    public static ObjectNode encode(FlowEntry entry) {
        ObjectNode o = JSON.objectNode();
        o.put("id", Long.toString(entry.id().value()));
        o.put("tableId", entry.tableId());
        o.put("appId", entry.appId().name());
        o.put("groupId", 0);
        o.put("priority", entry.priority());
        o.put("timeout", entry.idleTimeout());
        o.put("isPermanent", entry.isPermanent());
        o.put("deviceId", entry.deviceId().uri());
        o.put("state", entry.state().name());
        o.put("life", entry.life());
        o.put("packets", entry.packets());
        o.put("bytes", entry.bytes());
        o.put("liveType", entry.liveType().name());
        o.put("lastSeen", entry.lastSeen());
        o.set("treatment", encode(entry.treatment()));
        o.set("selector", encode(entry.selector()));
        return o;
    }

    private static ObjectNode encode(TrafficSelector selector) {
        ObjectNode o = JSON.objectNode();
        ArrayNode criteria = o.putArray("criteria");
        selector.criteria().forEach(c -> criteria.add(encode(c)));
        return o;
    }

    private static ObjectNode encode(TrafficTreatment treatment) {
        ObjectNode o = JSON.objectNode();
        ArrayNode immediate = o.putArray("instructions");
        treatment.immediate().forEach(i -> immediate.add(encode(i)));
        ArrayNode deferred = o.putArray("deferred");
        treatment.deferred().forEach(i -> deferred.add(encode(i)));
        if (treatment.clearedDeferred()) {
            o.put("clearDeferred", true);
        }
        return o;
    }

    static ObjectNode encode(Criterion criterion) {
        ObjectNode o = JSON.objectNode();
        o.put("type", criterion.type().name());
        if (criterion instanceof PortCriterion c) {
            o.put("port", c.port().toLong());
        } else if (criterion instanceof EthCriterion c) {
            o.put("mac", c.mac().toString());
        } else if (criterion instanceof EthTypeCriterion c) {
            o.put("ethType", "0x" + Integer.toHexString(c.ethType()));
        } else if (criterion instanceof VlanIdCriterion c) {
            o.put("vlanId", c.vlanId().toInt());
        } else if (criterion instanceof IPProtocolCriterion c) {
            o.put("protocol", c.protocol());
        } else if (criterion instanceof IPCriterion c) {
            o.put("ip", c.ip().toString());
        } else if (criterion instanceof TransportPortCriterion c) {
            boolean tcp = c.type() == Criterion.Type.TCP_SRC || c.type() == Criterion.Type.TCP_DST;
            o.put(tcp ? "tcpPort" : "udpPort", c.port());
        }
        return o;
    }

    static ObjectNode encode(Instruction instruction) {
        ObjectNode o = JSON.objectNode();
        o.put("type", instruction.type().name());
        if (instruction instanceof OutputInstruction i) {
            o.put("port", i.port().toString());
        } else if (instruction instanceof GroupInstruction i) {
            o.put("groupId", i.groupId());
        } else if (instruction instanceof MeterInstruction i) {
            o.put("meterId", i.meterId());
        } else if (instruction instanceof TableTypeTransition i) {
            o.put("tableId", i.tableId());
        } else if (instruction instanceof SetQueueInstruction i) {
            o.put("queueId", i.queueId());
        } else if (instruction instanceof ModEtherInstruction i) {
            o.put("subtype", i.subtype().name()).put("mac", i.mac().toString());
        } else if (instruction instanceof ModVlanIdInstruction i) {
            o.put("subtype", L2SubType.VLAN_ID.name()).put("vlanId", i.vlanId().toInt());
        } else if (instruction instanceof ModVlanPcpInstruction i) {
            o.put("subtype", L2SubType.VLAN_PCP.name()).put("vlanPcp", i.pcp());
        } else if (instruction instanceof ModVlanHeaderInstruction i) {
            o.put("subtype", i.subtype().name());
            if (i.subtype() == L2SubType.VLAN_PUSH) {
                o.put("ethernetType", "0x" + Integer.toHexString(i.ethernetType()));
            }
        } else if (instruction instanceof ModIPInstruction i) {
            o.put("subtype", i.subtype().name()).put("ip", i.ip().toString());
        } else if (instruction instanceof ModTtlInstruction) {
            o.put("subtype", L3SubType.DEC_TTL.name());
        } else if (instruction instanceof ModTransportPortInstruction i) {
            boolean tcp = i.subtype() == L4SubType.TCP_SRC || i.subtype() == L4SubType.TCP_DST;
            o.put("subtype", i.subtype().name()).put(tcp ? "tcpPort" : "udpPort", i.port());
        }
        return o;
    }

    /**
     * Decodes a flow rule as ONOS's FlowRuleCodec reads it: {@code priority} required,
     * {@code isPermanent} (default false) or {@code timeout}, {@code tableId}, {@code selector},
     * {@code treatment}; the device from {@code deviceId} unless the request path fixes it.
     *
     * @param in the rule object
     * @param pathDevice the device named by the request path, or null to read {@code deviceId}
     * @param appId the owning application
     * @return the rule
     * @throws BadRequestException naming the first field at fault
     */
    public static FlowRule decodeRule(JsonInput in, DeviceId pathDevice, ApplicationId appId) {
        DeviceId deviceId = pathDevice;
        if (deviceId == null) {
            deviceId = in.parse("deviceId", DeviceId::deviceId);
        } else if (in.has("deviceId") && !in.text("deviceId").trim().equals(pathDevice.uri())) {
            throw new BadRequestException(in.field("deviceId") + " '" + in.text("deviceId") + "' differs from the device "
                    + pathDevice + " of the request path");
        }
        DefaultFlowRule.Builder rule = DefaultFlowRule.builder()
                .forDevice(deviceId)
                .withPriority((int) in.number("priority", 0, 0xFFFF))
                .forTable((int) in.number("tableId", 0, 254, 0))
                .fromApp(appId)
                .withSelector(in.has("selector") ? decodeSelector(in.object("selector")) : TrafficSelector.EMPTY)
                .withTreatment(in.has("treatment") ? decodeTreatment(in.object("treatment")) : TrafficTreatment.EMPTY);
        if (in.bool("isPermanent", false)) {
            rule.makePermanent();
        } else {
            rule.makeTemporary((int) in.number("timeout", 0, 0xFFFF));
        }
        return model(in, rule::build);
    }

    private static TrafficSelector decodeSelector(JsonInput in) {
        TrafficSelector.Builder selector = TrafficSelector.builder();
        for (JsonInput c : in.objects("criteria")) {
            Criterion criterion = decodeCriterion(c);
            model(c, () -> selector.add(criterion));
        }
        return model(in, selector::build);
    }

    private static Criterion decodeCriterion(JsonInput c) {
        String type = c.text("type").trim().toUpperCase(Locale.ROOT);
        return model(c, () -> switch (type) {
            case "IN_PORT" -> Criteria.matchInPort(PortNumber.portNumber(c.number("port", 0, PortNumber.MAX_NUMBER)));
            case "ETH_SRC" -> Criteria.matchEthSrc(c.parse("mac", MacAddress::valueOf));
            case "ETH_DST" -> Criteria.matchEthDst(c.parse("mac", MacAddress::valueOf));
            case "ETH_TYPE" -> Criteria.matchEthType((int) c.number("ethType", 0, 0xFFFF));
            case "VLAN_VID" -> Criteria.matchVlanId(VlanId.vlanId((int) c.number("vlanId", 0, 0xFFFF)));
            case "IP_PROTO" -> Criteria.matchIPProtocol((int) c.number("protocol", 0, 255));
            case "IPV4_SRC" -> Criteria.matchIPSrc(c.parse("ip", IpPrefix::valueOf));
            case "IPV4_DST" -> Criteria.matchIPDst(c.parse("ip", IpPrefix::valueOf));
            case "IPV6_SRC" -> Criteria.matchIPv6Src(c.parse("ip", IpPrefix::valueOf));
            case "IPV6_DST" -> Criteria.matchIPv6Dst(c.parse("ip", IpPrefix::valueOf));
            case "TCP_SRC" -> Criteria.matchTransportPort(Criterion.Type.TCP_SRC, (int) c.number("tcpPort", 0, 0xFFFF));
            case "TCP_DST" -> Criteria.matchTransportPort(Criterion.Type.TCP_DST, (int) c.number("tcpPort", 0, 0xFFFF));
            case "UDP_SRC" -> Criteria.matchTransportPort(Criterion.Type.UDP_SRC, (int) c.number("udpPort", 0, 0xFFFF));
            case "UDP_DST" -> Criteria.matchTransportPort(Criterion.Type.UDP_DST, (int) c.number("udpPort", 0, 0xFFFF));
            default -> throw new BadRequestException(c.field("type") + " '" + type + "' is not a supported criterion");
        });
    }

    private static TrafficTreatment decodeTreatment(JsonInput in) {
        TrafficTreatment.Builder treatment = TrafficTreatment.builder();
        for (JsonInput i : in.objects("instructions")) {
            Instruction instruction = decodeInstruction(i);
            model(i, () -> treatment.add(instruction));
        }
        for (JsonInput i : in.objects("deferred")) {
            Instruction instruction = decodeInstruction(i);
            model(i, () -> treatment.addDeferred(instruction));
        }
        if (in.bool("clearDeferred", false)) {
            treatment.wipeDeferred();
        }
        return model(in, treatment::build);
    }

    private static Instruction decodeInstruction(JsonInput i) {
        String type = i.text("type").trim().toUpperCase(Locale.ROOT);
        return model(i, () -> switch (type) {
            case "OUTPUT" -> new OutputInstruction(i.parse("port", PortNumber::fromString));
            case "GROUP" -> new GroupInstruction((int) i.number("groupId", 0, 0xFFFF_FFFFL));
            case "METER" -> new MeterInstruction(i.number("meterId", 0, 0xFFFF_FFFFL));
            case "TABLE" -> new TableTypeTransition((int) i.number("tableId", 0, 254));
            case "QUEUE" -> {
                if (i.has("port")) {
                    throw new BadRequestException(i.field("port") + ": QUEUE with a port is not supported; use OUTPUT");
                }
                yield new SetQueueInstruction(i.number("queueId", 0, 0xFFFF_FFFFL));
            }
            case "NOACTION", "DROP" -> new NoActionInstruction();
            case "L2MODIFICATION" -> decodeL2(i);
            case "L3MODIFICATION" -> decodeL3(i);
            case "L4MODIFICATION" -> decodeL4(i);
            default -> throw new BadRequestException(i.field("type") + " '" + type + "' is not a supported instruction");
        });
    }

    private static Instruction decodeL2(JsonInput i) {
        L2SubType subtype = subtype(i, L2SubType.class);
        return switch (subtype) {
            case ETH_SRC, ETH_DST -> new ModEtherInstruction(subtype, i.parse("mac", MacAddress::valueOf));
            case VLAN_ID -> new ModVlanIdInstruction(VlanId.vlanId((int) i.number("vlanId", 0, VlanId.MAX_VLAN)));
            case VLAN_PCP -> new ModVlanPcpInstruction((int) i.number("vlanPcp", 0, 7));
            case VLAN_PUSH -> new ModVlanHeaderInstruction(subtype, (int) i.number("ethernetType", 0, 0xFFFF, 0x8100));
            case VLAN_POP -> new ModVlanHeaderInstruction(subtype, 0);
        };
    }

    private static Instruction decodeL3(JsonInput i) {
        L3SubType subtype = subtype(i, L3SubType.class);
        return subtype == L3SubType.DEC_TTL ? new ModTtlInstruction()
                : new ModIPInstruction(subtype, i.parse("ip", IpAddress::valueOf));
    }

    private static Instruction decodeL4(JsonInput i) {
        L4SubType subtype = subtype(i, L4SubType.class);
        String field = subtype == L4SubType.TCP_SRC || subtype == L4SubType.TCP_DST ? "tcpPort" : "udpPort";
        return new ModTransportPortInstruction(subtype, (int) i.number(field, 0, 0xFFFF));
    }

    private static <E extends Enum<E>> E subtype(JsonInput i, Class<E> kind) {
        String name = i.text("subtype").trim().toUpperCase(Locale.ROOT);
        try {
            return Enum.valueOf(kind, name);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(i.field("subtype") + " '" + name + "' is not one of "
                    + Arrays.toString(kind.getEnumConstants()));
        }
    }

    /** Runs a model factory, turning its refusal into one naming the object at fault. */
    private static <T> T model(JsonInput at, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (BadRequestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw at.fail(String.valueOf(e.getMessage()));
        }
    }
}
