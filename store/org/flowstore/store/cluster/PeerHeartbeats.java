package org.flowstore.store.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.atomix.cluster.messaging.MessagingService;
import io.atomix.utils.net.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;

/**
 * Tells a paused or cut-off peer from a live one when Atomix's failure detector cannot: every
 * probe interval this node asks each peer for a heartbeat over its pooled cluster connection, and
 * a peer that answered none for the failure timeout is <em>unresponsive</em> until it answers
 * again.
 *
 * <p>Why not SWIM alone: Atomix 3.1.12 probes over a fresh connection each time, and its request
 * timeout starts only once that connection's handshake is done. A SIGSTOPped process still
 * accepts connections (its kernel does) but never answers the handshake, so every probe of it
 * hangs, it is never suspected, and its devices would never fail over while it is paused. A
 * request on a pooled connection, bounded here by its own timeout, does time out.
 *
 * <p>Safety does not rest on it: a node found unresponsive is evicted from the mastership
 * elections, and mastership is fenced by terms; a live node evicted by mistake runs again (the
 * mastership's reconciliation) and loses nothing acknowledged. Heartbeats are sent on this class's
 * own thread ({@code flowstore-heartbeats-<node>}) and answered on the messaging thread that reads
 * them, never behind the store's message handlers.
 */
final class PeerHeartbeats {

    private static final Logger log = LoggerFactory.getLogger(PeerHeartbeats.class);
    static final String TYPE = "flowstore-heartbeat";
    private static final byte[] EMPTY = new byte[0];

    private final NodeId local;
    private final MessagingService messaging;
    private final Map<NodeId, Address> peers;
    private final Duration interval;
    private final Duration timeout;
    private final Duration failureTimeout;
    private final Consumer<NodeId> onUnresponsive;
    private final Consumer<NodeId> onAnsweringAgain;
    private final ScheduledExecutorService thread;
    /** Per peer, when it last answered (nanoTime); absent until it first answered. Written by replies, read by the thread. */
    private final Map<NodeId, Long> lastAnswer = new ConcurrentHashMap<>();
    /** Peers with a heartbeat awaiting its answer (one at a time each). */
    private final Set<NodeId> awaiting = ConcurrentHashMap.newKeySet();
    /** Peers found unresponsive and not heard from since. */
    private final Set<NodeId> unresponsive = ConcurrentHashMap.newKeySet();
    /** When this node's thread last ran {@link #beat} (nanoTime); only that thread touches it. */
    private long lastBeat = System.nanoTime();
    /**
     * Silence before this moment (nanoTime) is not held against a peer: set when this node finds
     * it was paused itself. Only the thread touches it.
     */
    private long judgedSince = lastBeat;

    /**
     * @param local this node
     * @param messaging this node's Atomix messaging
     * @param peers the other members
     * @param interval between heartbeats to a peer
     * @param timeout how long one heartbeat waits for its answer
     * @param failureTimeout how long a peer may answer none before it is unresponsive
     * @param onUnresponsive called on this class's thread once per lapse, with the peer
     * @param onAnsweringAgain called on a messaging thread when a peer found unresponsive answers again
     */
    PeerHeartbeats(NodeId local, MessagingService messaging, List<ClusterMember> peers, Duration interval,
                   Duration timeout, Duration failureTimeout, Consumer<NodeId> onUnresponsive,
                   Consumer<NodeId> onAnsweringAgain) {
        this.local = local;
        this.messaging = messaging;
        this.peers = peers.stream().collect(Collectors.toUnmodifiableMap(ClusterMember::id,
                p -> Address.from(p.host(), p.port())));
        this.interval = interval;
        this.timeout = timeout;
        this.failureTimeout = failureTimeout;
        this.onUnresponsive = onUnresponsive;
        this.onAnsweringAgain = onAnsweringAgain;
        this.thread = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-heartbeats-" + local).setDaemon(true).build());
    }

