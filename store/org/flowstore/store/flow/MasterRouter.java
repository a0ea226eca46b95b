package org.flowstore.store.flow;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

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
 * ask again when it was not the master" logic is written once here, for reads and batches alike:
 * each operation is declared once as a {@link Route} that both sends and serves it, and every
 * call is one asynchronous path ({@link Route#submit}); blocking callers wait on it with a
 * deadline ({@link Route#call}).
 *
 * <p>Failures surface as typed {@link FlowRuleStoreException}s (never a default value). A
 * blocking call logs its failure once here, with the device and the node; an asynchronous
 * caller logs its own. The serving side answers every request: the value, or a non-OK
 * {@link Reply} whose status says what the issuer does next (see {@link Refusal}).
 *
 * <p>Every subscription of the store is made here and removed by {@link #close}. Requests are
 * served on the message-handler executor, replication on its own executor.
 */
final class MasterRouter {

    private static final Logger log = LoggerFactory.getLogger(MasterRouter.class);

    /** Extra wait beyond the transport's own timeout, so the transport's error is the one seen. */
    private static final Duration GRACE = Duration.ofMillis(500);

    /** What the master does with a request: the issuer (this node for a local call) and the request. */
    @FunctionalInterface
    interface MasterOperation<Q, R> {
        CompletableFuture<R> apply(NodeId issuer, Q request);
    }

    private final NodeId localNode;
    private final MastershipService mastership;
    private final DeviceService devices;
    private final ClusterCommunicationService comms;
    private final StoreSerializer serializer;
    private final StoreExecutors executors;
    private final Duration timeout;
    private final TermPromises promises;
    private final List<MessageSubject> subscribed = new CopyOnWriteArrayList<>();

    MasterRouter(NodeId localNode, MastershipService mastership, DeviceService devices,
                 ClusterCommunicationService comms, StoreSerializer serializer, StoreExecutors executors,
                 Duration timeout, TermPromises promises) {
        this.localNode = localNode;
        this.mastership = mastership;
        this.devices = devices;
        this.comms = comms;
        this.serializer = serializer;
        this.executors = executors;
        this.timeout = timeout;
        this.promises = promises;
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
     * @param onMaster what the master does with a request, once it checked that it is the master
     */
    <Q, R> Route<Q, R> route(MessageSubject subject, Class<Q> type, Class<R> resultType,
                             Function<Q, DeviceId> deviceOf, MasterOperation<Q, R> onMaster) {
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
                executors.replication());
    }

    /**
     * Serves a subject with a handler that answers later; a failure of the handler or of its
     * future becomes a non-OK {@link Reply}.
     */
    <Q> void serveAsync(MessageSubject subject, Class<Q> type, BiFunction<NodeId, Q, CompletableFuture<Reply>> handler) {
        register(subject, type, handler, executors.messages());
    }

    /** Consumes one-way messages of a subject on the message-handler executor. */
    <M> void consume(MessageSubject subject, Class<M> type, BiConsumer<NodeId, M> handler) {
        comms.addConsumer(subject, serializer.decoder(type), handler, executors.messages());
        subscribed.add(subject);
    }

    /** Sends a one-way message. */
    CompletableFuture<Void> tell(MessageSubject subject, Object message, NodeId node) {
        return comms.unicast(message, subject, serializer::encode, node);
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
                if (cause instanceof Refusal refusal) {
                    // An expected refusal (say, a table not yet taken over): the issuer logs it, once per outage.
                    log.debug("{} from node {} refused on node {}: {}", subject, sender, localNode, cause.getMessage());
                    return refusal.toReply();
                }
                if (cause instanceof FlowRuleStoreException) {
                    log.debug("{} from node {} failed on node {}: {}", subject, sender, localNode, cause.getMessage());
                    return Reply.failure(cause.getMessage());
                }
                log.warn("{} from node {} failed on node {}", subject, sender, localNode, cause);
                return Reply.failure(cause.toString());
            });
        }, serializer::encode, executor);
        subscribed.add(subject);
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
     * Returns why this node may not act as master of a device, or null when it may: another node
     * is master in this node's view, or this node told a new master of a newer term what its copy
     * holds (its view has not caught up yet).
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
     * Sends a request to a node and returns its typed answer: a non-OK reply fails the future
     * with a {@link FlowRuleStoreException.RemoteFailure} caused by the {@link Refusal}; no answer
     * within the timeout with a {@link FlowRuleStoreException.Timeout}.
     *
     * @param deviceId the device the request is about, or null
     */
    <R> CompletableFuture<R> ask(MessageSubject subject, Object request, Class<R> resultType, DeviceId deviceId,
                                 NodeId node) {
        return send(subject, request, node).handle((reply, e) -> {
            if (e != null) {
                Throwable cause = Causes.of(e);
                throw cause instanceof TimeoutException || cause instanceof CancellationException
                        ? new FlowRuleStoreException.Timeout(deviceId, node, timeout)
                        : new FlowRuleStoreException.RemoteFailure(deviceId, node, cause);
            }
            if (!reply.ok()) {
                throw new FlowRuleStoreException.RemoteFailure(deviceId, node, Refusal.of(deviceId, reply));
            }
            try {
                return reply.value(resultType);
            } catch (IllegalStateException wrongType) {
                throw new FlowRuleStoreException.RemoteFailure(deviceId, node, wrongType);
            }
        });
    }

    /**
     * Waits for a future of this store with a deadline, and logs its failure once.
     *
     * @param wait the deadline; the futures have their own, this one only guards against a lost one
     * @throws FlowRuleStoreException the future's failure, or Timeout or Interrupted
     */
    <R> R await(CompletableFuture<R> pending, String what, DeviceId deviceId, Duration wait) {
        try {
            if (pending.isDone() && !pending.isCompletedExceptionally()) {
                return pending.join();
            }
            return pending.get(wait.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(false);
            throw new FlowRuleStoreException.Interrupted(deviceId, e);
        } catch (TimeoutException e) {
            pending.cancel(false);
            log.warn("{} for device {} on node {}: no answer within {} ms", what, deviceId, localNode,
                    wait.plus(GRACE).toMillis());
            throw new FlowRuleStoreException.Timeout(deviceId, localNode, wait);
        } catch (ExecutionException e) {
            Throwable cause = Causes.of(e.getCause());
            log.warn("{} for device {} on node {} failed: {}", what, deviceId, localNode, Causes.message(cause));
            throw cause instanceof FlowRuleStoreException fse ? fse
                    : new FlowRuleStoreException(deviceId, cause.toString(), cause);
        }
    }

    /** Sends a request; the future fails when the node does not answer within the router's timeout. */
    CompletableFuture<Reply> send(MessageSubject subject, Object request, NodeId node) {
        return send(subject, request, node, timeout);
    }

    /** Sends a request whose answer may take longer than usual (a whole table on the move). */
    CompletableFuture<Reply> send(MessageSubject subject, Object request, NodeId node, Duration wait) {
        CompletableFuture<Reply> sent;
        try {
            sent = comms.sendAndReceive(request, subject, serializer::encode, serializer::decode, node, wait);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // The transport times out by itself; this deadline only guards against a lost future.
        return sent.orTimeout(wait.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops serving and consuming every subject this router subscribed to. */
    void close() {
        subscribed.forEach(comms::removeSubscriber);
        subscribed.clear();
    }

    /** One store operation on a device's table, run on the device's master. */
    final class Route<Q, R> {

        private final MessageSubject subject;
        private final Class<R> resultType;
        private final Function<Q, DeviceId> deviceOf;
        private final MasterOperation<Q, R> onMaster;
        /** Longest a blocking call waits: the master's answer, its table's take-over and every retry's pause. */
        private final Duration callWait = timeout.plus(TermSync.ACTIVATION_WAIT).plus(RetryPolicy.NOT_MASTER.totalDelay());

        private Route(MessageSubject subject, Class<R> resultType, Function<Q, DeviceId> deviceOf,
                      MasterOperation<Q, R> onMaster) {
            this.subject = subject;
            this.resultType = resultType;
            this.deviceOf = deviceOf;
            this.onMaster = onMaster;
        }

        /** Runs the operation on the device's master and waits for its result (see {@link #submit}). */
        R call(Q request) {
            return await(submit(request), subject.toString(), deviceOf.apply(request), callWait);
        }

        /** Runs the operation on the device's master (see {@link #submit(Object, Predicate)}). */
        CompletableFuture<R> submit(Q request) {
            return submit(request, target -> true);
        }

        /**
         * Runs the operation on the device's master: here, or sent to the master. A master that
         * answers that it is not the master (its view or ours lags behind an election) is asked
         * again, as {@link RetryPolicy#NOT_MASTER} says, at the master this node then sees.
         *
         * @param beforeAttempt told the node each attempt goes to; false abandons the call, whose
         *                      future then fails with a {@link CancellationException}
         * @return the master's answer; fails with a {@link FlowRuleStoreException}
         */
        CompletableFuture<R> submit(Q request, Predicate<NodeId> beforeAttempt) {
            return attempt(request, deviceOf.apply(request), beforeAttempt, 0);
        }

        private CompletableFuture<R> attempt(Q request, DeviceId deviceId, Predicate<NodeId> beforeAttempt,
                                             int attempt) {
            CompletableFuture<R> answer;
            try {
                NodeId master = masterOf(deviceId);
                if (!beforeAttempt.test(master)) {
                    return CompletableFuture.failedFuture(new CancellationException("abandoned by its issuer"));
                }
                answer = master.equals(localNode) ? runHere(localNode, request, deviceId)
                        : ask(subject, request, resultType, deviceId, master);
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                return answer; // the common case on the master: nothing to chain
            }
            return answer.handle((value, e) -> {
                if (e == null) {
                    return CompletableFuture.completedFuture(value);
                }
                if (Refusal.isNotMaster(e) && RetryPolicy.NOT_MASTER.allows(attempt)) {
                    log.debug("{} for device {}: {}; asking again", subject, deviceId, Causes.message(e));
                    Executor later = CompletableFuture.delayedExecutor(
                            RetryPolicy.NOT_MASTER.delay(attempt).toMillis(), TimeUnit.MILLISECONDS,
                            executors.messages());
                    return CompletableFuture.supplyAsync(() -> null, later)
                            .thenCompose(x -> attempt(request, deviceId, beforeAttempt, attempt + 1));
                }
                return CompletableFuture.<R>failedFuture(Causes.of(e));
            }).thenCompose(f -> f);
        }

        /** Runs the operation on this node, which must be the master it thinks it is. */
        private CompletableFuture<R> runHere(NodeId issuer, Q request, DeviceId deviceId) {
            String refusal = notMasterReason(deviceId);
            if (refusal != null) {
                return CompletableFuture.failedFuture(Refusal.notMaster(deviceId, refusal));
            }
            try {
                return onMaster.apply(issuer, request);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private CompletableFuture<Reply> serve(NodeId sender, Q request) {
            return runHere(sender, request, deviceOf.apply(request)).thenApply(Reply::of);
        }
    }
}
