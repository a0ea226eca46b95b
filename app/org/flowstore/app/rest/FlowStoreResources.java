package org.flowstore.app.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.app.rest.RestServer.NotFoundException;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.app.rest.RestServer.Request;
import org.flowstore.app.rest.RestServer.Response;
import org.flowstore.app.rest.RestServer.UnavailableException;

/**
 * The ONOS-compatible REST resources under {@code /onos/v1}: flows, flow statistics, cluster,
 * devices and mastership (see ARCHITECTURE.md for the contract). Writes are validated whole
 * before anything is stored, and answered once the store acknowledged them.
 */
public final class FlowStoreResources {

    private static final Logger log = LoggerFactory.getLogger(FlowStoreResources.class);
    /** Application of rules posted without {@code appId}, as in ONOS. */
    public static final String DEFAULT_APP = "org.onosproject.rest";
    private static final String BASE = "/onos/v1";

    private final FlowRuleService flows;
    private final FlowRuleStore store;
    private final DeviceService devices;
    private final MastershipService mastership;
    private final ApplicationIdService apps;
    private final ClusterService cluster;
    private final List<ClusterMember> members;
    private final Duration writeTimeout;
    private final Predicate<DeviceId> deviceRemover;

    /**
     * Creates the resources.
     *
     * @param flows the flow-rule manager
     * @param store the store (reads)
     * @param devices the devices
     * @param mastership who masters each device
     * @param apps application names and ids
     * @param cluster membership
     * @param members every configured member
     * @param writeTimeout how long a write may take before the request fails
     * @param deviceRemover removes a device this node is connected to, purging its flows; false
     *                      when this node is not connected to it
     */
    public FlowStoreResources(FlowRuleService flows, FlowRuleStore store, DeviceService devices,
                              MastershipService mastership, ApplicationIdService apps, ClusterService cluster,
                              List<ClusterMember> members, Duration writeTimeout, Predicate<DeviceId> deviceRemover) {
        this.flows = flows;
        this.store = store;
        this.devices = devices;
        this.mastership = mastership;
        this.apps = apps;
        this.cluster = cluster;
        this.members = List.copyOf(members);
        this.writeTimeout = writeTimeout;
        this.deviceRemover = deviceRemover;
    }

    /**
     * Adds every route to a server.
     *
     * @param server the server
     */
    public void register(RestServer server) {
        server.route("GET", BASE + "/flows", r -> allFlows(e -> true))
                .route("POST", BASE + "/flows", this::postFlows)
                .route("DELETE", BASE + "/flows", this::deleteFlows)
                .route("GET", BASE + "/flows/pending", r -> allFlows(e -> e.state() == FlowEntryState.PENDING_ADD
                        || e.state() == FlowEntryState.PENDING_REMOVE))
                .route("GET", BASE + "/flows/application/{app}", this::appFlows)
                .route("DELETE", BASE + "/flows/application/{app}", this::deleteAppFlows)
                .route("GET", BASE + "/flows/{deviceId}", this::deviceFlows)
                .route("POST", BASE + "/flows/{deviceId}", this::postFlow)
                .route("GET", BASE + "/flows/{deviceId}/{flowId}", this::flow)
                .route("DELETE", BASE + "/flows/{deviceId}/{flowId}", this::deleteFlow)
                .route("GET", BASE + "/statistics/flows/tables/{deviceId}", this::tableStatistics)
                .route("GET", BASE + "/statistics/flows/count", r -> flowCounts())
                .route("GET", BASE + "/cluster", r -> clusterNodes())
                .route("GET", BASE + "/devices", r -> deviceList())
                .route("DELETE", BASE + "/devices/{deviceId}", this::removeDevice)
                .route("GET", BASE + "/mastership/{deviceId}/master", this::master)
                .route("GET", BASE + "/mastership/{deviceId}/role", this::role);
    }

    private Response allFlows(Predicate<FlowEntry> filter) {
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        for (DeviceId deviceId : sortedDevices()) {
            try {
                flows.getFlowEntries(deviceId).stream().filter(filter).forEach(e -> list.add(FlowJson.encode(e)));
            } catch (FlowRuleStoreException e) {
                log.info("GET /flows skips device {}: {}", deviceId, e.getMessage());
            }
        }
        return Response.ok(body);
    }

