package org.flowstore.app.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.DefaultFlowRule;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.TrafficSelector;
import org.flowstore.api.flow.TrafficTreatment;
import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.instructions.Instruction;

/**
 * Flow rules and entries as JSON, in the shape of ONOS's flow codecs (FlowEntryCodec,
 * FlowRuleCodec; criteria in {@link CriterionJson}, instructions in {@link InstructionJson}), so
 * ONOS REST clients work unchanged.
 * Decoding validates everything and names the field at fault; it never returns a partial rule.
 */
public final class FlowJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private FlowJson() {
    }

    /**
     * Encodes a flow entry as ONOS does.
     *
     * @param entry the entry
     * @return its JSON object
     */
    public static ObjectNode encode(FlowEntry entry) {
        ObjectNode o = JSON.objectNode();
        o.put("id", Long.toString(entry.id().value()));
        o.put("tableId", entry.tableId());
        o.put("appId", entry.appId().name());
        o.put("groupId", 0);
        o.put("priority", entry.priority());
        o.put("timeout", entry.idleTimeout());
        o.put("isPermanent", entry.isPermanent());
        o.put("deviceId", entry.deviceId().uri());
        o.put("state", entry.state().name());
        o.put("life", entry.life());
        o.put("packets", entry.packets());
        o.put("bytes", entry.bytes());
        o.put("liveType", entry.liveType().name());
        o.put("lastSeen", entry.lastSeen());
        o.set("treatment", encode(entry.treatment()));
        o.set("selector", encode(entry.selector()));
        return o;
    }

    private static ObjectNode encode(TrafficSelector selector) {
        ObjectNode o = JSON.objectNode();
        ArrayNode criteria = o.putArray("criteria");
        selector.criteria().forEach(c -> criteria.add(CriterionJson.encode(c)));
        return o;
    }

    private static ObjectNode encode(TrafficTreatment treatment) {
        ObjectNode o = JSON.objectNode();
        ArrayNode immediate = o.putArray("instructions");
        treatment.immediate().forEach(i -> immediate.add(InstructionJson.encode(i)));
        ArrayNode deferred = o.putArray("deferred");
        treatment.deferred().forEach(i -> deferred.add(InstructionJson.encode(i)));
        if (treatment.clearedDeferred()) {
            o.put("clearDeferred", true);
        }
        return o;
    }

    /**
     * Decodes a flow rule as ONOS's FlowRuleCodec reads it: {@code priority} required,
     * {@code isPermanent} (default false) or {@code timeout}, {@code tableId}, {@code selector},
     * {@code treatment}; the device from {@code deviceId} unless the request path fixes it.
     *
     * @param in the rule object
     * @param pathDevice the device named by the request path, or null to read {@code deviceId}
     * @param appId the owning application
     * @return the rule
     * @throws BadRequestException naming the first field at fault
     */
    public static FlowRule decodeRule(JsonInput in, DeviceId pathDevice, ApplicationId appId) {
        DeviceId deviceId = pathDevice;
        if (deviceId == null) {
            deviceId = in.parse("deviceId", DeviceId::deviceId);
        } else if (in.has("deviceId") && !in.text("deviceId").trim().equals(pathDevice.uri())) {
            throw new BadRequestException(in.field("deviceId") + " '" + in.text("deviceId") + "' differs from the device "
                    + pathDevice + " of the request path");
        }
        DefaultFlowRule.Builder rule = DefaultFlowRule.builder()
                .forDevice(deviceId)
                .withPriority((int) in.number("priority", 0, 0xFFFF))
                .forTable((int) in.number("tableId", 0, 254, 0))
                .fromApp(appId)
                .withSelector(in.has("selector") ? decodeSelector(in.object("selector")) : TrafficSelector.EMPTY)
                .withTreatment(in.has("treatment") ? decodeTreatment(in.object("treatment")) : TrafficTreatment.EMPTY);
        if (in.bool("isPermanent", false)) {
            rule.makePermanent();
        } else {
            rule.makeTemporary((int) in.number("timeout", 0, 0xFFFF));
        }
        return in.build(rule::build);
    }

    private static TrafficSelector decodeSelector(JsonInput in) {
        TrafficSelector.Builder selector = TrafficSelector.builder();
        for (JsonInput c : in.objects("criteria")) {
            Criterion criterion = CriterionJson.decode(c);
            c.build(() -> selector.add(criterion));
        }
        return in.build(selector::build);
    }

    private static TrafficTreatment decodeTreatment(JsonInput in) {
        TrafficTreatment.Builder treatment = TrafficTreatment.builder();
        for (JsonInput i : in.objects("instructions")) {
            Instruction instruction = InstructionJson.decode(i);
            i.build(() -> treatment.add(instruction));
        }
        for (JsonInput i : in.objects("deferred")) {
            Instruction instruction = InstructionJson.decode(i);
            i.build(() -> treatment.addDeferred(instruction));
        }
        if (in.bool("clearDeferred", false)) {
            treatment.wipeDeferred();
        }
        return in.build(treatment::build);
    }
}
