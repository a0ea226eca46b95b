package org.flowstore.app.rest;

import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.app.rest.RestApi.NotFoundException;
import org.flowstore.app.rest.RestApi.Request;
import org.flowstore.app.rest.RestApi.Response;

/**
 * The cluster resources under {@code /onos/v1}: members ({@code /cluster}), devices and their
 * removal ({@code /devices}), and each device's mastership ({@code /mastership}).
 */
public final class ClusterResources {

    private static final String BASE = RestApi.BASE;

    private final ClusterService cluster;
    private final List<ClusterMember> members;
    private final KnownDevices devices;
    private final MastershipService mastership;
    private final Predicate<DeviceId> deviceRemover;

    ClusterResources(ClusterService cluster, KnownDevices devices, MastershipService mastership,
                     Predicate<DeviceId> deviceRemover) {
        this.cluster = cluster;
        this.members = List.copyOf(cluster.getMembers());
        this.devices = devices;
        this.mastership = mastership;
        this.deviceRemover = deviceRemover;
    }

    void register(RestApi api) {
        api.route("GET", BASE + "/cluster", r -> clusterNodes())
                .route("GET", BASE + "/devices", r -> deviceList())
                .route("DELETE", BASE + "/devices/{deviceId}", this::removeDevice)
                .route("GET", BASE + "/mastership/{deviceId}/master", this::master)
                .route("GET", BASE + "/mastership/{deviceId}/role", this::role);
    }

    private Response clusterNodes() {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("nodes");
        NodeId local = cluster.getLocalNode();
        for (ClusterMember m : members) {
            boolean up = m.id().equals(local) || cluster.isActive(m.id());
            list.addObject().put("id", m.id().id()).put("ip", m.host()).put("tcpPort", m.port())
                    .put("status", up ? "READY" : "INACTIVE").put("local", m.id().equals(local));
        }
        return Response.ok(body);
    }

    private Response deviceList() {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("devices");
        NodeId local = cluster.getLocalNode();
        for (DeviceId deviceId : devices.sorted()) {
            MastershipInfo info = mastership.getMastershipFor(deviceId);
            String role = info.isMaster(local) ? "MASTER" : info.backups().contains(local) ? "STANDBY" : "NONE";
            list.addObject().put("id", deviceId.uri()).put("type", "SWITCH").put("available", info.master().isPresent())
                    .put("role", role).put("mfr", "flowstore").put("hw", "simulated").put("sw", "flowstore")
                    .put("serial", "").put("driver", "default").put("chassisId", deviceId.uri().replaceFirst("^of:", ""))
                    .putObject("annotations");
        }
        return Response.ok(body);
    }

    /** Removes a device from this node and purges its flows (ONOS's device removal). */
    private Response removeDevice(Request r) {
        DeviceId deviceId = devices.known(r.param(0));
        if (!deviceRemover.test(deviceId)) {
            throw new NotFoundException("node " + cluster.getLocalNode() + " is not connected to " + deviceId);
        }
        return Response.noContent();
    }

    private Response master(Request r) {
        DeviceId deviceId = devices.known(r.param(0));
        NodeId master = requireMaster(deviceId);
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        body.put("nodeId", master.id());
        return Response.ok(body);
    }

    /** Master, term and ordered standbys (ONOS's role info, with the term added). */
    private Response role(Request r) {
        DeviceId deviceId = devices.known(r.param(0));
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        body.put("master", info.master().map(NodeId::id).orElse(null));
        body.put("term", info.term());
        ArrayNode backups = body.putArray("backups");
        info.backups().forEach(b -> backups.add(b.id()));
        return Response.ok(body);
    }

    /** Returns the device's master; a device without one is answered 503. */
    private NodeId requireMaster(DeviceId deviceId) {
        return mastership.getMastershipFor(deviceId).master()
                .orElseThrow(() -> new FlowRuleStoreException.NoMaster(deviceId));
    }
}
