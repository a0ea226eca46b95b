package org.flowstore.store.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;

/**
 * Tells a dead peer process from a slow or unreachable one far sooner than SWIM's failure timeout.
 * This node holds an idle TCP connection to every peer's cluster port (Atomix's messaging server
 * waits for a handshake that never comes, and holds it). When the peer's process dies its kernel
 * closes the connection at once; if a new connection is then refused, nothing listens on that port
 * of a host that answers: the process is gone, not paused (a SIGSTOPped process keeps its
 * connections) nor cut off (a cut link refuses nothing, it times out). Only that transition, from
 * connected to refused, reports the peer dead; a peer that was never reached (not started yet)
 * or that times out is left to SWIM.
 *
 * <p>Threads: one daemon thread per peer ({@code flowstore-liveness-<node>-<peer>}) blocks on its
 * connection; the death callback runs on it and must not block.
 */
final class PeerLiveness {

    private static final Logger log = LoggerFactory.getLogger(PeerLiveness.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 500;
    private static final Duration RETRY = Duration.ofMillis(100);

    private final NodeId local;
    private final List<ClusterMember> peers;
    private final Consumer<NodeId> onDeath;
    private final List<Watcher> watchers = new ArrayList<>();
    /** Peers found dead and not reached since. */
    private final Set<NodeId> gone = ConcurrentHashMap.newKeySet();

    /**
     * @param local this node
     * @param peers the other members
     * @param onDeath called once per death with the peer's id (again only after the peer was reached again)
     */
    PeerLiveness(NodeId local, List<ClusterMember> peers, Consumer<NodeId> onDeath) {
        this.local = local;
        this.peers = List.copyOf(peers);
        this.onDeath = onDeath;
    }

    /**
     * Returns true for a peer found dead that was not reached since.
     *
     * @param peer the peer
     * @return true while it is known dead
     */
    boolean isGone(NodeId peer) {
        return gone.contains(peer);
    }

    /** Starts watching every peer. */
    synchronized void start() {
        for (ClusterMember peer : peers) {
            Watcher w = new Watcher(peer);
            watchers.add(w);
            w.thread.start();
        }
    }

    /** Stops watching; the connections close. */
    synchronized void stop() {
        watchers.forEach(Watcher::stop);
        watchers.clear();
    }

    /** Watches one peer. */
    private final class Watcher implements Runnable {
        private final ClusterMember peer;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Socket socket;

        Watcher(ClusterMember peer) {
            this.peer = peer;
            this.thread = new Thread(this, "flowstore-liveness-" + local + "-" + peer.id());
            this.thread.setDaemon(true);
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            closeQuietly(socket);
        }

        @Override
        public void run() {
            boolean reached = false;
            while (!stopped) {
                Socket s = new Socket();
                boolean connected = false;
                try {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(peer.host(), peer.port()), CONNECT_TIMEOUT_MILLIS);
                    socket = s;
                    reached = true;
                    gone.remove(peer.id());
                    connected = true;
                    // Blocks until the peer closes the connection: its process died, or its server dropped us.
                    InputStream in = s.getInputStream();
                    while (!stopped && in.read() >= 0) {
                        // Atomix's server sends nothing before a handshake; anything it sends is ignored.
                    }
                } catch (ConnectException e) {
                    if (reached && !stopped) {
                        reached = false;
                        gone.add(peer.id());
                        log.info("Node {} found the process of {} gone ({}:{} refuses connections)", local, peer.id(),
                                peer.host(), peer.port());
                        try {
                            onDeath.accept(peer.id());
                        } catch (RuntimeException failure) {
                            log.warn("Node {} failed to act on the death of {}: {}", local, peer.id(),
                                    failure.toString());
                        }
                    }
                } catch (IOException e) {
                    // Reset, timeout or unreachable: not a proof of death; try again, SWIM decides meanwhile.
                } finally {
                    closeQuietly(s);
                }
                // A connection that just closed is retried at once: that retry is what tells a death.
                if (!stopped && !connected) {
                    sleep();
                }
            }
        }

        private void sleep() {
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // Closing is best effort.
            }
        }
    }
}