    /**
     * Answers the peers' heartbeats on a messaging service from now on, on its messaging thread (an
     * empty answer: nothing to queue behind). Called before the node's Atomix instance starts: a
     * restarted node then answers while it joins, its peers hear it again at once and their Raft
     * leaders send to it again ({@code RaftServers.resumeAppendsTo}), which its start waits for.
     *
     * @param messaging the messaging service of this node's Atomix instance, started or not
     */
    static void answer(MessagingService messaging) {
        messaging.registerHandler(TYPE, (address, payload) -> EMPTY, MoreExecutors.directExecutor());
    }

    /** Answers the peers' heartbeats (if {@link #answer} did not already) and starts sending this node's. */
    void start() {
        answer(messaging);
        thread.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops sending and answering. */
    void stop() {
        messaging.unregisterHandler(TYPE);
        thread.shutdownNow();
    }

    /**
     * Returns false for a peer found unresponsive that has not answered since; true otherwise
     * (a peer never heard from is left to the membership's own view).
     *
     * @param peer the peer
     * @return false while the peer is unresponsive
     */
    boolean isResponsive(NodeId peer) {
        return !unresponsive.contains(peer);
    }

    /**
     * Returns true when the peer answered a heartbeat within the given time: fresh proof that it
     * is up and reaches this node, whatever a probe of the membership found meanwhile.
     *
     * @param peer the peer
     * @param within how recent the answer must be
     * @return true when it answered that recently
     */
    boolean answeredWithin(NodeId peer, Duration within) {
        Long answered = lastAnswer.get(peer);
        return answered != null && System.nanoTime() - answered <= within.toNanos();
    }

    /**
     * Sends every peer a heartbeat now, apart from the regular ones.
     *
     * @param within how long each answer may take
     * @return completes (on a messaging thread, or at once) with true when every peer answered in
     *         time, false otherwise; never fails
     */
    CompletableFuture<Boolean> pingAll(Duration within) {
        List<CompletableFuture<byte[]>> replies = new ArrayList<>();
        for (Address peer : peers.values()) {
            try {
                replies.add(messaging.sendAndReceive(peer, TYPE, EMPTY, true, within)
                        .orTimeout(within.toMillis(), TimeUnit.MILLISECONDS));
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(false);
            }
        }
        return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).handle((v, e) -> e == null);
    }

    private void beat() {
        long now = System.nanoTime();
        if (now - lastBeat > failureTimeout.toNanos() / 2) {
            // This process was paused or starved itself (SIGSTOP, a long GC, an overloaded host): the
            // peers' silence says nothing about them. Each gets a fresh failure timeout.
            log.info("Node {} ran no heartbeat for {} ms (paused or starved): its peers get a fresh {} ms", local,
                    TimeUnit.NANOSECONDS.toMillis(now - lastBeat), failureTimeout.toMillis());
            judgedSince = now;
        }
        lastBeat = now;
        for (Map.Entry<NodeId, Address> peer : peers.entrySet()) {
            NodeId id = peer.getKey();
            Long answered = lastAnswer.get(id);
            if (answered != null && now - Math.max(answered, judgedSince) > failureTimeout.toNanos()
                    && unresponsive.add(id)) {
                log.info("Node {} found {} unresponsive: no heartbeat answered for {} ms", local, id,
                        TimeUnit.NANOSECONDS.toMillis(now - answered));
                try {
                    onUnresponsive.accept(id);
                } catch (RuntimeException e) {
                    log.warn("Node {} failed to act on {} being unresponsive: {}", local, id, e.toString());
                }
            }
            if (!awaiting.add(id)) {
                continue;
            }
            CompletableFuture<byte[]> reply;
            try {
                reply = messaging.sendAndReceive(peer.getValue(), TYPE, EMPTY, true, timeout);
            } catch (RuntimeException e) {
                awaiting.remove(id);
                continue;
            }
            // Atomix's own timeout does not cover opening a connection: this one does.
            reply.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((bytes, e) -> {
                awaiting.remove(id);
                if (e == null) {
                    lastAnswer.put(id, System.nanoTime());
                    if (unresponsive.remove(id)) {
                        log.info("Node {} hears {} again", local, id);
                        onAnsweringAgain.accept(id);
                    }
                }
            });
        }
    }
}
