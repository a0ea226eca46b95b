package org.flowstore.testing;

import java.util.ArrayList;
import java.util.List;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.PortNumber;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;

/**
 * Rules and batches for tests and benchmarks: the design-target workload (match in_port, IPv4
 * and a /32 destination; output to a port), numbered so that rule {@code i} of a device is
 * always the same rule.
 */
public final class TestFlows {

    /** The application most test rules belong to. */
    public static final ApplicationId APP = ApplicationId.of(7, "org.flowstore.test");
    /** A second application. */
    public static final ApplicationId OTHER_APP = ApplicationId.of(8, "org.flowstore.other");

    private TestFlows() {
    }

    /** Returns device {@code of:<16 hex digits of n>}. */
    public static DeviceId device(int n) {
        return DeviceId.deviceId(String.format("of:%016x", n));
    }

    /** Returns the selector of rule {@code i}: in_port i%48+1, IPv4, dst 10.x.y.z/32 from i. */
    public static TrafficSelector selector(int i) {
        return TrafficSelector.builder()
                .matchInPort(PortNumber.portNumber(i % 48 + 1))
                .matchEthType(Criteria.ETH_TYPE_IPV4)
                .matchIPDst(IpPrefix.host(IpAddress.ipv4(0x0A00_0000 | (i & 0xFF_FFFF))))
                .build();
    }

    /** Returns the treatment "output to port p". */
    public static TrafficTreatment output(int port) {
        return TrafficTreatment.builder().setOutput(PortNumber.portNumber(port)).build();
    }

    /** Returns rule {@code i} of a device for {@link #APP}, priority 100, output to port i%48+1. */
    public static DefaultFlowRule rule(DeviceId deviceId, int i) {
        return rule(deviceId, i, APP, output(i % 48 + 1));
    }

    /** Returns rule {@code i} of a device with an owner and a treatment. */
    public static DefaultFlowRule rule(DeviceId deviceId, int i, ApplicationId app, TrafficTreatment treatment) {
        return DefaultFlowRule.builder().forDevice(deviceId).withPriority(100).withSelector(selector(i))
                .withTreatment(treatment).fromApp(app).makePermanent().build();
    }

    /** Returns rules {@code from} (inclusive) to {@code to} (exclusive) of a device. */
    public static List<FlowRule> rules(DeviceId deviceId, int from, int to) {
        List<FlowRule> rules = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            rules.add(rule(deviceId, i));
        }
        return rules;
    }

    /**
     * Returns the rules of writer batch {@code batch} of a device: rules batch*size to batch*size+size-1.
     *
     * @param deviceId the device
     * @param batch the batch id
     * @param size rules per batch
     * @return the rules
     */
    public static List<FlowRule> batchRules(DeviceId deviceId, long batch, int size) {
        int first = (int) batch * size;
        return rules(deviceId, first, first + size);
    }

    /** Returns a batch applying one operation to each rule. */
    public static FlowRuleBatchOperation batch(long id, FlowRuleOperation op, List<? extends FlowRule> rules) {
        List<FlowRuleBatchEntry> entries = new ArrayList<>(rules.size());
        rules.forEach(r -> entries.add(new FlowRuleBatchEntry(op, r)));
        return new FlowRuleBatchOperation(entries, rules.get(0).deviceId(), id);
    }
}
