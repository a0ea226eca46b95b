package org.flowstore.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.flowstore.app.device.SimulatedDevices;

/**
 * A cluster of node processes on 127.0.0.1, remembered in {@code <run dir>/cluster.json}: node
 * {@code i} (1-based) is {@code n<i>}, serves REST on {@code restBase + i - 1} (8181 by default)
 * and the cluster on {@code clusterBase + i - 1}; its Raft logs go to {@code <run dir>/data/n<i>}
 * and its log to {@code <run dir>/logs/n<i>.log}. Built {@linkplain #inNamespaces in network
 * namespaces}, node {@code i} runs in namespace {@code i} instead, meets its peers at its
 * namespace address and answers REST at the address its host link gives it.
 */
final class LocalCluster {

    static final int DEFAULT_REST_BASE = 8181;
    static final int DEFAULT_CLUSTER_BASE = 9876;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    /** How often starting nodes are asked whether they are ready, and stopping ones whether they are gone. */
    private static final Duration POLL = Duration.ofMillis(100);
    /** The environment variable whose JVM options, when set, replace {@link #NODE_JVM_OPTIONS}. */
    static final String NODE_JVM_OPTIONS_ENV = "FLOWSTORE_NODE_JVM_OPTIONS";
    /**
     * The JVM options of a node process. A fixed heap and G1 with a short pause goal: a node's
     * peers find it unresponsive after 1 s without a heartbeat answer, and ParallelGC's full
     * collections of a growing heap took 0.5 to 1.6 s on a loaded 2-core host (each one a false
     * failover); G1's pauses stayed under 0.25 s there. Huge pages: a killed node's kernel frees its
     * heap sooner, and closes its sockets (how peers find it dead) only after that.
     */
    static final List<String> NODE_JVM_OPTIONS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=100", "-XX:+UseTransparentHugePages");

    /** Returns the JVM options of node processes: {@value #NODE_JVM_OPTIONS_ENV} split at blanks, else the defaults. */
    static List<String> nodeJvmOptions() {
        String options = System.getenv(NODE_JVM_OPTIONS_ENV);
        return options == null || options.isBlank() ? NODE_JVM_OPTIONS : List.of(options.trim().split("\\s+"));
    }

    /**
     * One node process.
     *
     * @param id node id
     * @param pid process id
     * @param rest REST base URL
     * @param clusterPort cluster messaging port
     * @param log the node's log file
     */
    record Node(String id, long pid, String rest, int clusterPort, Path log) {
    }

    /**
     * What {@code status} reports of a node.
     *
     * @param node the node
     * @param state ACTIVE (answers REST), STARTING (alive, not answering) or STOPPED
     */
    record Status(Node node, String state) {
    }

    private final Path runDir;
    private final int restBase;
    private final int clusterBase;
    /** The namespaces the nodes run in, or null when they run on 127.0.0.1. */
    private final NetworkNamespaces namespaces;
    /** How the nodes of the last {@link #start} were launched, so one can be launched again. */
    private String members;
    private int launchedDevices;
    private List<String> launchedArgs = List.of();
    private List<String> jvmOptions = nodeJvmOptions();

    LocalCluster(Path runDir, int restBase, int clusterBase) {
        this(runDir, restBase, clusterBase, null);
    }

    private LocalCluster(Path runDir, int restBase, int clusterBase, NetworkNamespaces namespaces) {
        this.runDir = runDir;
        this.restBase = restBase;
        this.clusterBase = clusterBase;
        this.namespaces = namespaces;
    }

    /**
     * A cluster whose node {@code i} runs in namespace {@code i} of {@code namespaces} (every node
     * linked to this host), so that a node can be cut off from its peers while REST still reaches it.
     *
     * @param runDir the run directory
     * @param restBase the first node's REST port
     * @param clusterBase the first node's cluster port
     * @param namespaces one namespace per node, each {@linkplain NetworkNamespaces#linkToHost linked to this host}
     * @return the cluster, not started
     */
    static LocalCluster inNamespaces(Path runDir, int restBase, int clusterBase, NetworkNamespaces namespaces) {
        return new LocalCluster(runDir, restBase, clusterBase, namespaces);
    }

    /**
     * Replaces the JVM options the nodes are launched with (by default {@link #nodeJvmOptions}).
     *
     * @param options the options, such as a smaller heap
     * @return this cluster
     */
    LocalCluster withJvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    Path stateFile() {
        return runDir.resolve("cluster.json");
    }

