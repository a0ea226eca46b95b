package org.flowstore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for test nodes, taken below the kernel's ephemeral range (32768-60999 on
 * Linux). A port the kernel hands out with {@code new ServerSocket(0)} is an ephemeral one: between
 * the check and the node binding it (or a killed node binding it again), any outgoing connection
 * of the cluster may take it as its local port, and the node fails with "Address already in use".
 *
 * <p>A port is handed out once per JVM: the members of a cluster are chosen before any of them
 * binds, so a port still free for the next member's check may be the one just given to the previous
 * (a CI run started n1 and n3 of one cluster on the same port, and it never formed).
 */
public final class TestPorts {

    private static final int LOWEST = 10_000;
    private static final int BELOW_EPHEMERAL = 32_000;
    /** Every port handed out by this JVM; guarded by the class. */
    private static final Set<Integer> GIVEN = new HashSet<>();

    private TestPorts() {
    }

    /** Returns a port nothing listens on now (TCP or UDP), outside the ephemeral range, not handed out before. */
    public static int freePort() {
        return freeRange(1);
    }

    /**
     * Returns the first of {@code n} consecutive ports nothing listens on now, outside the ephemeral
     * range, none handed out before.
     */
    public static synchronized int freeRange(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL - n);
            if (allFree(base, n)) {
                for (int port = base; port < base + n; port++) {
                    GIVEN.add(port);
                }
                return base;
            }
        }
        throw new UncheckedIOException(new IOException("no " + n + " consecutive free ports in ["
                + LOWEST + ", " + BELOW_EPHEMERAL + ")"));
    }

    private static boolean allFree(int base, int n) {
        for (int port = base; port < base + n; port++) {
            if (GIVEN.contains(port) || !isFree(port)) {
                return false;
            }
        }
        return true;
    }

    /** Atomix listens on TCP and UDP on its port: both must be free. */
    private static boolean isFree(int port) {
        try (ServerSocket tcp = new ServerSocket(port); DatagramSocket udp = new DatagramSocket(port)) {
            return tcp.isBound() && udp.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
