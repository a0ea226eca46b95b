package org.flowstore.app.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.store.FlowRuleStoreException;

/**
 * {@code flowstore:flows [-c] [deviceId]}: like ONOS's {@code flows}, and the standalone CLI's; read
 * through the flow-rule service (each device's master answers).
 */
@Service
@Command(scope = "flowstore", name = "flows", description = "Lists the flows of each device, or counts them")
public final class FlowsCommand implements Action {

    @Option(name = "-c", description = "Counts only: deviceId=..., flowRuleCount=N")
    boolean countOnly;

    @Argument(index = 0, name = "deviceId", required = false, description = "Only this device")
    String deviceId;

    @Reference
    FlowRuleService flows;

    @Reference
    DeviceService devices;

    @Override
    public Object execute() {
        List<DeviceId> targets = new ArrayList<>();
        if (deviceId != null) {
            targets.add(DeviceId.deviceId(deviceId));
        } else {
            devices.getDevices().stream().sorted(Comparator.comparing(DeviceId::uri)).forEach(targets::add);
        }
        for (DeviceId device : targets) {
            try {
                if (countOnly) {
                    System.out.printf("deviceId=%s, flowRuleCount=%d%n", device, flows.getFlowRuleCount(device));
                } else {
                    System.out.printf("deviceId=%s%n", device);
                    for (FlowEntry e : flows.getFlowEntries(device)) {
                        System.out.printf("    id=%s, state=%s, bytes=%d, packets=%d, duration=%d, priority=%d, tableId=%d,"
                                + " appId=%s, selector=%s, treatment=%s%n", Long.toString(e.id().value()), e.state(),
                                e.bytes(), e.packets(), e.life(), e.priority(), e.tableId(), e.appId().name(),
                                e.selector(), e.treatment());
                    }
                }
            } catch (FlowRuleStoreException e) {
                System.out.printf("deviceId=%s, error=%s%n", device, e.getMessage());
            }
        }
        return null;
    }
}