    /**
     * Starts the node processes and waits until every node answers REST and sees a master for
     * every device. On failure, stops what it started.
     *
     * @param nodes how many nodes
     * @param devices how many simulated devices
     * @param nodeArgs extra arguments of every node ({@code -P name=value} ...)
     * @param progress where to report
     * @return the nodes
     * @throws IOException if a node cannot be started or does not become ready
     */
    List<Node> start(int nodes, int devices, List<String> nodeArgs, PrintStream progress)
            throws IOException, InterruptedException {
        return start(nodes, devices, 0, nodeArgs, progress);
    }

    /**
     * Starts node processes that listen for OpenFlow switches (node {@code i} on port
     * {@code openflowBase + i - 1}, no simulated devices) and waits until every node answers REST
     * and sees a master for every switch. On failure, stops what it started.
     *
     * @param nodes how many nodes
     * @param switches how many switches connect to every node
     * @param openflowBase the first node's OpenFlow port
     * @param nodeArgs extra arguments of every node
     * @param progress where to report
     * @return the nodes
     * @throws IOException if a node cannot be started or does not become ready
     */
    List<Node> startWithSwitches(int nodes, int switches, int openflowBase, List<String> nodeArgs, PrintStream progress)
            throws IOException, InterruptedException {
        return start(nodes, switches, openflowBase, nodeArgs, progress);
    }

    private List<Node> start(int nodes, int devices, int openflowBase, List<String> nodeArgs, PrintStream progress)
            throws IOException, InterruptedException {
        List<Node> running = read().stream().filter(n -> alive(n.pid())).toList();
        if (!running.isEmpty()) {
            throw new IOException("a local cluster is already running (" + running.stream().map(Node::id)
                    .collect(Collectors.joining(", ")) + "); stop it first: flowstore cluster stop");
        }
        for (int i = 0; i < nodes && namespaces == null; i++) {
            requireFree(restBase + i, "REST");
            requireFree(clusterBase + i, "cluster");
            if (openflowBase > 0) {
                requireFree(openflowBase + i, "OpenFlow");
            }
        }
        deleteTree(runDir.resolve("data"));
        Files.createDirectories(runDir.resolve("logs"));
        members = Stream.iterate(1, i -> i + 1).limit(nodes)
                .map(i -> "n" + i + "@" + (namespaces == null ? "127.0.0.1" : NetworkNamespaces.address(i)) + ":"
                        + (clusterBase + i - 1)).collect(Collectors.joining(","));
        launchedDevices = openflowBase > 0 ? 0 : devices;
        launchedArgs = List.copyOf(nodeArgs);
        List<Node> started = new ArrayList<>();
        try {
            for (int i = 1; i <= nodes; i++) {
                List<String> args = new ArrayList<>(nodeArgs);
                if (openflowBase > 0) {
                    args.addAll(List.of("--openflow-port", String.valueOf(openflowBase + i - 1)));
                }
                started.add(launch(i, members, launchedDevices, args, true));
            }
            write(started);
            awaitReady(started, devices, progress);
            return started;
        } catch (IOException | InterruptedException | RuntimeException e) {
            started.forEach(n -> ProcessHandle.of(n.pid()).ifPresent(ProcessHandle::destroyForcibly));
            Files.deleteIfExists(stateFile());
            throw e;
        }
    }

    /**
     * Starts a node of the last {@link #start} again, after it died or stopped: same id, ports,
     * Raft data and log (appended to), and waits until it answers REST and sees every device's
     * master. Simulated-device clusters only.
     *
     * @param node the node, stopped or killed (waited for until its process ended)
     * @param progress where to report
     * @return the node with its new process id
     * @throws IOException if it cannot be started or does not become ready
     */
    Node restart(Node node, PrintStream progress) throws IOException, InterruptedException {
        if (members == null) {
            throw new IllegalStateException("no cluster was started by this instance");
        }
        // A killed process may take a moment to end (its kernel tears it down).
        long since = System.nanoTime();
        long deadline = since + STOP_TIMEOUT.toNanos();
        while (alive(node.pid())) {
            if (System.nanoTime() > deadline) {
                throw new IOException(node.id() + " (pid " + node.pid() + ") is still running "
                        + STOP_TIMEOUT.toSeconds() + " s after it was stopped");
            }
            Thread.sleep(POLL.toMillis());
        }
        progress.printf("  %s's process (pid %d) ended %d ms after the restart was asked for; starting it again%n",
                node.id(), node.pid(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since));
        Node again = launch(Integer.parseInt(node.id().substring(1)), members, launchedDevices, launchedArgs, false);
        List<Node> nodes = new ArrayList<>(read());
        nodes.replaceAll(n -> n.id().equals(node.id()) ? again : n);
        write(nodes);
        awaitReady(List.of(again), launchedDevices, progress);
        return again;
    }

