package org.flowstore.api.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.flowstore.api.NodeId;

/**
 * Point-to-point messaging between cluster nodes. Payloads are bytes; callers pass the encoder
 * and decoder, so the transport knows nothing of the store's types.
 *
 * <p>Every returned future completes, normally or exceptionally (with
 * {@link java.util.concurrent.TimeoutException} when a reply does not arrive in time); none is
 * left pending forever.
 */
public interface ClusterCommunicationService {

    /**
     * Sends a one-way message.
     *
     * @param message the message
     * @param subject its subject
     * @param encoder turns the message into bytes
     * @param toNode the receiver
     * @param <M> message type
     * @return completes when the message was handed to the transport, exceptionally if it could not be
     */
    <M> CompletableFuture<Void> unicast(M message, MessageSubject subject, Function<M, byte[]> encoder, NodeId toNode);

    /**
     * Sends a request and waits for the reply.
     *
     * @param message the request
     * @param subject its subject
     * @param encoder turns the request into bytes
     * @param decoder turns the reply bytes into the reply
     * @param toNode the receiver
     * @param timeout how long to wait for the reply
     * @param <M> request type
     * @param <R> reply type
     * @return the reply; exceptionally with {@link java.util.concurrent.TimeoutException} after
     *         the timeout, or with the failure the receiver reported
     */
    <M, R> CompletableFuture<R> sendAndReceive(M message, MessageSubject subject, Function<M, byte[]> encoder,
                                               Function<byte[], R> decoder, NodeId toNode, Duration timeout);

    /**
     * Handles requests of a subject and replies to them, replacing any earlier handler of it.
     *
     * @param subject the subject
     * @param decoder turns request bytes into the request; a failure is reported to the sender
     * @param handler computes the reply (asynchronously) from the sender's id and the request; a
     *                failed future is reported to the sender
     * @param encoder turns the reply into bytes
     * @param executor runs the decoder and the handler
     * @param <M> request type
     * @param <R> reply type
     */
    <M, R> void addSubscriber(MessageSubject subject, Function<byte[], M> decoder,
                              BiFunction<NodeId, M, CompletableFuture<R>> handler, Function<R, byte[]> encoder,
                              Executor executor);

    /**
     * Handles one-way messages of a subject, replacing any earlier handler of it.
     *
     * @param subject the subject
     * @param decoder turns message bytes into the message
     * @param handler handles the message, given the sender's id
     * @param executor runs the decoder and the handler
     * @param <M> message type
     */
    <M> void addConsumer(MessageSubject subject, Function<byte[], M> decoder, BiConsumer<NodeId, M> handler,
                         Executor executor);

    /**
     * Stops handling a subject.
     *
     * @param subject the subject
     */
    void removeSubscriber(MessageSubject subject);
}
