package org.flowstore.store.flow;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterCommunicationService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.MessageSubject;
import org.flowstore.api.store.FlowRuleStoreException;
import org.flowstore.serializers.StoreSerializer;
import org.flowstore.serializers.protocol.Reply;

/**
 * Runs store operations on a device's master: here when this node is the master, otherwise by
 * request-reply to the master, with a deadline. The "which node, local or remote, wait how long,
 * what if it fails" logic is written once here; each operation is declared once as a
 * {@link Route} that both sends and serves it.
 *
 * <p>Failures surface as typed {@link FlowRuleStoreException}s (never a default value) and are
 * logged once here, with the device and the node. The serving side answers every request: the
 * value, or a {@link Reply#failure} saying why (for example, it is no longer the master).
 * Requests are served on the message-handler executor.
 */
final class MasterRouter {

    private static final Logger log = LoggerFactory.getLogger(MasterRouter.class);

    /** Extra wait beyond the transport's own timeout, so the transport's error is the one seen. */
    private static final Duration GRACE = Duration.ofMillis(500);

    private final NodeId localNode;
    private final MastershipService mastership;
    private final DeviceService devices;
    private final ClusterCommunicationService comms;
    private final StoreSerializer serializer;
    private final Executor handlerExecutor;
    private final Executor replicationExecutor;
    private final Duration timeout;
    private final TermPromises promises;
    /** What a served request waits for, without holding a thread, before the master runs it: its table's activation. */
    private final Function<DeviceId, CompletableFuture<?>> readiness;
    private final List<MessageSubject> served = new CopyOnWriteArrayList<>();

    MasterRouter(NodeId localNode, MastershipService mastership, DeviceService devices,
                 ClusterCommunicationService comms, StoreSerializer serializer, Executor handlerExecutor,
                 Executor replicationExecutor, Duration timeout, TermPromises promises,
                 Function<DeviceId, CompletableFuture<?>> readiness) {
        this.promises = promises;
        this.readiness = readiness;
        this.replicationExecutor = replicationExecutor;
        this.localNode = localNode;
        this.mastership = mastership;
        this.devices = devices;
        this.comms = comms;
        this.serializer = serializer;
        this.handlerExecutor = handlerExecutor;
        this.timeout = timeout;
    }

    NodeId localNode() {
        return localNode;
    }

    /**
     * Declares an operation and starts serving it for other nodes.
     *
     * @param subject the subject its requests travel on
     * @param type the type of its requests; anything else is refused when decoded
     * @param resultType the type of its answers; anything else is a failure
     * @param deviceOf the device a request is about
     * @param onMaster what the master does with a request
     */
    <Q, R> Route<Q, R> route(MessageSubject subject, Class<Q> type, Class<R> resultType,
                             Function<Q, DeviceId> deviceOf, Function<Q, R> onMaster) {
        Route<Q, R> route = new Route<>(subject, resultType, deviceOf, onMaster);
        serveAsync(subject, type, route::serve);
        return route;
    }

    /**
     * Serves a subject with a handler whose every outcome, failure included, is a {@link Reply}.
     *
     * @param subject the subject
     * @param type the type of its requests; anything else is refused when decoded
     * @param handler computes the reply from the sender and the request
     */
    <Q> void serve(MessageSubject subject, Class<Q> type, BiFunction<NodeId, Q, Reply> handler) {
        serveAsync(subject, type, (sender, request) -> CompletableFuture.completedFuture(handler.apply(sender, request)));
    }

    /**
     * Serves a replication subject on the replication executor, so that copies keep moving while
     * every message handler waits on client requests.
     */
    <Q> void serveReplication(MessageSubject subject, Class<Q> type, BiFunction<NodeId, Q, Reply> handler) {
        register(subject, type, (sender, request) -> CompletableFuture.completedFuture(handler.apply(sender, request)),
                replicationExecutor);
    }

    /**
     * Serves a subject with a handler that answers later; a failure of the handler or of its
     * future becomes a {@link Reply#failure}.
     *
     * @param subject the subject
     * @param type the type of its requests; anything else is refused when decoded
     * @param handler computes the reply from the sender and the request
     */
    <Q> void serveAsync(MessageSubject subject, Class<Q> type, BiFunction<NodeId, Q, CompletableFuture<Reply>> handler) {
        register(subject, type, handler, handlerExecutor);
    }

    private <Q> void register(MessageSubject subject, Class<Q> type,
                              BiFunction<NodeId, Q, CompletableFuture<Reply>> handler, Executor executor) {
        comms.<Q, Reply>addSubscriber(subject, serializer.decoder(type), (sender, request) -> {
            CompletableFuture<Reply> reply;
            try {
                reply = handler.apply(sender, request);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            return reply.exceptionally(e -> {
                Throwable cause = Causes.of(e);
                if (cause instanceof FlowRuleStoreException) {
                    // An expected refusal (say, a table not yet taken over): the issuer logs it, once per outage.
                    log.debug("{} from node {} refused on node {}: {}", subject, sender, localNode, cause.getMessage());
                    return Reply.failure(cause.getMessage());
                }
                log.warn("{} from node {} failed on node {}", subject, sender, localNode, e);
                return Reply.failure(e.toString());
            });
        }, serializer::encode, executor);
        served.add(subject);
    }

    /**
     * Returns a device's master.
     *
     * @throws FlowRuleStoreException.UnknownDevice if the cluster does not know the device
     * @throws FlowRuleStoreException.NoMaster if the device has no master
     */
    NodeId masterOf(DeviceId deviceId) {
        if (!devices.isKnown(deviceId)) {
            throw new FlowRuleStoreException.UnknownDevice(deviceId);
        }
        return mastership.getMastershipFor(deviceId).master()
                .orElseThrow(() -> new FlowRuleStoreException.NoMaster(deviceId));
    }

    /**
     * Returns why this node may not act as master of a device, or null when it may (see
     * {@link Reply#notMaster}): another node is master in this node's view, or this node told a
     * new master of a newer term what its copy holds (its view has not caught up yet).
     */
    String notMasterReason(DeviceId deviceId) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        long promised = promises.promised(deviceId);
        if (info.isMaster(localNode) && promised > info.term()) {
            return localNode + " was master of " + deviceId + " in term " + info.term()
                    + " but answered a new master of term " + promised;
        }
        if (info.isMaster(localNode)) {
            return null;
        }
        return localNode + " is not the master of " + deviceId + " (master: "
                + info.master().map(NodeId::toString).orElse("none") + ", term " + info.term() + ")";
    }

