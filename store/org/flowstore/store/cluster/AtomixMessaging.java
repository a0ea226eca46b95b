package org.flowstore.store.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import io.atomix.cluster.messaging.MessagingService;
import io.atomix.utils.net.Address;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterCommunicationService;
import org.flowstore.api.cluster.MessageSubject;

/**
 * Point-to-point messaging over Atomix's Netty messaging service. The sender of every incoming
 * message is identified by its address among the configured members; a message from an address
 * that is not a member, or whose bytes do not decode, is refused and logged with the sender.
 *
 * <p>A request to a peer the cluster {@linkplain AtomixCluster#addLostPeerListener lost} fails at
 * once instead of at its timeout: a paused or cut-off peer answers nothing, and its callers (a
 * master waiting for a standby's confirmation, a node waiting for a master) would otherwise hold
 * their writes for the whole timeout, seconds after the peer was known gone.
 *
 * <p>It counts the bytes it sends per subject (message bodies, requests and one-way messages,
 * not replies): what replication costs on the wire, read by the replication benchmark.
 */
@Component(service = ClusterCommunicationService.class)
public final class AtomixMessaging implements ClusterCommunicationService {

    private static final Logger log = LoggerFactory.getLogger(AtomixMessaging.class);

    private final AtomixCluster cluster;
    /** Requests awaiting their answer, per peer. Added by callers' threads, failed on the cluster's event thread. */
    private final Map<NodeId, Set<CompletableFuture<byte[]>>> awaiting = new ConcurrentHashMap<>();
    private final Consumer<AtomixCluster.LostPeer> lostPeerListener = this::failAwaiting;
    /** Body bytes sent per subject, since this service was created. */
    private final Map<String, LongAdder> sentBytes = new ConcurrentHashMap<>();

    /**
     * Creates the service on a started cluster node.
     *
     * @param cluster the node
     */
    @Activate
    public AtomixMessaging(@Reference(name = "cluster") AtomixCluster cluster) {
        this.cluster = cluster;
        cluster.addLostPeerListener(lostPeerListener);
    }

    /** Stops failing requests on lost peers (the cluster outlives this service). */
    @Deactivate
    public void deactivate() {
        cluster.removeLostPeerListener(lostPeerListener);
    }

    @Override
    public <M> CompletableFuture<Void> unicast(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                               NodeId toNode) {
        try {
            return messaging().sendAsync(address(toNode), subject.value(), counted(subject, encoder.apply(message)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public <M, R> CompletableFuture<R> sendAndReceive(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                                      Function<byte[], R> decoder, NodeId toNode, Duration timeout) {
        CompletableFuture<byte[]> sent;
        try {
            sent = messaging().sendAndReceive(address(toNode), subject.value(), counted(subject, encoder.apply(message)),
                    timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!sent.isDone()) {
            Set<CompletableFuture<byte[]>> toPeer = awaiting.computeIfAbsent(toNode, n -> ConcurrentHashMap.newKeySet());
            toPeer.add(sent);
            sent.whenComplete((reply, e) -> toPeer.remove(sent));
        }
        return sent.thenApply(decoder);
    }

    /**
     * Returns the body bytes this node sent on a subject (requests and one-way messages, not
     * replies) since the service was created.
     *
     * @param subject the subject
     * @return the bytes, 0 when nothing was sent on it
     */
    public long bytesSent(MessageSubject subject) {
        LongAdder bytes = sentBytes.get(subject.value());
        return bytes == null ? 0 : bytes.sum();
    }

    private byte[] counted(MessageSubject subject, byte[] body) {
        sentBytes.computeIfAbsent(subject.value(), s -> new LongAdder()).add(body.length);
        return body;
    }

    private void failAwaiting(AtomixCluster.LostPeer lost) {
        Set<CompletableFuture<byte[]>> toPeer = awaiting.get(lost.node());
        if (toPeer == null || toPeer.isEmpty()) {
            return;
        }
        IOException failure = new IOException("node " + lost.node() + " was lost (" + lost.why() + ")");
        int failed = 0;
        for (CompletableFuture<byte[]> request : toPeer) {
            failed += request.completeExceptionally(failure) ? 1 : 0;
        }
        log.info("Node {} failed {} requests awaiting an answer from {} at once: {} was lost ({})",
                cluster.getLocalNode(), failed, lost.node(), lost.node(), lost.why());
    }

    @Override
    public <M, R> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                                     BiFunction<NodeId, M, CompletableFuture<R>> handler, Function<R, byte[]> encoder,
                                     Executor executor) {
        messaging().registerHandler(subject.value(), (address, bytes) -> {
            CompletableFuture<byte[]> reply = new CompletableFuture<>();
            executor.execute(() -> {
                NodeId sender;
                M request;
                try {
                    sender = sender(address, subject);
                    request = decoder.apply(bytes);
                } catch (RuntimeException e) {
                    log.warn("Node {} refused a {} request from {}: {}", cluster.getLocalNode(), subject, address,
                            e.getMessage());
                    reply.completeExceptionally(e);
                    return;
                }
                CompletableFuture<R> answer;
                try {
                    answer = handler.apply(sender, request);
                } catch (RuntimeException e) {
                    log.warn("Node {} failed a {} request from {}", cluster.getLocalNode(), subject, sender, e);
                    reply.completeExceptionally(e);
                    return;
                }
                answer.thenApply(encoder).whenComplete((bytesOut, error) -> {
                    if (error != null) {
                        reply.completeExceptionally(error);
                    } else {
                        reply.complete(bytesOut);
                    }
                });
            });
            return reply;
        });
    }

    @Override
    public <M> void addConsumer(MessageSubject subject, Function<byte[], M> decoder, BiConsumer<NodeId, M> handler,
                                Executor executor) {
        messaging().registerHandler(subject.value(), (Address address, byte[] bytes) -> {
            try {
                handler.accept(sender(address, subject), decoder.apply(bytes));
            } catch (RuntimeException e) {
                log.warn("Node {} dropped a {} message from {}: {}", cluster.getLocalNode(), subject, address,
                        e.toString());
            }
        }, executor);
    }

    @Override
    public void removeSubscriber(MessageSubject subject) {
        if (cluster.isRunning()) {
            messaging().unregisterHandler(subject.value());
        }
    }

    private MessagingService messaging() {
        return cluster.atomix().getMessagingService();
    }

    private Address address(NodeId node) {
        Address address = cluster.addressOf(node);
        if (address == null) {
            throw new IllegalArgumentException("node " + node + " is not a cluster member");
        }
        return address;
    }

    private NodeId sender(Address address, MessageSubject subject) {
        NodeId sender = cluster.nodeAt(address);
        if (sender == null) {
            throw new IllegalArgumentException("sender " + address + " of " + subject + " is not a cluster member");
        }
        return sender;
    }
}
