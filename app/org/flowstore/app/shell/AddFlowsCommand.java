package org.flowstore.app.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.PortNumber;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;

/**
 * {@code flowstore:add-flows N}: adds N flows, spread over the devices that have a master, through
 * the flow-rule service (as an application would, like ONOS's {@code add-test-flows}), and reports
 * how long the cluster took to acknowledge them all. The flows belong to the application
 * {@value #APP}; {@code flowstore:remove-flows} removes them.
 */
@Service
@Command(scope = "flowstore", name = "add-flows",
        description = "Adds N flows over the devices through the flow-rule service and reports the time taken")
public final class AddFlowsCommand implements Action {

    /** The application the shell's flows belong to. */
    static final String APP = "org.flowstore.shell";
    private static final int TIMEOUT_SECONDS = 120;

    @Argument(index = 0, name = "count", required = true, description = "How many flows (1..10000000)")
    int count;

    @Reference
    FlowRuleService flows;

    @Reference
    DeviceService devices;

    @Reference
    MastershipService mastership;

    @Reference
    ApplicationIdService applications;

    @Override
    public Object execute() throws Exception {
        if (count < 1 || count > 10_000_000) {
            System.out.println("count must be 1..10000000, was " + count);
            return null;
        }
        List<DeviceId> targets = devices.getDevices().stream()
                .filter(d -> mastership.getMastershipFor(d).master().isPresent())
                .sorted(Comparator.comparing(DeviceId::uri)).toList();
        if (targets.isEmpty()) {
            System.out.println("no device has a master: connect devices first");
            return null;
        }
        ApplicationId app = applications.registerApplication(APP);
        // A random base keeps repeated runs from rewriting the same flows.
        int base = ThreadLocalRandom.current().nextInt(1 << 20) << 4;
        List<FlowRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rules.add(rule(targets.get(i % targets.size()), app, base + i));
        }
        long started = System.nanoTime();
        List<FlowRule> failed = awaitWrite(flows.applyFlowRules(rules));
        if (failed == null) {
            return null;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("added %d flows over %d devices in %d ms (%.0f flows/s)%s%n", count - failed.size(),
                targets.size(), millis, count * 1000.0 / Math.max(1, millis),
                failed.isEmpty() ? "" : "; " + failed.size() + " failed");
        return null;
    }

    /**
     * Waits for a write through the flow-rule service; when it fails or takes longer than
     * {@value #TIMEOUT_SECONDS} s, says so and returns null.
     *
     * @param write the write
     * @return the rules that failed (empty when all were applied), or null
     */
    static List<FlowRule> awaitWrite(CompletableFuture<List<FlowRule>> write) throws InterruptedException {
        try {
            return write.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            System.out.println("failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            System.out.println("timed out after " + TIMEOUT_SECONDS + " s");
        }
        return null;
    }

    private static DefaultFlowRule rule(DeviceId device, ApplicationId app, int i) {
        return DefaultFlowRule.builder().forDevice(device).withPriority(100).fromApp(app)
                .withSelector(TrafficSelector.builder().matchInPort(PortNumber.portNumber(i % 48 + 1))
                        .matchEthType(0x0800).matchIPDst(IpPrefix.host(IpAddress.ipv4(0x0A00_0000 | (i & 0xFF_FFFF))))
                        .build())
                .withTreatment(TrafficTreatment.builder().setOutput(PortNumber.portNumber(i % 48 + 2)).build())
                .makePermanent().build();
    }
}
