package org.flowstore.app.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * What one node's {@link LoadGenerator} measured over a run's measured time.
 *
 * @param node the node's id
 * @param spec what was run
 * @param seconds the measured time
 * @param ackedFlows flows of the calls that completed in the measured time without a failure
 * @param ackedCalls those calls
 * @param failedCalls calls that completed in the measured time with a failed flow or an error
 * @param firstFailure the first failure's reason, or empty
 * @param latency call-to-completion time of the acknowledged calls, microseconds
 * @param ackedPerInterval acknowledged flows per {@value LoadGenerator#INTERVAL_MILLIS} ms of the measured time
 * @param cpuPercent the node's process CPU time over the measured time, percent of all cores
 * @param gcPercent the node's garbage collectors' time, percent of the measured time
 * @param jitPercent the node's JIT compiler threads' CPU time over the measured time, percent of all
 *                   cores (a node still compiling is not yet at its steady speed; 0 where the
 *                   system does not tell)
 */
public record LoadResult(String node, LoadSpec spec, double seconds, long ackedFlows, long ackedCalls, long failedCalls,
                         String firstFailure, Histogram latency, long[] ackedPerInterval, double cpuPercent,
                         double gcPercent, double jitPercent) {

    /** Returns the JSON form {@link #fromJson} reads (the histogram compressed, base64). */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("node", node);
        json.set("spec", spec.toJson());
        json.put("seconds", seconds);
        json.put("ackedFlows", ackedFlows);
        json.put("ackedCalls", ackedCalls);
        json.put("failedCalls", failedCalls);
        json.put("firstFailure", firstFailure);
        ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int length = latency.encodeIntoCompressedByteBuffer(buffer);
        json.put("latency", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
        ArrayNode series = json.putArray("ackedPerInterval");
        for (long n : ackedPerInterval) {
            series.add(n);
        }
        json.put("cpuPercent", cpuPercent);
        json.put("gcPercent", gcPercent);
        json.put("jitPercent", jitPercent);
        return json;
    }

    /**
     * Reads a result from its JSON form.
     *
     * @param json the object
     * @return the result
     * @throws IllegalArgumentException if it is not a result
     */
    public static LoadResult fromJson(JsonNode json) {
        try {
            Histogram latency = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(json.path("latency").asText())), 0);
            long[] series = new long[json.path("ackedPerInterval").size()];
            for (int i = 0; i < series.length; i++) {
                series[i] = json.path("ackedPerInterval").get(i).asLong();
            }
            return new LoadResult(json.path("node").asText(), LoadSpec.fromJson(json.path("spec")),
                    json.path("seconds").asDouble(), json.path("ackedFlows").asLong(), json.path("ackedCalls").asLong(),
                    json.path("failedCalls").asLong(), json.path("firstFailure").asText(""), latency, series,
                    json.path("cpuPercent").asDouble(), json.path("gcPercent").asDouble(),
                    json.path("jitPercent").asDouble());
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not a load result: " + e, e);
        }
    }
}
