package org.flowstore.store.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleBatchOperation;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreDelegate;

/**
 * {@code flowstore:add-test-flows N}: stores N flows spread over the devices that have a master,
 * in batches, and reports how long the store took to acknowledge them all (like ONOS's
 * {@code add-test-flows}). When no flow-rule manager is the store's delegate on this node, the
 * command stands in for the devices of its own flows (it confirms each requested batch at once);
 * otherwise it waits until the flows are in the store.
 */
@Service
@Command(scope = "flowstore", name = "add-test-flows",
        description = "Stores N test flows over the devices and reports the time taken")
public final class AddTestFlowsCommand implements Action {

    static final String APP = "org.flowstore.test";
    private static final int BATCH = 1000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How often the command looks whether its flows are stored: its figure is the time taken, to this precision. */
    private static final Duration POLL = Duration.ofMillis(5);

    @Argument(index = 0, name = "count", required = true, description = "How many flows")
    int count;

    @Reference
    FlowRuleStore store;

    @Reference
    DeviceService devices;

    @Reference
    MastershipService mastership;

    @Reference
    ApplicationIdService applications;

    @Override
    public Object execute() throws Exception {
        if (count < 1) {
            System.out.println("count must be at least 1");
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
        Set<Long> pending = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        FlowRuleStoreDelegate standIn = event -> {
            if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
                store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                        CompletedBatchOperation.succeeded(event.deviceId())));
            } else if (pending.remove(event.batchId()) && !event.result().success()) {
                failed.addAndGet(event.result().failedItems().size());
            }
        };
        boolean standingIn = claimDelegate(standIn);
        long before = total(targets);
        long started = System.nanoTime();
        try {
            // A random base keeps repeated runs from rewriting the same flows.
            int base = ThreadLocalRandom.current().nextInt(1 << 20) << 4;
            long batchId = ThreadLocalRandom.current().nextLong(1L << 62);
            for (int d = 0; d < targets.size(); d++) {
                int share = count / targets.size() + (d < count % targets.size() ? 1 : 0);
                for (int from = 0; from < share; from += BATCH) {
                    List<FlowRuleBatchEntry> entries = new ArrayList<>();
                    for (int i = from; i < Math.min(share, from + BATCH); i++) {
                        entries.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, rule(targets.get(d), app, base + i)));
                    }
                    pending.add(batchId);
                    store.storeBatch(new FlowRuleBatchOperation(entries, targets.get(d), batchId++));
                }
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (standingIn ? !pending.isEmpty() : total(targets) < before + count) {
                if (System.nanoTime() > deadline) {
                    System.out.printf("timed out after %d s: %d batches unanswered%n", TIMEOUT.toSeconds(),
                            pending.size());
                    return null;
                }
                Thread.sleep(POLL.toMillis());
            }
        } finally {
            if (standingIn) {
                store.unsetDelegate(standIn);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("added %d test flows over %d devices in %d ms (%.0f flows/s)%s%n", count - failed.get(),
                targets.size(), millis, count * 1000.0 / Math.max(1, millis),
                failed.get() > 0 ? "; " + failed.get() + " failed" : "");
        return null;
    }

    private boolean claimDelegate(FlowRuleStoreDelegate standIn) {
        try {
            store.setDelegate(standIn);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private long total(List<DeviceId> targets) {
        long total = 0;
        for (DeviceId d : targets) {
            total += store.getFlowRuleCount(d);
        }
        return total;
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
