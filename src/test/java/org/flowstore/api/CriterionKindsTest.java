package org.flowstore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.Criterion.Type;
import org.flowstore.api.flow.criteria.EthCriterion;
import org.flowstore.api.flow.criteria.ExtensionCriterion;
import org.flowstore.api.flow.criteria.FieldCriterion;
import org.flowstore.api.flow.criteria.IPCriterion;
import org.flowstore.api.flow.criteria.OpticalCriterion;
import org.flowstore.api.flow.criteria.PiCriterion;
import org.flowstore.api.flow.criteria.PortCriterion;
import org.flowstore.api.flow.criteria.TransportPortCriterion;
import org.flowstore.api.flow.criteria.VlanIdCriterion;
import org.flowstore.testing.CriterionSamples;
import org.flowstore.testing.TestFlows;

/**
 * Every criterion kind, driven by {@link Criterion.Type} (a kind cannot be left out): its
 * checks name the field, equal values are equal, and the flow id of a rule matching on it is
 * pinned, so ids never change across releases.
 */
class CriterionKindsTest {

    /** Flow ids of a rule matching on each kind's sample alone: the canonical encoding, frozen. */
    private static final Map<Type, Long> FLOW_IDS = flowIds();

    @ParameterizedTest
    @EnumSource(Type.class)
    void theSampleIsOfItsKindAndEqualsOnlyItself(Type type) {
        Criterion sample = CriterionSamples.of(type);
        assertEquals(type, sample.type());
        assertEquals(sample, CriterionSamples.of(type));
        assertEquals(sample.hashCode(), CriterionSamples.of(type).hashCode());
        assertTrue(sample.toString().startsWith(type.name() + ":"), sample.toString());
        for (Type other : Type.values()) {
            if (other != type) {
                assertNotEquals(sample, CriterionSamples.of(other), type + " vs " + other);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void aValueTheFieldCannotHoldIsRefusedNamingTheField(Type type) {
        if (type.bits() == 64) {
            // Every value and mask of a 64-bit field is one the field can hold.
            assertEquals(-1L, Criteria.matchField(type, -1L, -1L).value());
            return;
        }
        RuntimeException e = assertThrows(RuntimeException.class, () -> invalid(type));
        assertTrue(e instanceof IllegalArgumentException || e instanceof NullPointerException, e.toString());
        assertTrue(e.getMessage().contains(type.name()), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void theFlowIdOfARuleMatchingOnTheKindNeverChanges(Type type) {
        assertEquals(FLOW_IDS.get(type), ruleOn(CriterionSamples.of(type)).id().value(),
                () -> type + ": the flow id moved; pinned ids are the identity of stored flows");
    }

    @Test
    void aSelectorOrdersItsCriteriaByOxmField() {
        TrafficSelector.Builder builder = TrafficSelector.builder();
        List<Criterion> reversed = new ArrayList<>(CriterionSamples.all());
        Collections.reverse(reversed);
        reversed.forEach(builder::add);
        List<Criterion> criteria = builder.build().criteria();
        assertEquals(Type.values().length, criteria.size());
        for (int i = 1; i < criteria.size(); i++) {
            assertTrue(criteria.get(i - 1).type().oxmField() <= criteria.get(i).type().oxmField(), criteria.toString());
        }
    }

    /** Builds a criterion of the kind with a value it cannot hold. */
    private static Criterion invalid(Type type) {
        MacAddress mac = MacAddress.valueOf(1);
        return switch (type) {
            case IN_PORT -> new PortCriterion(null);
            case ETH_TYPE -> Criteria.matchEthType(0x10000);
            case VLAN_VID -> new VlanIdCriterion(null);
            case IP_PROTO -> Criteria.matchIPProtocol(256);
            default -> {
                Criterion sample = CriterionSamples.of(type);
                if (sample instanceof EthCriterion) {
                    yield new EthCriterion(type, mac, type.isMaskedForm() ? null : mac);
                } else if (sample instanceof IPCriterion c) {
                    yield new IPCriterion(type, c.ip().isIp4() ? IpPrefix.valueOf("::/0") : IpPrefix.valueOf("0.0.0.0/0"));
                } else if (sample instanceof TransportPortCriterion) {
                    yield new TransportPortCriterion(type, 0x10000);
                } else if (sample instanceof FieldCriterion) {
                    yield Criteria.matchField(type, 1L << type.bits());
                } else if (sample instanceof OpticalCriterion) {
                    yield new OpticalCriterion(type, null, null, null, null);
                } else if (sample instanceof PiCriterion) {
                    yield new PiCriterion(List.of());
                } else if (sample instanceof ExtensionCriterion) {
                    yield new ExtensionCriterion(null);
                }
                throw new AssertionError("no invalid value for " + type);
            }
        };
    }

    private static DefaultFlowRule ruleOn(Criterion criterion) {
        return DefaultFlowRule.builder().forDevice(TestFlows.device(1)).withPriority(100).fromApp(TestFlows.APP)
                .withSelector(TrafficSelector.builder().add(criterion).build())
                .withTreatment(TrafficTreatment.EMPTY).makePermanent().build();
    }

    private static Map<Type, Long> flowIds() {
        Map<Type, Long> ids = new EnumMap<>(Type.class);
        ids.put(Type.IN_PORT, 2139861928832826L);
        ids.put(Type.ETH_DST, 2107799351559376L);
        ids.put(Type.ETH_SRC, 2216300452283395L);
        ids.put(Type.ETH_TYPE, 2032139331619588L);
        ids.put(Type.VLAN_VID, 2021717065479696L);
        ids.put(Type.IP_PROTO, 1998869008430259L);
        ids.put(Type.IPV4_SRC, 2199200697650842L);
        ids.put(Type.IPV4_DST, 1991779325326873L);
        ids.put(Type.TCP_SRC, 1970942945748307L);
        ids.put(Type.TCP_DST, 2234864656925465L);
        ids.put(Type.UDP_SRC, 2172132294116299L);
        ids.put(Type.UDP_DST, 2232987461483551L);
        ids.put(Type.IPV6_SRC, 1995305817502705L);
        ids.put(Type.IPV6_DST, 1976703640004476L);
        ids.put(Type.IN_PHY_PORT, 2015648571243249L);
        ids.put(Type.METADATA, 2062841504892132L);
        ids.put(Type.ETH_DST_MASKED, 2122306198482786L);
        ids.put(Type.ETH_SRC_MASKED, 2195043765188643L);
        ids.put(Type.VLAN_PCP, 2250617633338023L);
        ids.put(Type.IP_DSCP, 2200376134146475L);
        ids.put(Type.IP_ECN, 2039092574679418L);
        ids.put(Type.TCP_SRC_MASKED, 2177406719916598L);
        ids.put(Type.TCP_DST_MASKED, 1982381842152579L);
        ids.put(Type.UDP_SRC_MASKED, 2211056777520107L);
        ids.put(Type.UDP_DST_MASKED, 2085011428780125L);
        ids.put(Type.SCTP_SRC, 2167355498671398L);
        ids.put(Type.SCTP_DST, 2001861322962096L);
        ids.put(Type.SCTP_SRC_MASKED, 2196463496534257L);
        ids.put(Type.SCTP_DST_MASKED, 2024312671444542L);
        ids.put(Type.ICMPV4_TYPE, 2058648409703017L);
        ids.put(Type.ICMPV4_CODE, 2043175011663096L);
        ids.put(Type.ARP_OP, 1988928391758743L);
        ids.put(Type.ARP_SPA, 2175945167212153L);
        ids.put(Type.ARP_TPA, 2239414917723394L);
        ids.put(Type.ARP_SHA, 2116567775988848L);
        ids.put(Type.ARP_THA, 2025000004740177L);
        ids.put(Type.IPV6_FLABEL, 2166575861316118L);
        ids.put(Type.ICMPV6_TYPE, 2105066852265465L);
        ids.put(Type.ICMPV6_CODE, 2188477055370183L);
        ids.put(Type.IPV6_ND_TARGET, 2083657262856855L);
        ids.put(Type.IPV6_ND_SLL, 2053762930267648L);
        ids.put(Type.IPV6_ND_TLL, 2103825125408861L);
        ids.put(Type.MPLS_LABEL, 2069769327084766L);
        ids.put(Type.MPLS_TC, 2170178613169502L);
        ids.put(Type.MPLS_BOS, 1974665191081859L);
        ids.put(Type.PBB_ISID, 1982528766439356L);
        ids.put(Type.TUNNEL_ID, 2049319907159278L);
        ids.put(Type.IPV6_EXTHDR, 2140180236908360L);
        ids.put(Type.TCP_FLAGS, 2005262978622019L);
        ids.put(Type.INNER_VLAN_VID, 2101484897175255L);
        ids.put(Type.INNER_VLAN_PCP, 2058146494798695L);
        ids.put(Type.OCH_SIGID, 2248857635584631L);
        ids.put(Type.OCH_SIGTYPE, 1972348950541406L);
        ids.put(Type.ODU_SIGID, 2197521026782724L);
        ids.put(Type.ODU_SIGTYPE, 2241165218706970L);
        ids.put(Type.PROTOCOL_INDEPENDENT, 2113985658342373L);
        ids.put(Type.EXTENSION, 2196676207452453L);
        return ids;
    }

    /** Prints the pinned table (run once when a kind is added, and paste the new line). */
    public static void main(String[] args) {
        for (Type type : Type.values()) {
            System.out.printf("        ids.put(Type.%s, %dL);%n", type, ruleOn(CriterionSamples.of(type)).id().value());
        }
    }
}
