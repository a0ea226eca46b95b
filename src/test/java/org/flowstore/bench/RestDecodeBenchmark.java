package org.flowstore.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.app.rest.FlowJson;
import org.flowstore.app.rest.JsonInput;

/**
 * The REST API's decoding of a bulk post ({@code POST /onos/v1/flows}) of {@value #FLOWS} flows,
 * each as {@code tools/flowstore demo} and {@code bench rest} write them (in port, IPv4 /32
 * destination, an output): the body parsed as JSON, then every rule decoded and validated. The
 * score is flows per second on one thread.
 * Run: {@code tools/bench-store RestDecodeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class RestDecodeBenchmark {

    static final int FLOWS = 1_000;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ApplicationId APP = ApplicationId.of(9, "org.flowstore.bench");

    private byte[] body;

    /** Writes the body once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode flows = root.putArray("flows");
        for (int i = 0; i < FLOWS; i++) {
            ObjectNode f = flows.addObject();
            f.put("priority", 40000).put("isPermanent", true)
                    .put("deviceId", "of:" + String.format("%016x", i % 8 + 1));
            ArrayNode criteria = f.putObject("selector").putArray("criteria");
            criteria.addObject().put("type", "IN_PORT").put("port", i % 48 + 1);
            criteria.addObject().put("type", "ETH_TYPE").put("ethType", "0x800");
            criteria.addObject().put("type", "IPV4_DST").put("ip", "10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF)
                    + "." + (i & 0xFF) + "/32");
            f.putObject("treatment").putArray("instructions").addObject().put("type", "OUTPUT")
                    .put("port", String.valueOf((i + 1) % 48 + 1));
        }
        body = MAPPER.writeValueAsBytes(root);
    }

    @Benchmark
    @OperationsPerInvocation(FLOWS)
    public List<FlowRule> parseAndDecode() throws IOException {
        JsonNode tree = MAPPER.readTree(body);
        List<FlowRule> rules = new ArrayList<>(FLOWS);
        for (JsonInput item : JsonInput.root(tree).objects("flows")) {
            rules.add(FlowJson.decodeRule(item, null, APP));
        }
        return rules;
    }
}