    /**
     * Waits for a master's reply and unwraps it.
     *
     * @throws FlowRuleStoreException.Timeout, RemoteFailure or Interrupted, logged here
     */
    <R> R await(MessageSubject subject, Class<R> resultType, DeviceId deviceId, NodeId node,
                CompletableFuture<Reply> pending) {
        return unwrap(subject, resultType, deviceId, node, awaitReply(subject, deviceId, node, pending));
    }

    private <R> R unwrap(MessageSubject subject, Class<R> resultType, DeviceId deviceId, NodeId node, Reply reply) {
        if (!reply.ok()) {
            log.warn("{} for device {} refused by node {} ({}): {}", subject, deviceId, node, reply.status(),
                    reply.error());
            throw new FlowRuleStoreException.RemoteFailure(deviceId, node, new IllegalStateException(reply.error()));
        }
        try {
            return reply.value(resultType);
        } catch (IllegalStateException e) {
            log.warn("{} for device {}: node {} answered {}", subject, deviceId, node, e.getMessage());
            throw new FlowRuleStoreException.RemoteFailure(deviceId, node, e);
        }
    }

    private static void pause(DeviceId deviceId, Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlowRuleStoreException.Interrupted(deviceId, e);
        }
    }

    private Reply awaitReply(MessageSubject subject, DeviceId deviceId, NodeId node, CompletableFuture<Reply> pending) {
        Reply reply;
        try {
            reply = pending.get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(false);
            throw new FlowRuleStoreException.Interrupted(deviceId, e);
        } catch (TimeoutException e) {
            pending.cancel(false);
            throw timedOut(subject, deviceId, node);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw timedOut(subject, deviceId, node);
            }
            log.warn("{} for device {} failed at node {}: {}", subject, deviceId, node, e.getCause().toString());
            throw new FlowRuleStoreException.RemoteFailure(deviceId, node, e.getCause());
        }
        return reply;
    }

    CompletableFuture<Reply> send(MessageSubject subject, Object request, NodeId node) {
        return send(subject, request, node, timeout);
    }

    /** Sends a request whose answer may take longer than usual (a whole table on the move). */
    CompletableFuture<Reply> send(MessageSubject subject, Object request, NodeId node, Duration wait) {
        return comms.sendAndReceive(request, subject, serializer::encode, serializer::decode, node, wait);
    }

    /** Stops serving every subject this router serves. */
    void close() {
        served.forEach(comms::removeSubscriber);
        served.clear();
    }

    private FlowRuleStoreException timedOut(MessageSubject subject, DeviceId deviceId, NodeId node) {
        log.warn("{} for device {}: node {} did not answer within {} ms", subject, deviceId, node, timeout.toMillis());
        return new FlowRuleStoreException.Timeout(deviceId, node, timeout);
    }

    /** One store operation on a device's table, run on the device's master. */
    final class Route<Q, R> {

        private final MessageSubject subject;
        private final Class<R> resultType;
        private final Function<Q, DeviceId> deviceOf;
        private final Function<Q, R> onMaster;

        private Route(MessageSubject subject, Class<R> resultType, Function<Q, DeviceId> deviceOf,
                      Function<Q, R> onMaster) {
            this.subject = subject;
            this.resultType = resultType;
            this.deviceOf = deviceOf;
            this.onMaster = onMaster;
        }

        /**
         * Runs the operation on the device's master and returns its result. A node that answers
         * that it is not the master (its view or ours lags behind an election) is asked again,
         * after the view had time to catch up, as {@link RetryPolicy#NOT_MASTER} says.
         */
        R call(Q request) {
            DeviceId deviceId = deviceOf.apply(request);
            for (int attempt = 0; ; attempt++) {
                NodeId master = masterOf(deviceId);
                if (master.equals(localNode)) {
                    return onMaster.apply(request);
                }
                Reply reply = awaitReply(subject, deviceId, master, send(subject, request, master));
                if (reply.isNotMaster() && RetryPolicy.NOT_MASTER.allows(attempt)) {
                    log.debug("{} for device {}: {}; asking again", subject, deviceId, reply.error());
                    pause(deviceId, RetryPolicy.NOT_MASTER.delay(attempt));
                    continue;
                }
                return unwrap(subject, resultType, deviceId, master, reply);
            }
        }

        private CompletableFuture<Reply> serve(NodeId sender, Q request) {
            DeviceId deviceId = deviceOf.apply(request);
            String refusal = notMasterReason(deviceId);
            if (refusal != null) {
                return CompletableFuture.completedFuture(Reply.notMaster(refusal));
            }
            return readiness.apply(deviceId).thenApplyAsync(ready -> {
                try {
                    return Reply.of(onMaster.apply(request));
                } catch (RuntimeException e) {
                    log.warn("{} from node {} for device {} failed", subject, sender, deviceId, e);
                    return Reply.failure(e.toString());
                }
            }, handlerExecutor);
        }
    }
}
