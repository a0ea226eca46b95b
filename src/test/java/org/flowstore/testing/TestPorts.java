package org.flowstore.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for test nodes, taken below the kernel's ephemeral range (32768-60999 on
 * Linux). A port the kernel hands out with {@code new ServerSocket(0)} is an ephemeral one: between
 * the check and the node binding it (or a killed node binding it again), any outgoing connection
 * of the cluster may take it as its local port, and the node fails with "Address already in use".
 */
public final class TestPorts {

    private static final int LOWEST = 10_000;
    private static final int BELOW_EPHEMERAL = 32_000;

    private TestPorts() {
    }

    /** Returns a port nothing listens on now (TCP or UDP), outside the ephemeral range. */
    public static int freePort() {
        return freeRange(1);
    }

    /** Returns the first of {@code n} consecutive ports nothing listens on now, outside the ephemeral range. */
    public static int freeRange(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL - n);
            if (allFree(base, n)) {
                return base;
            }
        }
        throw new UncheckedIOException(new IOException("no " + n + " consecutive free ports in ["
                + LOWEST + ", " + BELOW_EPHEMERAL + ")"));
    }

    private static boolean allFree(int base, int n) {
        for (int port = base; port < base + n; port++) {
            if (!isFree(port)) {
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
