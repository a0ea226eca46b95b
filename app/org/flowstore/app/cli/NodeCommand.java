package org.flowstore.app.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.flowstore.app.FlowNode;
import org.flowstore.app.device.SimulatedDevicesConfig;
import org.flowstore.app.manager.ManagerConfig;
import org.flowstore.app.openflow.OpenFlowConfig;
import org.flowstore.app.openflow.OpenFlowProvider;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.flow.StoreConfig;

/**
 * {@code flowstore node}: one cluster node in the foreground until SIGTERM or Ctrl-C. Settings
 * come from defaults, then a properties file ({@code --config}), then {@code -P name=value}, then
 * the named flags; the property names are the components' (cluster, store, flow-rule manager, simulated devices)
 * and the node's own.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Run one node: cluster member, flow store, flow-rule manager, simulated devices, REST API.")
final class NodeCommand implements Callable<Integer> {

    static final String NODE_LOGGING = "flowstore-node-logback.xml";

    /** The node's own properties, next to the cluster's and the store's. */
    static final String REST_PORT = "restPort";
    static final String MAX_BODY_BYTES = "maxBodyBytes";
    static final String WRITE_TIMEOUT = "writeTimeout";
    /** Whether REST offers the benchmark's load generator (default false: it lets any client load the cluster). */
    static final String LOAD_GENERATOR = "loadGenerator";
    /** Every property a node takes: a name outside these is a mistake (a typo would otherwise be ignored). */
    private static final Set<String> KNOWN = Stream.of(ClusterSettings.PROPERTIES, StoreConfig.PROPERTIES,
                    ManagerConfig.PROPERTIES, SimulatedDevicesConfig.PROPERTIES, OpenFlowConfig.PROPERTIES,
                    List.of(REST_PORT, MAX_BODY_BYTES, WRITE_TIMEOUT, LOAD_GENERATOR))
            .flatMap(List::stream).collect(Collectors.toUnmodifiableSet());

    @Option(names = "--id", description = "This node's id (property nodeId)")
    String id;

    @Option(names = "--members", description = "Every member as id@host:port,... (property members)")
    String members;

    @Option(names = "--rest-port", description = "REST port (property restPort, default 8181)")
    Integer restPort;

    @Option(names = "--devices", description = "Simulated devices of:0000000000000001.. (property devices, default 8)")
    Integer devices;

    @Option(names = "--openflow-port", description = "Listen for OpenFlow 1.3 switches on this port, e.g. 6653"
            + " (property openflowPort; unset: no OpenFlow)")
    Integer openflowPort;

    @Option(names = "--data-dir", description = "Raft log directory (property dataDirectory)")
    Path dataDir;

    @Option(names = "--config", description = "Properties file with any of the properties")
    Path config;

    @Option(names = {"-P", "--property"}, description = "Any property as name=value (repeatable)")
    Map<String, String> properties = new HashMap<>();

    @Option(names = "--log-file", description = "Log file (default flowstore-<id>.log)")
    Path logFile;

    @Override
    public Integer call() throws Exception {
        Map<String, String> p = new HashMap<>();
        if (config != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(config)) {
                file.load(in);
            } catch (IOException e) {
                System.err.println("flowstore node: cannot read " + config + ": " + e.getMessage());
                return 2;
            }
            file.stringPropertyNames().forEach(k -> p.put(k, file.getProperty(k).trim()));
        }
        p.putAll(properties);
        put(p, ClusterSettings.NODE_ID, id);
        put(p, ClusterSettings.MEMBERS, members);
        put(p, REST_PORT, restPort);
        put(p, SimulatedDevicesConfig.COUNT, devices);
        put(p, OpenFlowConfig.PORT, openflowPort);
        put(p, ClusterSettings.DATA_DIRECTORY, dataDir);

        FlowNode.Settings settings;
        try {
            settings = settings(p);
        } catch (IllegalArgumentException e) {
            System.err.println("flowstore node: " + e.getMessage());
            return 2;
        }
        String nodeId = settings.cluster().localNode().id();
        if (FlowstoreCommand.CLI_LOGGING.equals(System.getProperty("logback.configurationFile"))) {
            System.setProperty("logback.configurationFile", NODE_LOGGING);
        }
        System.setProperty("flowstore.log.file",
                (logFile != null ? logFile : Path.of("flowstore-" + nodeId + ".log")).toString());

        FlowNode node = new FlowNode(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "flowstore-shutdown"));
        try {
            node.start();
        } catch (RuntimeException e) {
            System.err.println("flowstore node " + nodeId + ": " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            return 1;
        }
        System.out.println("node " + nodeId + " ready: REST http://127.0.0.1:" + node.restPort() + "/onos/v1");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Builds a node's settings from its properties; throws naming every invalid one. */
    static FlowNode.Settings settings(Map<String, String> p) {
        ClusterSettings cluster = ClusterSettings.fromProperties(p);
        Map<String, Object> store = only(p, StoreConfig.PROPERTIES);
        Map<String, Object> manager = only(p, ManagerConfig.PROPERTIES);
        Map<String, Object> devices = only(p, SimulatedDevicesConfig.PROPERTIES);
        Map<String, Object> openflow = only(p, OpenFlowConfig.PROPERTIES);
        long writeTimeout = number(p, WRITE_TIMEOUT, 30_000, 100, 600_000);
        // A batch the manager issues for REST waits as long as the REST write does, unless told otherwise.
        manager.putIfAbsent(ManagerConfig.BATCH_TIMEOUT, String.valueOf(writeTimeout));
        List<String> rejected = new ArrayList<>();
        p.keySet().stream().filter(k -> !KNOWN.contains(k)).sorted()
                .forEach(k -> rejected.add("unknown property '" + k + "'"));
        rejected.addAll(StoreConfig.DEFAULTS.apply(store).rejected());
        rejected.addAll(ManagerConfig.DEFAULTS.apply(manager).rejected());
        SimulatedDevicesConfig.Update simulated = SimulatedDevicesConfig.DEFAULTS.apply(devices);
        rejected.addAll(simulated.rejected());
        rejected.addAll(OpenFlowConfig.DEFAULTS.apply(openflow).rejected());
        if (openflow.containsKey(OpenFlowConfig.PORT) && simulated.config().count() > 0 && simulated.config().scheme().equals(OpenFlowProvider.SCHEME)) {
            rejected.add("simulated devices of scheme 'of' and OpenFlow switches would share device ids: with "
                    + OpenFlowConfig.PORT + " set, set " + SimulatedDevicesConfig.COUNT + "=0 or "
                    + SimulatedDevicesConfig.SCHEME + "=sim");
        }
        if (!rejected.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", rejected));
        }
        return new FlowNode.Settings(cluster, store, manager, devices, openflow, (int) number(p, REST_PORT, 8181, 0, 65_535),
                number(p, MAX_BODY_BYTES, 16L << 20, 1024, 1L << 30), Duration.ofMillis(writeTimeout),
                bool(p, LOAD_GENERATOR));
    }

    private static Map<String, Object> only(Map<String, String> p, Collection<String> names) {
        Map<String, Object> some = new HashMap<>();
        p.forEach((k, v) -> {
            if (names.contains(k)) {
                some.put(k, v);
            }
        });
        return some;
    }

    private static long number(Map<String, String> p, String name, long defaultValue, long min, long max) {
        String raw = p.get(name);
        if (raw == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("property " + name + "='" + raw + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("property " + name + "=" + raw + " must be " + min + ".." + max);
        }
        return value;
    }

    private static boolean bool(Map<String, String> p, String name) {
        String raw = p.getOrDefault(name, "false").trim();
        if (!raw.equals("true") && !raw.equals("false")) {
            throw new IllegalArgumentException("property " + name + "='" + raw + "' must be true or false");
        }
        return Boolean.parseBoolean(raw);
    }

    private static void put(Map<String, String> p, String name, Object value) {
        if (value != null) {
            p.put(name, value.toString());
        }
    }
}
