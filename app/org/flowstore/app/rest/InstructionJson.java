package org.flowstore.app.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.ByteString;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.instructions.ExtensionInstruction;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.L2ModificationInstruction.L2SubType;
import org.flowstore.api.flow.instructions.L2ModificationInstruction;
import org.flowstore.api.flow.instructions.L3ModificationInstruction.L3SubType;
import org.flowstore.api.flow.instructions.L3ModificationInstruction;
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
 * Instructions as JSON, in the members and value types of ONOS's InstructionCodec: written as
 * ONOS writes them (where ONOS writes a form its own decoder misreads, the form that reads back),
 * and read in every form ONOS reads or writes. Decoding validates everything and names the member
 * at fault.
 */
final class InstructionJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The JSON member of each L2 modification that sets a number (ONOS's names; MPLS_TTL's own). */
    private static final Map<L2SubType, String> L2_KEYS = Map.of(L2SubType.MPLS_LABEL, "label", L2SubType.TUNNEL_ID,
            "tunnelId", L2SubType.MPLS_BOS, "bos", L2SubType.MPLS_TTL, "ttl");

    /** The JSON member of each L3 modification that sets a number (ONOS's names; ARP_OP's and IP_TTL's own). */
    private static final Map<L3SubType, String> L3_KEYS = Map.of(L3SubType.IPV6_FLABEL, "flowLabel", L3SubType.ARP_OP,
            "arpOp", L3SubType.IP_DSCP, "ipDscp", L3SubType.IP_TTL, "ttl");

    /** Ethernet types by the names ONOS's encoder writes for header pushes and pops. */
    private static final Map<String, Integer> ETHER_TYPES = Map.of("ipv4", Criteria.ETH_TYPE_IPV4, "arp",
            Criteria.ETH_TYPE_ARP, "vlan", Criteria.ETH_TYPE_VLAN, "qinq", 0x88A8, "ipv6", Criteria.ETH_TYPE_IPV6,
            "mpls_unicast", ModHeaderInstruction.MPLS_UNICAST, "mpls_multicast", 0x8848, "lldp", Criteria.ETH_TYPE_LLDP,
            "bddp", Criteria.ETH_TYPE_BDDP, "pbb", ModHeaderInstruction.PBB);

    static ObjectNode encode(Instruction instruction) {
        ObjectNode o = JSON.objectNode();
        o.put("type", instruction.type().name());
        if (instruction instanceof OutputInstruction i) {
            o.put("port", i.port().toString());
        } else if (instruction instanceof GroupInstruction i) {
            o.put("groupId", Integer.toUnsignedLong(i.groupId()));
        } else if (instruction instanceof MeterInstruction i) {
            // ONOS writes the meter id as a hex string; with 0x, so that reading it back is not ambiguous.
            o.put("meterId", "0x" + Long.toHexString(i.meterId()));
        } else if (instruction instanceof TableTypeTransition i) {
            o.put("tableId", Integer.toString(i.tableId()));
        } else if (instruction instanceof SetQueueInstruction i) {
            o.put("queueId", i.queueId());
            if (i.port() != null) {
                o.put("port", i.port().toString());
            }
        } else if (instruction instanceof WriteMetadataInstruction i) {
            o.put("metadata", i.metadata()).put("metadataMask", i.mask());
        } else if (instruction instanceof SetFieldInstruction i) {
            o.set("field", CriterionJson.encode(i.field()));
        } else if (instruction instanceof ModOchSignalInstruction i) {
            CriterionJson.encodeOchSignal(o.put("subtype", "OCH"), i.lambda());
        } else if (instruction instanceof ModOduSignalIdInstruction i) {
            CriterionJson.encodeOduSignalId(o.put("subtype", "ODU_SIGID").putObject("oduSignalId"), i.oduSignalId(),
                    "tributarySlotLength");
        } else if (instruction instanceof PiInstruction i) {
            o.put("subtype", i.subtype().name());
            switch (i.subtype()) {
                case ACTION -> {
                    o.put("actionId", i.actionId());
                    ObjectNode params = o.putObject("actionParams");
                    i.params().forEach(p -> params.put(p.id(), p.value().toHex()));
                }
                case ACTION_PROFILE_GROUP_ID -> o.put("groupId", i.profileId());
                case ACTION_PROFILE_MEMBER_ID -> o.put("memberId", i.profileId());
            }
        } else if (instruction instanceof ExtensionInstruction i) {
            o.put("deviceId", i.deviceId().uri());
            o.set("extension", extensionJson(i));
        } else if (instruction instanceof L2ModificationInstruction i) {
            encodeL2(o.put("subtype", i.subtype().name()), i);
        } else if (instruction instanceof L3ModificationInstruction i) {
            encodeL3(o.put("subtype", i.subtype().name()), i);
        } else if (instruction instanceof ModTransportPortInstruction i) {
            o.put("subtype", i.subtype().name()).put(CriterionJson.transportProtocol(i.subtype().name()) + "Port", i.port());
        }
        return o;
    }

    private static void encodeL2(ObjectNode o, L2ModificationInstruction instruction) {
        if (instruction instanceof ModEtherInstruction i) {
            o.put("mac", i.mac().toString());
        } else if (instruction instanceof ModVlanIdInstruction i) {
            o.put("vlanId", i.vlanId().toInt());
        } else if (instruction instanceof ModVlanPcpInstruction i) {
            o.put("vlanPcp", i.pcp());
        } else if (instruction instanceof ModVlanHeaderInstruction i && i.subtype() == L2SubType.VLAN_PUSH) {
            o.put("ethernetType", String.format("0x%04x", i.ethernetType()));
        } else if (instruction instanceof ModHeaderInstruction i) {
            o.put("ethernetType", String.format("0x%04x", i.ethernetType()));
        } else if (instruction instanceof ModL2FieldInstruction i) {
            String key = L2_KEYS.get(i.subtype());
            if (i.subtype() == L2SubType.MPLS_BOS) {
                o.put(key, i.value() == 1);
            } else {
                o.put(key, i.value());
            }
        }
    }

    private static void encodeL3(ObjectNode o, L3ModificationInstruction instruction) {
        if (instruction instanceof ModIPInstruction i) {
            o.put("ip", i.ip().toString());
        } else if (instruction instanceof ModArpEthInstruction i) {
            o.put("mac", i.mac().toString());
        } else if (instruction instanceof ModL3FieldInstruction i) {
            o.put(L3_KEYS.get(i.subtype()), i.value());
        }
    }

    static Instruction decode(JsonInput i) {
        String type = i.text("type").trim().toUpperCase(Locale.ROOT);
        return i.build(() -> switch (type) {
            case "OUTPUT" -> new OutputInstruction(i.parse("port", PortNumber::fromString));
            case "GROUP" -> new GroupInstruction((int) i.number("groupId", 0, 0xFFFF_FFFFL));
            case "METER" -> new MeterInstruction(meterId(i));
            case "TABLE" -> new TableTypeTransition((int) i.number("tableId", 0, 254));
            case "QUEUE" -> new SetQueueInstruction(i.number("queueId", 0, 0xFFFF_FFFFL),
                    i.has("port") && !i.node().get("port").isNull() ? i.parse("port", PortNumber::fromString) : null);
            case "NOACTION", "DROP" -> new NoActionInstruction();
            case "METADATA" -> new WriteMetadataInstruction(i.bits("metadata", 64, "METADATA"),
                    i.has("metadataMask") ? i.bits("metadataMask", 64, "METADATA") : -1L);
            case "SET_FIELD" -> new SetFieldInstruction(CriterionJson.decode(i.object("field")));
            case "L0MODIFICATION" -> {
                if (!i.text("subtype").trim().equalsIgnoreCase("OCH")) {
                    throw new BadRequestException(i.field("subtype") + " '" + i.text("subtype") + "' is not one of [OCH]");
                }
                yield new ModOchSignalInstruction(CriterionJson.decodeOchSignal(i));
            }
            case "L1MODIFICATION" -> {
                if (!i.text("subtype").trim().equalsIgnoreCase("ODU_SIGID")) {
                    throw new BadRequestException(i.field("subtype") + " '" + i.text("subtype") + "' is not one of [ODU_SIGID]");
                }
                // ONOS writes the signal as an object and reads it from the instruction itself: both are read.
                yield new ModOduSignalIdInstruction(CriterionJson.decodeOduSignalId(i.has("oduSignalId") ? i.object("oduSignalId") : i));
            }
            case "PROTOCOL_INDEPENDENT" -> decodePi(i);
            case "EXTENSION" -> new ExtensionInstruction(i.parse("deviceId", DeviceId::deviceId),
                    ByteString.copyOf(extensionBytes(i)));
            case "L2MODIFICATION" -> decodeL2(i);
            case "L3MODIFICATION" -> decodeL3(i);
            case "L4MODIFICATION" -> decodeL4(i);
            default -> throw new BadRequestException(i.field("type") + " '" + type + "' is not a supported instruction;"
                    + " one of " + Arrays.toString(Instruction.Type.values()) + " (DROP for NOACTION)");
        });
    }

    private static PiInstruction decodePi(JsonInput i) {
        PiInstruction.Subtype subtype = subtype(i, PiInstruction.Subtype.class);
        return switch (subtype) {
            case ACTION -> {
                List<PiInstruction.Param> params = new ArrayList<>();
                if (i.has("actionParams")) {
                    JsonInput actionParams = i.object("actionParams");
                    actionParams.node().fieldNames().forEachRemaining(name ->
                            params.add(new PiInstruction.Param(name, actionParams.parse(name, ByteString::fromHex))));
                }
                yield PiInstruction.action(i.text("actionId"), params);
            }
            case ACTION_PROFILE_GROUP_ID -> PiInstruction.profile(subtype, i.number("groupId", 0, 0xFFFF_FFFFL));
            case ACTION_PROFILE_MEMBER_ID -> PiInstruction.profile(subtype, i.number("memberId", 0, 0xFFFF_FFFFL));
        };
    }

    /** The bytes of an extension: its JSON object as compact UTF-8 text, which the store carries unread. */
    private static byte[] extensionBytes(JsonInput i) {
        JsonInput extension = i.object("extension");
        return extension.node().toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An extension's JSON object again, from the bytes {@link #extensionBytes} made (raw bytes become a base64 string). */
    private static JsonNode extensionJson(ExtensionInstruction i) {
        try {
            return MAPPER.readTree(i.payload().toByteArray());
        } catch (IOException e) {
            return JSON.binaryNode(i.payload().toByteArray());
        }
    }

    /**
     * The meter id: a number, a {@code 0x} hex string, a decimal string, or a string of hex
     * digits with a letter (the form ONOS's encoder writes, which its own decoder misreads).
     */
    private static long meterId(JsonInput i) {
        JsonNode v = i.node().get("meterId");
        if (v != null && v.isTextual() && v.asText().trim().matches("(?i)[0-9a-f]*[a-f][0-9a-f]*")) {
            return Long.parseLong(v.asText().trim(), 16);
        }
        return i.number("meterId", 0, 0xFFFF_FFFFL);
    }

    private static Instruction decodeL2(JsonInput i) {
        L2SubType subtype = subtype(i, L2SubType.class);
        return switch (subtype) {
            case ETH_SRC, ETH_DST -> new ModEtherInstruction(subtype, i.parse("mac", MacAddress::valueOf));
            case VLAN_ID -> new ModVlanIdInstruction(VlanId.vlanId((int) i.number("vlanId", 0, VlanId.MAX_VLAN)));
            case VLAN_PCP -> new ModVlanPcpInstruction((int) i.number("vlanPcp", 0, 7));
            case VLAN_PUSH -> new ModVlanHeaderInstruction(subtype, ethernetType(i, Criteria.ETH_TYPE_VLAN));
            case VLAN_POP -> new ModVlanHeaderInstruction(subtype, 0);
            case MPLS_PUSH -> new ModHeaderInstruction(subtype, ethernetType(i, ModHeaderInstruction.MPLS_UNICAST));
            case MPLS_POP -> new ModHeaderInstruction(subtype, ethernetType(i, Criteria.ETH_TYPE_IPV4));
            case PBB_PUSH -> new ModHeaderInstruction(subtype, ethernetType(i, ModHeaderInstruction.PBB));
            case PBB_POP -> new ModHeaderInstruction(subtype, 0);
            case DEC_MPLS_TTL -> new ModMplsTtlInstruction();
            case MPLS_BOS -> new ModL2FieldInstruction(subtype, i.flag(L2_KEYS.get(subtype), subtype.name()) ? 1 : 0);
            case MPLS_LABEL, TUNNEL_ID, MPLS_TTL ->
                    new ModL2FieldInstruction(subtype, i.bits(L2_KEYS.get(subtype), subtype.bits(), subtype.name()));
        };
    }

    private static Instruction decodeL3(JsonInput i) {
        L3SubType subtype = subtype(i, L3SubType.class);
        return switch (subtype) {
            case DEC_TTL, TTL_OUT, TTL_IN -> new ModTtlInstruction(subtype);
            case IPV4_SRC, IPV4_DST, IPV6_SRC, IPV6_DST, ARP_SPA -> new ModIPInstruction(subtype, i.parse("ip", IpAddress::valueOf));
            case ARP_SHA -> new ModArpEthInstruction(i.parse("mac", MacAddress::valueOf));
            case IPV6_FLABEL, ARP_OP, IP_DSCP, IP_TTL ->
                    new ModL3FieldInstruction(subtype, i.bits(L3_KEYS.get(subtype), subtype.bits(), subtype.name()));
        };
    }

    private static Instruction decodeL4(JsonInput i) {
        L4SubType subtype = subtype(i, L4SubType.class);
        return new ModTransportPortInstruction(subtype, (int) i.number(CriterionJson.transportProtocol(subtype.name()) + "Port", 0, 0xFFFF));
    }

    /**
     * The Ethernet type of a header push or pop: a number (a negative one is a 16-bit value
     * written signed, as ONOS writes MPLS_PUSH's), a {@code 0x} hex string, or a name ONOS's
     * encoder writes ({@code vlan}, {@code mpls_unicast}, ...); the default when absent.
     */
    private static int ethernetType(JsonInput i, int defaultType) {
        if (!i.has("ethernetType")) {
            return defaultType;
        }
        JsonNode v = i.node().get("ethernetType");
        if (v.isIntegralNumber()) {
            long n = v.asLong();
            if (n < Short.MIN_VALUE || n > 0xFFFF) {
                throw new BadRequestException(i.field("ethernetType") + " must be 0..0xFFFF, was " + n);
            }
            return (int) n & 0xFFFF;
        }
        Integer named = ETHER_TYPES.get(v.asText().trim().toLowerCase(Locale.ROOT));
        return named != null ? named : (int) i.number("ethernetType", 0, 0xFFFF);
    }

    private static <E extends Enum<E>> E subtype(JsonInput i, Class<E> kind) {
        return i.oneOf("subtype", kind, "subtype");
    }

    private InstructionJson() {
    }
}
