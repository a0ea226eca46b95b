package org.flowstore.osgi.probe;

import java.util.ArrayList;
import java.util.List;
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
 * Runs inside the framework as its own bundle (built by {@code FelixBundleIT} from this class) and
 * uses the store's OSGi service the way a client bundle does, wired to the flowstore bundle's API.
 * It offers the test a {@code Function<String, String>} service taking commands:
 * {@code master <device>}, {@code store <device> <first> <count>}, {@code count <device>}.
 */
public final class StoreProbe implements BundleActivator {

    private ServiceTracker<FlowRuleStore, FlowRuleStore> stores;
    private ServiceTracker<MastershipService, MastershipService> mastership;
    private ServiceRegistration<?> registration;

    @Override
    public void start(BundleContext context) {
        stores = new ServiceTracker<>(context, FlowRuleStore.class, null);
        stores.open();
        mastership = new ServiceTracker<>(context, MastershipService.class, null);
        mastership.open();
        Function<String, String> commands = this::run;
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("flowstore.probe", Boolean.TRUE);
        registration = context.registerService(Function.class.getName(), commands, props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        stores.close();
        mastership.close();
    }

    /** The store's one delegate, set by the first {@code store} command: an instant device. */
    private final FlowRuleStoreDelegate instantDevice = event -> {
        if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
            stores.getService().batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                    CompletedBatchOperation.succeeded(event.deviceId())));
        }
    };

    private String run(String command) {
        String[] words = command.split(" ");
        DeviceId device = DeviceId.deviceId(words[1]);
        FlowRuleStore store = stores.getService();
        switch (words[0]) {
            case "master":
                MastershipService m = mastership.getService();
                return m == null ? "none" : m.getMastershipFor(device).master().map(Object::toString).orElse("none");
            case "count":
                return String.valueOf(store.getFlowRuleCount(device));
            case "store":
                store.setDelegate(instantDevice);
                int first = Integer.parseInt(words[2]);
                int count = Integer.parseInt(words[3]);
                List<FlowRuleBatchEntry> entries = new ArrayList<>();
                ApplicationId app = ApplicationId.of(9, "org.flowstore.it");
                for (int i = first; i < first + count; i++) {
                    DefaultFlowRule rule = DefaultFlowRule.builder().forDevice(device).withPriority(100).fromApp(app)
                            .withSelector(TrafficSelector.builder().matchInPort(PortNumber.portNumber(i % 48 + 1))
                                    .matchEthType(0x0800).matchIPDst(IpPrefix.host(IpAddress.ipv4(0x0A00_0000 | i)))
                                    .build())
                            .withTreatment(TrafficTreatment.builder().setOutput(PortNumber.portNumber(2)).build())
                            .makePermanent().build();
                    entries.add(new FlowRuleBatchEntry(FlowRuleOperation.ADD, rule));
                }
                store.storeBatch(new FlowRuleBatchOperation(entries, device, first));
                return "stored";
            default:
                return "unknown command " + words[0];
        }
    }
}
