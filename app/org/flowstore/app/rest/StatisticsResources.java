package org.flowstore.app.rest;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.api.store.NodeCapacity;
import org.flowstore.api.store.ReplicaSummary;
import org.flowstore.app.rest.RestApi.Request;
import org.flowstore.app.rest.RestApi.Response;

/**
 * The flow statistics resources under {@code /onos/v1/statistics/flows}: per-table statistics,
 * flow counts, and this node's own replicas.
 */
public final class StatisticsResources {

    private static final String BASE = RestApi.BASE + "/statistics/flows";

    private final FlowRuleStore store;
    private final KnownDevices devices;
    private final MastershipService mastership;

    StatisticsResources(FlowRuleStore store, KnownDevices devices, MastershipService mastership) {
        this.store = store;
        this.devices = devices;
        this.mastership = mastership;
    }

    void register(RestApi api) {
        api.route("GET", BASE + "/tables/{deviceId}", this::tableStatistics)
                .route("GET", BASE + "/count", r -> flowCounts())
                .route("GET", BASE + "/replicas", r -> localReplicas());
    }

    private Response tableStatistics(Request r) {
        DeviceId deviceId = devices.known(r.param(0));
        List<TableStatisticsEntry> tables = store.getTableStatistics(deviceId);
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        ObjectNode device = body.putArray("statistics").addObject();
        device.put("device", deviceId.uri());
        ArrayNode list = device.putArray("table");
        for (TableStatisticsEntry t : tables) {
            list.addObject().put("tableId", t.tableId()).put("deviceId", deviceId.uri())
                    .put("activeEntries", t.activeFlowEntries()).put("packetsLookedUp", t.packetsLookedUp())
                    .put("packetsMatched", t.packetsMatched());
        }
        return Response.ok(body);
    }

    /** Per device: master and flow counts by state (an extension of ONOS's API, for {@code flows -c}). */
    private Response flowCounts() {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("devices");
        long total = 0;
        for (DeviceId deviceId : devices.sorted()) {
            ObjectNode d = list.addObject();
            d.put("deviceId", deviceId.uri());
            MastershipInfo info = mastership.getMastershipFor(deviceId);
            d.put("master", info.master().map(NodeId::id).orElse(null));
            try {
                Map<FlowEntryState, Integer> byState = store.getFlowRuleCountsByState(deviceId);
                int count = byState.values().stream().mapToInt(Integer::intValue).sum();
                total += count;
                d.put("flowRuleCount", count);
                ObjectNode states = d.putObject("states");
                byState.forEach((s, n) -> states.put(s.name(), n));
            } catch (FlowRuleStoreException e) {
                d.put("error", e.getMessage());
            }
        }
        body.put("total", total);
        return Response.ok(body);
    }

    /**
     * This node's own copy of every device table it holds, as master or standby, with its count
     * and digest (an extension of ONOS's API: comparing them across nodes tells whether the
     * standbys hold what the master holds; {@code tools/flowstore chaos} does), and the flows the
     * node holds against its memory bound.
     */
    private Response localReplicas() {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        NodeCapacity capacity = store.getLocalCapacity();
        body.put("node", capacity.node().id()).put("heldFlows", capacity.heldFlows())
                .put("maxFlowsPerNode", capacity.maxFlows());
        ArrayNode list = body.putArray("replicas");
        for (ReplicaSummary r : store.getLocalReplicas()) {
            list.addObject().put("deviceId", r.deviceId().uri()).put("node", r.node().id()).put("role", r.role().name())
                    .put("term", r.term()).put("flowCount", r.flowCount())
                    .put("digest", String.format("%016x", r.digest()));
        }
        return Response.ok(body);
    }
}