    private Response deviceFlows(Request r) {
        DeviceId deviceId = knownDevice(r.param(0));
        return Response.ok(flowList(flows.getFlowEntries(deviceId)));
    }

    private Response flow(Request r) {
        return Response.ok(flowList(List.of(existingFlow(r))));
    }

    /** The entry named by the path's {deviceId}/{flowId}, or 404. */
    private FlowEntry existingFlow(Request r) {
        DeviceId deviceId = knownDevice(r.param(0));
        FlowEntry entry = store.getFlowEntry(deviceId, flowId(r.param(1)));
        if (entry == null) {
            throw new NotFoundException("no flow " + r.param(1) + " on device " + deviceId);
        }
        return entry;
    }

    private Response appFlows(Request r) {
        ApplicationId appId = knownApp(r.param(0));
        return Response.ok(flowList(flows.getFlowEntriesById(appId)));
    }

    private Response postFlow(Request r) {
        DeviceId deviceId = knownDevice(r.param(0));
        ApplicationId appId = app(r);
        FlowRule rule = FlowJson.decodeRule(JsonInput.root(r.json()), deviceId, appId);
        requireMaster(deviceId);
        List<FlowRule> failed = await(flows.applyFlowRules(List.of(rule)), "add a flow to " + deviceId);
        if (!failed.isEmpty()) {
            return failedWrite(failed, 1);
        }
        // Absolute, as ONOS answers: http://host:port/onos/v1/flows/{deviceId}/{flowId}.
        return Response.created(r.baseUri() + BASE + "/flows/" + deviceId.uri() + "/" + Long.toString(rule.id().value()));
    }

    private Response postFlows(Request r) {
        ApplicationId appId = app(r);
        JsonInput root = JsonInput.root(r.json());
        if (!root.has("flows")) {
            throw new BadRequestException("flows is required");
        }
        List<FlowRule> rules = new ArrayList<>();
        for (JsonInput item : root.objects("flows")) {
            rules.add(FlowJson.decodeRule(item, null, appId));
        }
        for (DeviceId deviceId : rules.stream().map(FlowRule::deviceId).distinct().toList()) {
            knownDevice(deviceId.uri());
            requireMaster(deviceId);
        }
        List<FlowRule> failed = await(flows.applyFlowRules(rules), "add " + rules.size() + " flows");
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        for (FlowRule rule : rules) {
            list.addObject().put("deviceId", rule.deviceId().uri()).put("flowId", Long.toString(rule.id().value()));
        }
        if (!failed.isEmpty()) {
            ArrayNode failures = body.putArray("failed");
            failed.forEach(f -> failures.addObject().put("deviceId", f.deviceId().uri())
                    .put("flowId", Long.toString(f.id().value())));
        }
        return Response.ok(body);
    }

    private Response deleteFlow(Request r) {
        FlowEntry entry = existingFlow(r);
        List<FlowRule> failed = await(flows.removeFlowRules(List.of(entry.rule())),
                "remove flow " + r.param(1) + " of " + entry.deviceId());
        return failed.isEmpty() ? Response.noContent() : failedWrite(failed, 1);
    }

    private Response deleteFlows(Request r) {
        JsonInput root = JsonInput.root(r.json());
        if (!root.has("flows")) {
            throw new BadRequestException("flows is required");
        }
        Map<FlowId, DeviceId> targets = new LinkedHashMap<>();
        for (JsonInput item : root.objects("flows")) {
            DeviceId deviceId = item.parse("deviceId", DeviceId::deviceId);
            FlowId flowId = FlowId.valueOf(item.number("flowId", Long.MIN_VALUE, Long.MAX_VALUE));
            targets.put(flowId, deviceId);
        }
        List<FlowRule> rules = new ArrayList<>();
        targets.forEach((flowId, deviceId) -> {
            FlowEntry entry = store.getFlowEntry(knownDevice(deviceId.uri()), flowId);
            if (entry != null) {
                rules.add(entry.rule());
            }
        });
        List<FlowRule> failed = await(flows.removeFlowRules(rules), "remove " + rules.size() + " flows");
        return failed.isEmpty() ? Response.noContent() : failedWrite(failed, rules.size());
    }

