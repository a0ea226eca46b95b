package org.flowstore.osgi.probe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.IpAddress;
import org.flowstore.api.IpPrefix;
import org.flowstore.api.PortNumber;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.api.flow.FlowRuleProvider;
import org.flowstore.api.flow.FlowRuleProviderService;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;

/**
 * Runs inside the framework as its own bundle (built by {@code FelixBundleIT} from this package)
 * and uses flowstore's OSGi services the way a client bundle does, wired to the flowstore bundle's
 * API: an application writing through {@link FlowRuleService}, and a device provider of scheme
 * {@value #SCHEME} registered as a whiteboard service while it is switched on. It offers the test
 * a {@code Function<String, String>} service taking commands: {@code master <device>},
 * {@code store <device> <first> <count>}, {@code count <device>}, {@code added <device>},
 * {@code provider on|off}, {@code pushed <device>}, {@code report <device>}.
 */
public final class StoreProbe implements BundleActivator {

    /** The scheme of the probe's devices. */
    static final String SCHEME = "of";

    private BundleContext context;
    private ServiceTracker<FlowRuleService, FlowRuleService> flows;
    private ServiceTracker<FlowRuleProviderService, FlowRuleProviderService> reports;
    private ServiceTracker<MastershipService, MastershipService> mastership;
    private ServiceRegistration<?> commands;
    private ServiceRegistration<FlowRuleProvider> provider;
    /** What the probe's devices hold. */
    private final Map<DeviceId, Map<FlowId, FlowRule>> tables = new ConcurrentHashMap<>();

    @Override
    public void start(BundleContext bundleContext) {
        context = bundleContext;
        flows = new ServiceTracker<>(context, FlowRuleService.class, null);
        flows.open();
        reports = new ServiceTracker<>(context, FlowRuleProviderService.class, null);
        reports.open();
        mastership = new ServiceTracker<>(context, MastershipService.class, null);
        mastership.open();
        setProvider(true);
        Function<String, String> run = this::run;
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("flowstore.probe", Boolean.TRUE);
        commands = context.registerService(Function.class.getName(), run, props);
    }

    @Override
    public void stop(BundleContext bundleContext) {
        commands.unregister();
        setProvider(false);
        flows.close();
        reports.close();
        mastership.close();
    }

    private synchronized void setProvider(boolean on) {
        if (on && provider == null) {
            provider = context.registerService(FlowRuleProvider.class, new Devices(), new Hashtable<>());
        } else if (!on && provider != null) {
            provider.unregister();
            provider = null;
        }
    }

    private String run(String command) {
        String[] words = command.split(" ");
        try {
            return switch (words[0]) {
                case "provider" -> {
                    setProvider(words[1].equals("on"));
                    yield "provider " + words[1];
                }
                case "master" -> {
                    MastershipService m = mastership.getService();
                    yield m == null ? "none"
                            : m.getMastershipFor(DeviceId.deviceId(words[1])).master().map(Object::toString).orElse("none");
                }
                case "count" -> String.valueOf(flows.getService().getFlowRuleCount(DeviceId.deviceId(words[1])));
                case "added" -> String.valueOf(flows.getService().getFlowEntries(DeviceId.deviceId(words[1])).stream()
                        .filter(e -> e.state() == FlowEntryState.ADDED).count());
                case "pushed" -> String.valueOf(tables.getOrDefault(DeviceId.deviceId(words[1]), Map.of()).size());
                case "report" -> {
                    DeviceId device = DeviceId.deviceId(words[1]);
                    reports.getService().pushFlowMetrics(device, held(device));
                    yield "reported";
                }
                case "store" -> store(DeviceId.deviceId(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]));
                default -> "unknown command " + words[0];
            };
        } catch (Exception e) {
            return "error: " + e;
        }
    }

    private String store(DeviceId device, int first, int count) throws Exception {
        List<FlowRule> rules = new ArrayList<>();
        ApplicationId app = ApplicationId.of(9, "org.flowstore.it");
        for (int i = first; i < first + count; i++) {
            rules.add(DefaultFlowRule.builder().forDevice(device).withPriority(100).fromApp(app)
                    .withSelector(TrafficSelector.builder().matchInPort(PortNumber.portNumber(i % 48 + 1))
                            .matchEthType(0x0800).matchIPDst(IpPrefix.host(IpAddress.ipv4(0x0A00_0000 | i))).build())
                    .withTreatment(TrafficTreatment.builder().setOutput(PortNumber.portNumber(2)).build())
                    .makePermanent().build());
        }
        List<FlowRule> failed = flows.getService().applyFlowRules(rules).get(30, TimeUnit.SECONDS);
        return failed.isEmpty() ? "stored" : "failed " + failed.size();
    }

    private Collection<FlowEntry> held(DeviceId device) {
        List<FlowEntry> report = new ArrayList<>();
        tables.getOrDefault(device, Map.of()).values()
                .forEach(r -> report.add(DefaultFlowEntry.builder(r).state(FlowEntryState.ADDED).build()));
        return report;
    }

    /** The probe's devices: they acknowledge every batch at once. */
    private final class Devices implements FlowRuleProvider {

        @Override
        public String scheme() {
            return SCHEME;
        }

        @Override
        public CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId,
                                                                       List<FlowRuleBatchEntry> operations) {
            Map<FlowId, FlowRule> table = tables.computeIfAbsent(deviceId, d -> new ConcurrentHashMap<>());
            for (FlowRuleBatchEntry op : operations) {
                if (op.operator() == FlowRuleOperation.REMOVE) {
                    table.remove(op.target().id());
                } else {
                    table.put(op.target().id(), op.target());
                }
            }
            return CompletableFuture.completedFuture(CompletedBatchOperation.succeeded(deviceId));
        }

        @Override
        public CompletableFuture<Collection<FlowEntry>> readFlows(DeviceId deviceId) {
            return CompletableFuture.completedFuture(held(deviceId));
        }
    }
}
