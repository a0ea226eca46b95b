package org.flowstore.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Open vSwitch run by hand in a private folder: {@code ovsdb-server} and {@code ovs-vswitchd} with
 * every path (database, sockets, logs, pid files) under that folder, and bridges of OVS's
 * user-space dummy datapath ({@code --enable-dummy=override}): no kernel module, no systemd, and no
 * network interface in the host, so nothing but the OpenFlow connections to 127.0.0.1 leaves it.
 * Each bridge {@code brN} has datapath id N, speaks OpenFlow 1.3 only, fails secure (no flows of
 * its own) and connects to every given controller port, reconnecting within a second.
 *
 * <p>Used by {@code flowstore demo --switches ovs} and by the tests with Open vSwitch.
 */
public final class LocalSwitches implements AutoCloseable {

    private static final List<String> TOOLS = List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl",
            "ovs-ofctl");
    private static final List<Path> SEARCH = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"),
            Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"));
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    /** Threads that drain the tools' output (daemons: they never keep the JVM alive). */
    private static final ExecutorService OUTPUT_READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "flowstore-ovs-output");
        t.setDaemon(true);
        return t;
    });
    private static final Pattern COOKIE = Pattern.compile("cookie=0x([0-9a-f]+)");
    private static final Pattern FLOW_COUNT = Pattern.compile("flow_count=(\\d+)");

    private final Path dir;
    private final Map<String, Path> tools;
    private final List<String> bridges = new ArrayList<>();
    private boolean closed;

    private LocalSwitches(Path dir, Map<String, Path> tools) {
        this.dir = dir;
        this.tools = tools;
    }

    /**
     * Returns why Open vSwitch cannot run here, or empty when it can.
     *
     * @return one line naming what is missing
     */
    public static Optional<String> unavailableReason() {
        List<String> missing = TOOLS.stream().filter(t -> find(t).isEmpty()).toList();
        if (!missing.isEmpty()) {
            return Optional.of("Open vSwitch is not installed (missing " + String.join(", ", missing)
                    + "; apt-get install openvswitch-switch)");
        }
        if (!Files.isReadable(SCHEMA)) {
            return Optional.of("Open vSwitch's database schema " + SCHEMA + " is missing");
        }
        return Optional.empty();
    }

    private static Optional<Path> find(String tool) {
        Stream<Path> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(p -> !p.isEmpty()).map(Path::of);
        return Stream.concat(path, SEARCH.stream()).map(p -> p.resolve(tool)).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts the database and the switch daemon in a folder (created if needed, emptied first).
     *
     * @param dir the private folder
     * @return the running switch
     * @throws IOException if Open vSwitch is missing or a daemon does not start
     */
    public static LocalSwitches start(Path dir) throws IOException {
        Optional<String> unavailable = unavailableReason();
        if (unavailable.isPresent()) {
            throw new IOException(unavailable.get());
        }
        Map<String, Path> tools = new HashMap<>();
        TOOLS.forEach(t -> tools.put(t, find(t).orElseThrow()));
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.toList()) {
                Files.deleteIfExists(p);
            }
        }
        LocalSwitches ovs = new LocalSwitches(dir.toAbsolutePath(), tools);
        try {
            ovs.run("ovsdb-tool", "create", ovs.dir.resolve("conf.db").toString(), SCHEMA.toString());
            ovs.run("ovsdb-server", ovs.dir.resolve("conf.db").toString(), "--remote=punix:" + ovs.socket(),
                    "--pidfile=" + ovs.dir.resolve("ovsdb-server.pid"), "--detach",
                    "--log-file=" + ovs.dir.resolve("ovsdb-server.log"));
            ovs.vsctl("--no-wait", "init");
            ovs.run("ovs-vswitchd", "unix:" + ovs.socket(), "--enable-dummy=override", "--disable-system",
                    "--pidfile=" + ovs.dir.resolve("ovs-vswitchd.pid"), "--detach",
                    "--log-file=" + ovs.dir.resolve("ovs-vswitchd.log"));
        } catch (IOException | RuntimeException e) {
            ovs.close();
            throw e;
        }
        return ovs;
    }

    private Path socket() {
        return dir.resolve("db.sock");
    }

    /**
     * Adds bridge {@code br<index>} with datapath id {@code index}, connected to controllers on
     * 127.0.0.1 at the given ports.
     *
     * @param index 1..65535
     * @param controllerPorts one per cluster node
     * @return the bridge's name
     * @throws IOException if ovs-vsctl fails
     */
    public String addBridge(int index, List<Integer> controllerPorts) throws IOException {
        String bridge = "br" + index;
        List<String> args = new ArrayList<>(List.of("add-br", bridge, "--", "set", "bridge", bridge,
                "datapath_type=dummy", "protocols=OpenFlow13", "fail_mode=secure",
                String.format("other-config:datapath-id=%016x", index)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < controllerPorts.size(); i++) {
            String id = "@c" + i;
            ids.add(id);
            args.addAll(List.of("--", "--id=" + id, "create", "controller", "target=\"tcp:127.0.0.1:"
                    + controllerPorts.get(i) + "\"", "connection-mode=out-of-band", "max_backoff=1000"));
        }
        args.addAll(List.of("--", "set", "bridge", bridge, "controller=[" + String.join(",", ids) + "]"));
        vsctl(args.toArray(new String[0]));
        bridges.add(bridge);
        return bridge;
    }

    /** Returns the bridges added, in order. */
    public List<String> bridges() {
        return List.copyOf(bridges);
    }

    /** Returns the device id the cluster gives bridge {@code br<index>}. */
    public static String deviceId(int index) {
        return String.format("of:%016x", index);
    }

    /**
     * Returns a bridge's flows as {@code ovs-ofctl -O OpenFlow13 dump-flows} prints them, one per
     * line, without the reply header.
     *
     * @param bridge the bridge
     * @return its flows
     * @throws IOException if ovs-ofctl fails
     */
    public List<String> dumpFlows(String bridge) throws IOException {
        return run("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", bridge).lines()
                .filter(l -> l.contains("cookie=")).map(String::trim).toList();
    }

    /**
     * Returns the cookies of a bridge's flows (the flow ids the cluster gave them).
     *
     * @param bridge the bridge
     * @return one cookie per flow
     * @throws IOException if ovs-ofctl fails
     */
    public List<Long> cookies(String bridge) throws IOException {
        return cookies(bridge, null);
    }

    /**
     * Returns the cookies of a bridge's flows of one application: those whose cookie's top 16 bits
     * (the cluster's application id) are {@code appId}.
     *
     * @param bridge the bridge
     * @param appId the application's numeric id, or null for every flow
     * @return one cookie per flow
     * @throws IOException if ovs-ofctl fails
     */
    public List<Long> cookies(String bridge, Integer appId) throws IOException {
        List<String> args = new ArrayList<>(List.of("-O", "OpenFlow13", "dump-flows", bridge));
        if (appId != null) {
            args.add(String.format("cookie=0x%04x000000000000/0xffff000000000000", appId));
        }
        List<Long> cookies = new ArrayList<>();
        for (String line : run("ovs-ofctl", args.toArray(new String[0])).lines().toList()) {
            Matcher m = COOKIE.matcher(line);
            if (m.find()) {
                cookies.add(Long.parseUnsignedLong(m.group(1), 16));
            }
        }
        return cookies;
    }

    /**
     * Returns how many flows a bridge holds ({@code ovs-ofctl dump-aggregate}: cheap, no flow is printed).
     *
     * @param bridge the bridge
     * @return its flow count
     * @throws IOException if ovs-ofctl fails or prints no count
     */
    public long flowCount(String bridge) throws IOException {
        String out = run("ovs-ofctl", "-O", "OpenFlow13", "dump-aggregate", bridge);
        Matcher m = FLOW_COUNT.matcher(out);
        if (!m.find()) {
            throw new IOException("ovs-ofctl dump-aggregate " + bridge + " printed no flow_count: " + out.trim());
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Adds a flow behind the controllers' back.
     *
     * @param bridge the bridge
     * @param flow in ovs-ofctl's syntax, e.g. {@code priority=7,ip,nw_dst=10.9.9.9,actions=drop}
     * @throws IOException if ovs-ofctl fails
     */
    public void addFlow(String bridge, String flow) throws IOException {
        run("ovs-ofctl", "-O", "OpenFlow13", "add-flow", bridge, flow);
    }

    /**
     * Deletes flows behind the controllers' back (the switch tells its master).
     *
     * @param bridge the bridge
     * @param match in ovs-ofctl's syntax, matched strictly (with its priority) when {@code strict}
     * @param strict whether only the flow with exactly this match and priority goes
     * @throws IOException if ovs-ofctl fails
     */
    public void delFlows(String bridge, String match, boolean strict) throws IOException {
        List<String> args = new ArrayList<>(List.of("-O", "OpenFlow13"));
        if (strict) {
            args.add("--strict");
        }
        args.addAll(List.of("del-flows", bridge, match));
        run("ovs-ofctl", args.toArray(new String[0]));
    }

    /**
     * Returns a bridge's controllers as the switch sees them: {@code target role connected}, one
     * line each (the role as OVS names it: master, slave or other).
     *
     * @param bridge the bridge
     * @return one line per controller
     * @throws IOException if ovs-vsctl fails
     */
    public List<String> controllers(String bridge) throws IOException {
        String uuids = vsctl("get", "bridge", bridge, "controller").trim();
        List<String> out = new ArrayList<>();
        for (String uuid : uuids.replaceAll("[\\[\\] ]", "").split(",")) {
            if (!uuid.isEmpty()) {
                out.add(vsctl("get", "controller", uuid, "target").trim().replace("\"", "") + " "
                        + vsctl("get", "controller", uuid, "role").trim() + " "
                        + vsctl("get", "controller", uuid, "is_connected").trim());
            }
        }
        return out;
    }

    private String vsctl(String... args) throws IOException {
        List<String> all = new ArrayList<>();
        all.add("--db=unix:" + socket());
        all.add("--timeout=30");
        all.addAll(List.of(args));
        return run("ovs-vsctl", all.toArray(new String[0]));
    }

    private String run(String tool, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(tools.get(tool).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", dir.toString());
        pb.environment().put("OVS_LOGDIR", dir.toString());
        pb.environment().put("OVS_DBDIR", dir.toString());
        pb.environment().put("OVS_SYSCONFDIR", dir.toString());
        pb.environment().put("OVS_PKGDATADIR", SCHEMA.getParent().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        // Read while it runs: a dump of many flows overflows the pipe long before the tool exits.
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, OUTPUT_READERS);
        String output;
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(tool + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            output = new String(read.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(tool + " was interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not read the output of " + tool + ": " + e, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + output.trim());
        }
        return output;
    }

    /** Returns the switch daemon's log, for a failure report. */
    public Path log() {
        return dir.resolve("ovs-vswitchd.log");
    }

    /** Stops both daemons (the dummy datapath leaves nothing behind in the host); safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop("ovs-vswitchd.pid");
        stop("ovsdb-server.pid");
    }

    private void stop(String pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(pidFile)).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // Never started: nothing to stop.
        }
    }
}
