package org.flowstore.app.shell;

import java.util.Comparator;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;

/** {@code flowstore:masters}: per device, its master, term and standbys. */
@Service
@Command(scope = "flowstore", name = "masters", description = "Shows each device's master, term and standbys")
public final class MastersCommand implements Action {

    @Reference
    MastershipService mastership;

    @Reference
    DeviceService devices;

    @Override
    public Object execute() {
        devices.getDevices().stream().sorted(Comparator.comparing(DeviceId::uri)).forEach(device -> {
            MastershipInfo info = mastership.getMastershipFor(device);
            System.out.printf("%s: master=%s, term=%d, backups=%s%n", device,
                    info.master().map(NodeId::id).orElse("none"), info.term(), info.backups());
        });
        return null;
    }
}