    private Response deleteAppFlows(Request r) {
        ApplicationId appId = knownApp(r.param(0));
        List<FlowRule> failed = await(flows.removeFlowRulesById(appId), "remove the flows of " + appId.name());
        return failed.isEmpty() ? Response.noContent() : failedWrite(failed, failed.size());
    }

    private Response tableStatistics(Request r) {
        DeviceId deviceId = knownDevice(r.param(0));
        List<TableStatisticsEntry> tables = store.getTableStatistics(deviceId);
        ObjectNode body = RestServer.MAPPER.createObjectNode();
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
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("devices");
        long total = 0;
        for (DeviceId deviceId : sortedDevices()) {
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

    private Response clusterNodes() {
        ObjectNode body = RestServer.MAPPER.createObjectNode();
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
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("devices");
        NodeId local = cluster.getLocalNode();
        for (DeviceId deviceId : sortedDevices()) {
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
        DeviceId deviceId = knownDevice(r.param(0));
        if (!deviceRemover.test(deviceId)) {
            throw new NotFoundException("node " + cluster.getLocalNode() + " is not connected to " + deviceId);
        }
        return Response.noContent();
    }

    private Response master(Request r) {
        DeviceId deviceId = knownDevice(r.param(0));
        NodeId master = requireMaster(deviceId);
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        body.put("nodeId", master.id());
        return Response.ok(body);
    }

    /** Master, term and ordered standbys (ONOS's role info, with the term added). */
    private Response role(Request r) {
        DeviceId deviceId = knownDevice(r.param(0));
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        body.put("master", info.master().map(NodeId::id).orElse(null));
        body.put("term", info.term());
        ArrayNode backups = body.putArray("backups");
        info.backups().forEach(b -> backups.add(b.id()));
        return Response.ok(body);
    }

    private static ObjectNode flowList(List<FlowEntry> entries) {
        ObjectNode body = RestServer.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        entries.forEach(e -> list.add(FlowJson.encode(e)));
        return body;
    }

    private List<DeviceId> sortedDevices() {
        Set<DeviceId> all = devices.getDevices();
        return all.stream().sorted(Comparator.comparing(DeviceId::uri)).toList();
    }

    private DeviceId knownDevice(String text) {
        DeviceId deviceId;
        try {
            deviceId = DeviceId.deviceId(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("deviceId: " + e.getMessage());
        }
        if (!devices.isKnown(deviceId)) {
            throw new NotFoundException("unknown device " + text);
        }
        return deviceId;
    }

    private NodeId requireMaster(DeviceId deviceId) {
        return mastership.getMastershipFor(deviceId).master()
                .orElseThrow(() -> new FlowRuleStoreException.NoMaster(deviceId));
    }

    private static FlowId flowId(String text) {
        String t = text.trim();
        try {
            long value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16)
                    : t.startsWith("-") ? Long.parseLong(t) : Long.parseUnsignedLong(t);
            return FlowId.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("flowId must be a decimal or 0x-hex number, was '" + text + "'");
        }
    }

    private ApplicationId app(Request r) {
        String name = r.query().getOrDefault("appId", DEFAULT_APP);
        if (name.isBlank() || name.length() > 255) {
            throw new BadRequestException("appId must have 1 to 255 characters");
        }
        return apps.registerApplication(name.trim());
    }

    private ApplicationId knownApp(String name) {
        return apps.getAppId(name).orElseThrow(() -> new NotFoundException("unknown application " + name));
    }

    /** Answers a write some of whose rules failed after they were accepted. */
    private static Response failedWrite(List<FlowRule> failed, int of) {
        return RestServer.error(500, failed.size() + " of " + of + " rules failed: their devices refused them or"
                + " their masters did not answer (see their state)");
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while trying to " + what);
        } catch (ExecutionException e) {
            throw new UnavailableException("could not " + what + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException("could not " + what + " within " + writeTimeout.toSeconds() + " s");
        }
    }
}
