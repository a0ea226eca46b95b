package org.flowstore.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a tool or test creates and removes itself: one per node, each with one veth
 * link to a bridge in a hub namespace, and an address {@code 10.203.0.<i>/24} that exists only in
 * there. Cutting a node sets its link down on the hub side: the node keeps running and sees its
 * peers vanish, as in a real partition (packets vanish; nothing is refused). Optionally each node
 * also gets a point-to-point link to this host (see {@link #linkToHost}), which a cut leaves up, so
 * a client here still reaches a node that is cut off from its peers. Needs root and {@code ip}
 * (iproute2).
 */
public final class NetworkNamespaces implements AutoCloseable {

    private final String prefix;
    private final String hub;
    private final int nodes;
    /** Third octet of the host links' {@code 10.204.x.0/24}, distinct per creating process. */
    private final int hostNet;

    private NetworkNamespaces(long pid, int nodes) {
        this.prefix = "fs" + pid % 100000;
        this.hub = prefix + "hub";
        this.nodes = nodes;
        this.hostNet = (int) (pid % 250) + 1;
    }

    /**
     * Returns why namespaces cannot be made here (not root, no {@code ip}), or null when they can.
     *
     * @return the reason, one line, or null
     */
    public static String unavailableReason() {
        String probe = "fsprobe" + ProcessHandle.current().pid();
        try {
            run("ip", "netns", "add", probe);
            run("ip", "netns", "del", probe);
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot create network namespaces here (needs root and iproute2): " + e.getMessage();
        }
    }

    /**
     * Creates the hub and one namespace per node, linked and addressed.
     *
     * @param nodes how many nodes
     * @return the namespaces
     * @throws IOException if a command fails
     */
    public static NetworkNamespaces create(int nodes) throws IOException {
        NetworkNamespaces n = new NetworkNamespaces(ProcessHandle.current().pid(), nodes);
        try {
            n.build();
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void build() throws IOException {
        run("ip", "netns", "add", hub);
        run("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
        run("ip", "-n", hub, "link", "set", "br0", "up");
        for (int i = 1; i <= nodes; i++) {
            String ns = namespace(i);
            run("ip", "netns", "add", ns);
            run("ip", "-n", hub, "link", "add", "v" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
            run("ip", "-n", hub, "link", "set", "v" + i, "master", "br0");
            run("ip", "-n", hub, "link", "set", "v" + i, "up");
            run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
            run("ip", "-n", ns, "link", "set", "eth0", "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
    }

    /** Returns node {@code i}'s namespace (1-based). */
    public String namespace(int i) {
        return prefix + "n" + i;
    }

    /** Returns node {@code i}'s address, reachable only from the namespaces of this set. */
    public static String address(int i) {
        return "10.203.0." + i;
    }

    /**
     * Links node {@code i}'s namespace to this host (the root namespace) point to point: the node
     * answers on {@link #hostReachableAddress} from here, whatever {@link #cut} does to its link to
     * the other nodes. Removed with the namespace.
     *
     * @param i the node (1-based, at most 60)
     * @throws IOException if a command fails
     */
    public void linkToHost(int i) throws IOException {
        if (i < 1 || i > 60) {
            throw new IllegalArgumentException("node index 1..60, was " + i);
        }
        String ns = namespace(i);
        String local = prefix + "h" + i;
        run("ip", "link", "add", local, "type", "veth", "peer", "name", "host0", "netns", ns);
        run("ip", "addr", "add", hostNetAddress(4 * i + 2) + "/30", "dev", local);
        run("ip", "link", "set", local, "up");
        run("ip", "-n", ns, "addr", "add", hostNetAddress(4 * i + 1) + "/30", "dev", "host0");
        run("ip", "-n", ns, "link", "set", "host0", "up");
    }

    /**
     * Returns the address at which this host reaches node {@code i} over its {@link #linkToHost} link.
     *
     * @param i the node (1-based)
     * @return the address
     */
    public String hostReachableAddress(int i) {
        return hostNetAddress(4 * i + 1);
    }

    private String hostNetAddress(int last) {
        return "10.204." + hostNet + "." + last;
    }

    /** Cuts node {@code i} off from every other node. */
    public void cut(int i) throws IOException {
        run("ip", "-n", hub, "link", "set", "v" + i, "down");
    }

    /** Links node {@code i} to the others again. */
    public void heal(int i) throws IOException {
        run("ip", "-n", hub, "link", "set", "v" + i, "up");
    }

    /**
     * Returns the command that runs a program inside node {@code i}'s namespace.
     *
     * @param i the node
     * @param command the program and its arguments
     * @return the whole command
     */
    public List<String> inside(int i, List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
        all.addAll(command);
        return all;
    }

    /** Removes every namespace (and with them the links). */
    @Override
    public void close() {
        for (int i = 1; i <= nodes; i++) {
            quietly("ip", "netns", "del", namespace(i));
        }
        quietly("ip", "netns", "del", hub);
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException | RuntimeException e) {
            // Already gone.
        }
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
