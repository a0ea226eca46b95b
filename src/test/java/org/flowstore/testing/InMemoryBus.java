package org.flowstore.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterCommunicationService;
import org.flowstore.api.cluster.MessageSubject;

/**
 * Cluster messaging in memory: each node has an endpoint, and every message travels as the bytes
 * its sender's encoder made, decoded on the receiver's handler executor, as over Atomix. A node
 * that is down neither sends nor receives (a request to it fails at once, as on a closed
 * connection); a silenced node takes requests and never answers (its requests time out); a held
 * subject of a node takes requests and serves them only once released (a slow master).
 */
public final class InMemoryBus {

    private final Map<NodeId, Map<MessageSubject, BiFunction<NodeId, byte[], CompletableFuture<byte[]>>>> handlers =
            new ConcurrentHashMap<>();
    private final Set<NodeId> down = ConcurrentHashMap.newKeySet();
    private final Set<NodeId> silenced = ConcurrentHashMap.newKeySet();
    private final Map<MessageSubject, AtomicInteger> delivered = new ConcurrentHashMap<>();
    /** Per node and held subject, the deliveries parked until it is released. Guarded by this. */
    private final Map<NodeId, Map<MessageSubject, List<Runnable>>> held = new HashMap<>();

    /** Returns a node's endpoint: its messaging service. */
    public ClusterCommunicationService endpoint(NodeId node) {
        handlers.computeIfAbsent(node, n -> new ConcurrentHashMap<>());
        return new Endpoint(node);
    }

    /** Takes a node off the bus (true) or puts it back (false). */
    public void setDown(NodeId node, boolean isDown) {
        if (isDown) {
            down.add(node);
        } else {
            down.remove(node);
        }
    }

    /** Makes a node drop every request it gets without answering (true), or answer again (false). */
    public void setSilenced(NodeId node, boolean isSilenced) {
        if (isSilenced) {
            silenced.add(node);
        } else {
            silenced.remove(node);
        }
    }

    /**
     * Holds the requests of a subject sent to a node: each one is taken (its sender waits, as on a
     * busy master) and served only when {@link #release} is called, in the order they came.
     */
    public synchronized void hold(NodeId node, MessageSubject subject) {
        held.computeIfAbsent(node, n -> new HashMap<>()).putIfAbsent(subject, new ArrayList<>());
    }

    /** Returns how many requests of a subject sent to a node are held now. */
    public synchronized int held(NodeId node, MessageSubject subject) {
        return held.getOrDefault(node, Map.of()).getOrDefault(subject, List.of()).size();
    }

    /** Serves the held requests of a subject sent to a node, and stops holding it. */
    public void release(NodeId node, MessageSubject subject) {
        List<Runnable> parked;
        synchronized (this) {
            Map<MessageSubject, List<Runnable>> subjects = held.getOrDefault(node, Map.of());
            parked = subjects.containsKey(subject) ? subjects.remove(subject) : List.of();
        }
        parked.forEach(Runnable::run);
    }

    /** Returns true while a node is on the bus. */
    public boolean isUp(NodeId node) {
        return handlers.containsKey(node) && !down.contains(node);
    }

    private CompletableFuture<byte[]> deliver(NodeId from, MessageSubject subject, byte[] bytes, NodeId to) {
        if (!isUp(from)) {
            return CompletableFuture.failedFuture(new IOException(from + " is down"));
        }
        if (!isUp(to)) {
            return CompletableFuture.failedFuture(new IOException("no connection to " + to));
        }
        if (silenced.contains(to)) {
            return new CompletableFuture<>();
        }
        synchronized (this) {
            List<Runnable> parked = held.getOrDefault(to, Map.of()).get(subject);
            if (parked != null) {
                CompletableFuture<byte[]> later = new CompletableFuture<>();
                parked.add(() -> deliver(from, subject, bytes, to).whenComplete((reply, e) -> {
                    if (e != null) {
                        later.completeExceptionally(e);
                    } else {
                        later.complete(reply);
                    }
                }));
                return later;
            }
        }
        BiFunction<NodeId, byte[], CompletableFuture<byte[]>> handler = handlers.get(to).get(subject);
        if (handler == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no handler for " + subject + " on " + to));
        }
        delivered.computeIfAbsent(subject, x -> new AtomicInteger()).incrementAndGet();
        return handler.apply(from, bytes);
    }

    /** Returns how many messages of a subject reached a handler so far. */
    public int delivered(MessageSubject subject) {
        AtomicInteger n = delivered.get(subject);
        return n == null ? 0 : n.get();
    }

    /** One node's end of the bus. */
    private final class Endpoint implements ClusterCommunicationService {

        private final NodeId node;

        Endpoint(NodeId node) {
            this.node = node;
        }

        @Override
        public <M> CompletableFuture<Void> unicast(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                                   NodeId toNode) {
            return deliver(node, subject, encoder.apply(message), toNode).thenApply(reply -> null);
        }

        @Override
        public <M, R> CompletableFuture<R> sendAndReceive(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                                          Function<byte[], R> decoder, NodeId toNode, Duration timeout) {
            return deliver(node, subject, encoder.apply(message), toNode)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenApply(decoder);
        }

        @Override
        public <M, R> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                                         BiFunction<NodeId, M, CompletableFuture<R>> handler, Function<R, byte[]> encoder,
                                         Executor executor) {
            handlers.get(node).put(subject, (sender, bytes) -> CompletableFuture.supplyAsync(() -> decoder.apply(bytes),
                    executor).thenCompose(request -> handler.apply(sender, request)).thenApply(encoder));
        }

        @Override
        public <M> void addConsumer(MessageSubject subject, Function<byte[], M> decoder, BiConsumer<NodeId, M> handler,
                                    Executor executor) {
            handlers.get(node).put(subject, (sender, bytes) -> CompletableFuture.supplyAsync(() -> {
                handler.accept(sender, decoder.apply(bytes));
                return new byte[0];
            }, executor));
        }

        @Override
        public void removeSubscriber(MessageSubject subject) {
            handlers.get(node).remove(subject);
        }
    }
}
