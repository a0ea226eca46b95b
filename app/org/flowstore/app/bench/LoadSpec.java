package org.flowstore.app.bench;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.api.store.FlowRuleStore;

/**
 * One load run of a node's {@link LoadGenerator}: {@code inFlight} writers, each issuing a batch
 * of {@code batchSize} flows to one device and the next one when it completes, over every device
 * in turn, rewriting {@code keysPerDevice} flows per device; {@code warmup} unmeasured, then
 * {@code duration} measured.
 *
 * @param batchSize flows per call, 1 to {@link FlowRuleStore#MAX_BATCH_SIZE}
 * @param inFlight calls outstanding at once, 1 to {@value #MAX_IN_FLIGHT}
 * @param warmup unmeasured time first, 0 to 10 min
 * @param duration measured time, 100 ms to 10 min
 * @param keysPerDevice distinct flows per device (rounded up to whole batches), up to {@link BenchFlows#MAX_KEYS}
 * @param writer this node's writer number (its flows' destination range), 0 to {@link BenchFlows#MAX_WRITERS} - 1
 * @param app the application the flows belong to
 */
public record LoadSpec(int batchSize, int inFlight, Duration warmup, Duration duration, int keysPerDevice, int writer,
                       String app) {

    /** Most calls outstanding at once. */
    public static final int MAX_IN_FLIGHT = 1024;
    private static final Duration MAX_TIME = Duration.ofMinutes(10);

    /** Checks every range. */
    public LoadSpec {
        require(batchSize >= 1 && batchSize <= FlowRuleStore.MAX_BATCH_SIZE, "batchSize must be 1.."
                + FlowRuleStore.MAX_BATCH_SIZE + ", was " + batchSize);
        require(inFlight >= 1 && inFlight <= MAX_IN_FLIGHT, "inFlight must be 1.." + MAX_IN_FLIGHT + ", was " + inFlight);
        require(!warmup.isNegative() && warmup.compareTo(MAX_TIME) <= 0, "warmupMs must be 0..600000");
        require(duration.toMillis() >= 100 && duration.compareTo(MAX_TIME) <= 0, "durationMs must be 100..600000");
        require(keysPerDevice >= 1 && keysPerDevice <= BenchFlows.MAX_KEYS, "keysPerDevice must be 1.."
                + BenchFlows.MAX_KEYS + ", was " + keysPerDevice);
        require(writer >= 0 && writer < BenchFlows.MAX_WRITERS, "writer must be 0.." + (BenchFlows.MAX_WRITERS - 1)
                + ", was " + writer);
        require(app != null && !app.isBlank(), "app must be an application name");
        keysPerDevice = Math.min(BenchFlows.MAX_KEYS / batchSize * batchSize,
                (keysPerDevice + batchSize - 1) / batchSize * batchSize);
    }

    /**
     * Reads a spec from its JSON form ({@code batchSize, inFlight, warmupMs, durationMs,
     * keysPerDevice, writer, app}; absent fields take the defaults 100, 16, 1000, 10000, 10000, 0,
     * {@code org.flowstore.bench}).
     *
     * @param json the object
     * @return the spec
     * @throws IllegalArgumentException naming the first invalid field
     */
    public static LoadSpec fromJson(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("the load spec must be a JSON object");
        }
        return new LoadSpec(integer(json, "batchSize", 100), integer(json, "inFlight", 16),
                Duration.ofMillis(integer(json, "warmupMs", 1000)), Duration.ofMillis(integer(json, "durationMs", 10_000)),
                integer(json, "keysPerDevice", 10_000), integer(json, "writer", 0),
                json.path("app").asText("org.flowstore.bench"));
    }

    /** Returns the JSON form {@link #fromJson} reads. */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("batchSize", batchSize);
        json.put("inFlight", inFlight);
        json.put("warmupMs", warmup.toMillis());
        json.put("durationMs", duration.toMillis());
        json.put("keysPerDevice", keysPerDevice);
        json.put("writer", writer);
        json.put("app", app);
        return json;
    }

    private static int integer(JsonNode json, String field, int defaultValue) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be a whole number, was " + value);
        }
        return value.intValue();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