    /**
     * Stops one node the way an operator does (SIGTERM: it leaves the cluster and hands its devices
     * over), and waits until it exited; kills it if it did not within the stop timeout.
     *
     * @param node the node
     * @return true when it stopped by itself
     */
    static boolean stopGracefully(Node node) throws InterruptedException {
        Optional<ProcessHandle> p = ProcessHandle.of(node.pid()).filter(LocalCluster::isFlowstoreNode);
        if (p.isEmpty()) {
            return true;
        }
        p.get().destroy();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (p.get().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        if (p.get().isAlive()) {
            p.get().destroyForcibly();
            return false;
        }
        return true;
    }

    /**
     * Pauses ({@code STOP}) or resumes ({@code CONT}) a node's process.
     *
     * @param node the node
     * @param signal STOP or CONT
     * @throws IOException if the signal could not be sent
     */
    static void signal(Node node, String signal) throws IOException, InterruptedException {
        if (!signal.equals("STOP") && !signal.equals("CONT")) {
            throw new IllegalArgumentException("signal is STOP or CONT, not " + signal);
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.pid()))
                .redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes()).trim();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + node.pid() + " (" + node.id() + ") failed: " + output);
        }
    }

    private Node launch(int index, String members, int devices, List<String> nodeArgs, boolean fresh)
            throws IOException {
        String id = "n" + index;
        int restPort = restBase + index - 1;
        Path log = runDir.resolve("logs").resolve(id + ".log");
        Path out = runDir.resolve("logs").resolve(id + ".out");
        if (fresh) {
            Files.deleteIfExists(log);
        }
        List<String> command = ChildJvm.command(jvmOptions.toArray(String[]::new));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FlowstoreCommand.class.getName(), "node",
                "--id", id, "--members", members, "--rest-port", String.valueOf(restPort),
                "--devices", String.valueOf(devices), "--data-dir", runDir.resolve("data").resolve(id).toString(),
                "--log-file", log.toString()));
        command.addAll(nodeArgs);
        if (namespaces != null) {
            command = namespaces.inside(index, command);
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(fresh ? ProcessBuilder.Redirect.to(out.toFile()) : ProcessBuilder.Redirect.appendTo(
                        out.toFile())).start();
        if (namespaces != null) {
            awaitExec(process);
        }
        String restHost = namespaces == null ? "127.0.0.1" : namespaces.hostReachableAddress(index);
        return new Node(id, process.pid(), "http://" + restHost + ":" + restPort, clusterBase + index - 1, log);
    }

    /**
     * Waits until {@code ip netns exec} has replaced itself by the node's JVM (same pid): until then
     * the process is not recognisably a node, and {@link #alive} would call it gone.
     */
    private static void awaitExec(Process process) throws IOException {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (!isFlowstoreNode(process.toHandle()) || process.info().command().orElse("").endsWith("/ip")) {
            if (!process.isAlive()) {
                return; // awaitReady reports it, with its output
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("ip netns exec did not start the node's JVM within " + STOP_TIMEOUT.toSeconds()
                        + " s (pid " + process.pid() + ")");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting pid " + process.pid(), e);
            }
        }
    }

    private void awaitReady(List<Node> nodes, int devices, PrintStream progress)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        List<Node> waiting = new ArrayList<>(nodes);
        Map<Node, RestClient> clients = new HashMap<>();
        nodes.forEach(n -> clients.put(n, new RestClient(n.rest(), Duration.ofSeconds(2))));
        while (!waiting.isEmpty()) {
            for (Node n : List.copyOf(waiting)) {
                if (!alive(n.pid())) {
                    throw new IOException("node " + n.id() + " exited while starting; its output:\n" + tail(n));
                }
                if (ready(clients.get(n), devices)) {
                    waiting.remove(n);
                    progress.printf("  %s ready (pid %d, %s)%n", n.id(), n.pid(), n.rest());
                }
            }
            if (!waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nodes " + waiting.stream().map(Node::id).toList() + " not ready within "
                            + READY_TIMEOUT.toSeconds() + " s; output of " + waiting.get(0).id() + ":\n"
                            + tail(waiting.get(0)));
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    /** True when the node answers REST and sees a master for every device. */
    private static boolean ready(RestClient client, int devices) throws InterruptedException {
        try {
            RestClient.Reply reply = client.get("/onos/v1/devices");
            if (!reply.ok()) {
                return false;
            }
            int available = 0;
            for (JsonNode d : reply.body().path("devices")) {
                available += d.path("available").asBoolean() ? 1 : 0;
            }
            return available >= devices;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops every node: SIGTERM, then SIGKILL for those still alive after the timeout. */
    List<Node> stop(PrintStream progress) throws IOException, InterruptedException {
        List<Node> nodes = read();
        for (Node n : nodes) {
            ProcessHandle.of(n.pid()).filter(LocalCluster::isFlowstoreNode).ifPresent(ProcessHandle::destroy);
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Node n : nodes) {
            Optional<ProcessHandle> p = ProcessHandle.of(n.pid()).filter(LocalCluster::isFlowstoreNode);
            while (p.isPresent() && p.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(POLL.toMillis());
            }
            if (p.isPresent() && p.get().isAlive()) {
                progress.printf("  %s did not stop within %d s: killed%n", n.id(), STOP_TIMEOUT.toSeconds());
                p.get().destroyForcibly();
            } else {
                progress.printf("  %s stopped%n", n.id());
            }
        }
        Files.deleteIfExists(stateFile());
        return nodes;
    }

    /** Kills one node at once (SIGKILL). */
    static void kill(Node node) {
        ProcessHandle.of(node.pid()).filter(LocalCluster::isFlowstoreNode).ifPresent(ProcessHandle::destroyForcibly);
    }

    List<Status> status() throws IOException {
        List<Status> statuses = new ArrayList<>();
        for (Node n : read()) {
            String state;
            if (!alive(n.pid())) {
                state = "STOPPED";
            } else {
                state = new RestClient(n.rest(), Duration.ofSeconds(2)).answers() ? "ACTIVE" : "STARTING";
            }
            statuses.add(new Status(n, state));
        }
        return statuses;
    }

    List<Node> read() throws IOException {
        if (!Files.exists(stateFile())) {
            return List.of();
        }
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : RestClient.MAPPER.readTree(stateFile().toFile()).path("nodes")) {
            nodes.add(new Node(n.path("id").asText(), n.path("pid").asLong(), n.path("rest").asText(),
                    n.path("clusterPort").asInt(), Path.of(n.path("log").asText())));
        }
        return nodes;
    }

    private void write(List<Node> nodes) throws IOException {
        ObjectNode root = RestClient.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("nodes");
        for (Node n : nodes) {
            list.addObject().put("id", n.id()).put("pid", n.pid()).put("rest", n.rest())
                    .put("clusterPort", n.clusterPort()).put("log", n.log().toString());
        }
        Files.createDirectories(runDir);
        RestClient.MAPPER.writerWithDefaultPrettyPrinter().writeValue(stateFile().toFile(), root);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).filter(LocalCluster::isFlowstoreNode).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Guards against a recycled pid: only a JVM running a flowstore node is ours. */
    private static boolean isFlowstoreNode(ProcessHandle p) {
        return p.info().arguments().map(args -> List.of(args).contains(FlowstoreCommand.class.getName()))
                .orElse(p.info().command().map(c -> c.contains("java")).orElse(true));
    }

    private static void requireFree(int port, String what) throws IOException {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IOException(what + " port " + port + " is in use; is another cluster or node running?");
        }
    }

    private String tail(Node n) {
        Path out = runDir.resolve("logs").resolve(n.id() + ".out");
        try {
            List<String> lines = Files.readAllLines(out);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Returns the simulated device ids of a cluster with that many devices. */
    static List<String> deviceIds(int devices) {
        return Stream.iterate(1, i -> i + 1).limit(devices).map(i -> SimulatedDevices.deviceId(i).uri()).toList();
    }
}
