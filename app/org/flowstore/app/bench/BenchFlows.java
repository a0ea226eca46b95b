package org.flowstore.app.bench;

import java.util.ArrayList;
import java.util.List;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.PortNumber;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criteria;

/**
 * The benchmarks' flows, the design-target shape: match in_port, IPv4 and a /32 destination,
 * output to a port, priority 100, permanent. Flow {@code key} of a writer {@code writer} has
 * destination {@code 10.0.0.0 + writer * 2^20 + key}, so writers (nodes) never share a match.
 */
public final class BenchFlows {

    /** Keys one writer can use per device. */
    public static final int MAX_KEYS = 1 << 20;
    /** Writers (distinct destination ranges) there can be. */
    public static final int MAX_WRITERS = 16;

    private BenchFlows() {
    }

    /**
     * Returns one flow.
     *
     * @param deviceId the device
     * @param app the owner
     * @param writer the writer, 0 to {@value #MAX_WRITERS} - 1
     * @param key the key, 0 to {@value #MAX_KEYS} - 1
     * @param outPort the output port (a change of it is a modification)
     * @return the flow
     */
    public static FlowRule flow(DeviceId deviceId, ApplicationId app, int writer, int key, int outPort) {
        if (writer < 0 || writer >= MAX_WRITERS || key < 0 || key >= MAX_KEYS) {
            throw new IllegalArgumentException("writer must be 0.." + (MAX_WRITERS - 1) + " and key 0.."
                    + (MAX_KEYS - 1) + "; were " + writer + " and " + key);
        }
        TrafficSelector selector = TrafficSelector.builder()
                .matchInPort(PortNumber.portNumber(key % 48 + 1))
                .matchEthType(Criteria.ETH_TYPE_IPV4)
                .matchIPDst(IpPrefix.host(IpAddress.ipv4(0x0A00_0000 | writer << 20 | key)))
                .build();
        return DefaultFlowRule.builder().forDevice(deviceId).withPriority(100).withSelector(selector)
                .withTreatment(TrafficTreatment.builder().setOutput(PortNumber.portNumber(outPort)).build())
                .fromApp(app).makePermanent().build();
    }

    /**
     * Returns keys {@code 0..count-1} of a writer on a device, output to port {@code key % 48 + 1}.
     *
     * @param deviceId the device
     * @param app the owner
     * @param writer the writer
     * @param count how many
     * @return the flows, in key order
     */
    public static List<FlowRule> flows(DeviceId deviceId, ApplicationId app, int writer, int count) {
        List<FlowRule> flows = new ArrayList<>(count);
        for (int key = 0; key < count; key++) {
            flows.add(flow(deviceId, app, writer, key, key % 48 + 1));
        }
        return flows;
    }
}
