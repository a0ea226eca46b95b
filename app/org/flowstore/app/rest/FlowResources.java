package org.flowstore.app.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.app.rest.RestApi.NotFoundException;
import org.flowstore.app.rest.RestApi.Request;
import org.flowstore.app.rest.RestApi.Response;
import org.flowstore.app.rest.RestApi.UnavailableException;

/**
 * The ONOS-compatible flow resources under {@code /onos/v1/flows} (see ARCHITECTURE.md for the
 * contract). Writes are validated whole before anything is stored, and answered once the store
 * acknowledged them; a device without master is the store's typed failure, answered 503.
 */
public final class FlowResources {

    private static final Logger log = LoggerFactory.getLogger(FlowResources.class);
    /** Application of rules posted without {@code appId}, as in ONOS. */
    public static final String DEFAULT_APP = "org.onosproject.rest";
    /** Longest a removal of an application's flows holds its request before it answers 202 and goes on. */
    static final Duration REMOVAL_ANSWER_WAIT = Duration.ofSeconds(10);
    private static final String BASE = RestApi.BASE + "/flows";

    private final FlowRuleService flows;
    private final FlowRuleStore store;
    private final KnownDevices devices;
    private final ApplicationIdService apps;
    private final Duration writeTimeout;

    /**
     * Creates the resources.
     *
     * @param flows the flow-rule manager (writes)
     * @param store the store (reads)
     * @param devices the devices a request may name
     * @param apps application names and ids
     * @param writeTimeout how long a write may take before the request fails
     */
    FlowResources(FlowRuleService flows, FlowRuleStore store, KnownDevices devices, ApplicationIdService apps,
                  Duration writeTimeout) {
        this.flows = flows;
        this.store = store;
        this.devices = devices;
        this.apps = apps;
        this.writeTimeout = writeTimeout;
    }

    /**
     * Adds the flow routes to the API.
     *
     * @param api the API
     */
    void register(RestApi api) {
        api.route("GET", BASE, r -> allFlows(e -> true))
                .route("POST", BASE, this::postFlows)
                .route("DELETE", BASE, this::deleteFlows)
                .route("GET", BASE + "/pending", r -> allFlows(e -> e.state() == FlowEntryState.PENDING_ADD
                        || e.state() == FlowEntryState.PENDING_REMOVE))
                .route("GET", BASE + "/application/{app}", this::appFlows)
                .route("DELETE", BASE + "/application/{app}", this::deleteAppFlows)
                .route("GET", BASE + "/{deviceId}", this::deviceFlows)
                .route("POST", BASE + "/{deviceId}", this::postFlow)
                .route("GET", BASE + "/{deviceId}/{flowId}", this::flow)
                .route("DELETE", BASE + "/{deviceId}/{flowId}", this::deleteFlow);
    }

    private Response allFlows(Predicate<FlowEntry> filter) {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        for (DeviceId deviceId : devices.sorted()) {
            try {
                flows.getFlowEntries(deviceId).stream().filter(filter).forEach(e -> list.add(FlowJson.encode(e)));
            } catch (FlowRuleStoreException e) {
                log.info("GET /flows skips device {}: {}", deviceId, e.getMessage());
            }
        }
        return Response.ok(body);
    }

    private Response deviceFlows(Request r) {
        DeviceId deviceId = devices.known(r.param(0));
        return Response.ok(flowList(flows.getFlowEntries(deviceId)));
    }

    private Response flow(Request r) {
        return Response.ok(flowList(List.of(existingFlow(r))));
    }

    /** The entry named by the path's {deviceId}/{flowId}, or 404. */
    private FlowEntry existingFlow(Request r) {
        DeviceId deviceId = devices.known(r.param(0));
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
        DeviceId deviceId = devices.known(r.param(0));
        ApplicationId appId = app(r);
        FlowRule rule = FlowJson.decodeRule(JsonInput.root(r.json()), deviceId, appId);
        List<FlowRule> failed = await(flows.applyFlowRules(List.of(rule)), "add a flow to " + deviceId);
        if (!failed.isEmpty()) {
            return failedWrite(failed, 1);
        }
        // Absolute, as ONOS answers: http://host:port/onos/v1/flows/{deviceId}/{flowId}.
        return Response.created(r.baseUri() + BASE + "/" + deviceId.uri() + "/" + Long.toString(rule.id().value()));
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
            devices.known(deviceId.uri());
        }
        List<FlowRule> failed = await(flows.applyFlowRules(rules), "add " + rules.size() + " flows");
        ObjectNode body = RestApi.MAPPER.createObjectNode();
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
            FlowEntry entry = store.getFlowEntry(devices.known(deviceId.uri()), flowId);
            if (entry != null) {
                rules.add(entry.rule());
            }
        });
        List<FlowRule> failed = await(flows.removeFlowRules(rules), "remove " + rules.size() + " flows");
        return failed.isEmpty() ? Response.noContent() : failedWrite(failed, rules.size());
    }

    /**
     * Removes an application's flows: 204 when all are gone within {@link #REMOVAL_ANSWER_WAIT};
     * 202 when the removal goes on in the background (a million flows take longer) or when some
     * devices have not confirmed their flows' removal yet (they stay PENDING_REMOVE and are pushed
     * again); 503 when a device's flows could not be removed (no master, overloaded).
     */
    private Response deleteAppFlows(Request r) {
        ApplicationId appId = knownApp(r.param(0));
        CompletableFuture<List<FlowRule>> removal = flows.removeFlowRulesById(appId);
        List<FlowRule> failed;
        try {
            failed = await(removal, "remove the flows of " + appId.name(), REMOVAL_ANSWER_WAIT);
        } catch (TimeoutException e) {
            return Response.accepted("removing the flows of " + appId.name() + " in the background; GET "
                    + BASE + "/application/" + appId.name() + " shows those left");
        }
        return failed.isEmpty() ? Response.noContent() : Response.accepted(failed.size() + " flows of " + appId.name()
                + " are marked for removal and await their devices' confirmation");
    }

    private static ObjectNode flowList(List<FlowEntry> entries) {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("flows");
        entries.forEach(e -> list.add(FlowJson.encode(e)));
        return body;
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
        return RestApi.error(500, failed.size() + " of " + of + " rules failed: their devices refused them or"
                + " their masters did not answer (see their state)");
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return await(future, what, writeTimeout);
        } catch (TimeoutException e) {
            throw new UnavailableException("could not " + what + " within " + writeTimeout.toSeconds() + " s");
        }
    }

    /** Waits for a write; its typed store failure is rethrown as it is (503), any other becomes a 503. */
    private static <T> T await(CompletableFuture<T> future, String what, Duration wait) throws TimeoutException {
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while trying to " + what);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof FlowRuleStoreException storeFailure) {
                throw storeFailure; // typed: a device without master is 503
            }
            throw new UnavailableException("could not " + what + ": " + cause);
        }
    }
}
