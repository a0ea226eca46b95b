package org.flowstore.app.openflow;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.projectfloodlight.openflow.protocol.OFBarrierReply;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFRoleReply;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableStatsReply;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadActionErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadInstructionErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadMatchErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFBadRequestErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFFlowModFailedErrorMsg;
import org.projectfloodlight.openflow.protocol.errormsg.OFRoleRequestFailedErrorMsg;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;

/**
 * One switch's OpenFlow 1.3 connection to this node: the handshake (HELLO, FEATURES), echo
 * keep-alive, and the requests this node makes (flow-mods closed by a barrier, multipart
 * statistics, role requests), each matched to its replies and errors by transaction id.
 *
 * <p>Threads: inbound messages, handshake and keep-alive run on the channel's event loop; requests
 * may be made from any thread (Netty writes are thread-safe) and register their reply slot before
 * they write. Every request completes: with its reply, the switch's error, the connection's loss
 * or its timeout.
 */
final class SwitchConnection extends SimpleChannelInboundHandler<OFMessage> {

    /** What the provider hears from a connection. */
    interface Listener {

        /** The handshake is done: the switch's datapath id is known. */
        void connected(SwitchConnection connection);

        /** The connection is gone (after {@link #connected}, or during the handshake). */
        void disconnected(SwitchConnection connection);

        /** The switch removed a flow (its timeout expired, or someone deleted it). */
        void flowRemoved(SwitchConnection connection, OFFlowRemoved removed);
    }

    /** OpenFlow 1.3, the version this provider speaks. */
    static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private static final Logger log = LoggerFactory.getLogger(SwitchConnection.class);
    private static final long XID_MASK = 0xFFFF_FFFFL;
    /** Echo requests left unanswered before the connection is closed. */
    private static final int MAX_MISSED_ECHOES = 2;

    private enum State { HELLO, FEATURES, READY, CLOSED }

    private final Listener listener;
    private final NodeId localNode;
    private final Duration handshakeTimeout;
    private final Duration requestTimeout;
    private final AtomicLong xids = new AtomicLong(1);
    /** Role and statistics requests waiting for their reply, by xid. */
    private final Map<Long, Request<?>> requests = new ConcurrentHashMap<>();
    /** Flow-mod batches waiting for their barrier reply, by the barrier's xid. */
    private final Map<Long, Batch> batches = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile DeviceId deviceId;
    private volatile State state = State.HELLO;
    /** Event loop only. */
    private int missedEchoes;

    SwitchConnection(Listener listener, NodeId localNode, Duration handshakeTimeout, Duration requestTimeout) {
        this.listener = listener;
        this.localNode = localNode;
        this.handshakeTimeout = handshakeTimeout;
        this.requestTimeout = requestTimeout;
    }

    /** Returns the switch's device id ({@code of:} and its datapath id); null before the handshake. */
    DeviceId deviceId() {
        return deviceId;
    }

    /** Returns the switch's address. */
    String peer() {
        Channel c = channel;
        return c == null ? "?" : String.valueOf(c.remoteAddress());
    }

    /** Closes the connection (the switch reconnects by itself). */
    void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        ctx.writeAndFlush(OF13.buildHello().setXid(nextXids(1)).build());
        ctx.executor().schedule(() -> {
            if (state != State.READY && state != State.CLOSED) {
                log.warn("Switch at {} did not finish the OpenFlow handshake with node {} within {} ms: closing", peer(),
                        localNode, handshakeTimeout.toMillis());
                ctx.close();
            }
        }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, OFMessage m) {
        missedEchoes = 0;
        switch (m.getType()) {
            case HELLO -> {
                if (m.getVersion().compareTo(OFVersion.OF_13) < 0) {
                    log.warn("Switch at {} speaks OpenFlow {} only, node {} needs 1.3: closing", peer(), m.getVersion(),
                            localNode);
                    ctx.close();
                    return;
                }
                state = State.FEATURES;
                ctx.writeAndFlush(OF13.buildFeaturesRequest().setXid(nextXids(1)).build());
            }
            case FEATURES_REPLY -> {
                if (state == State.FEATURES) {
                    deviceId = DeviceId.deviceId(String.format("of:%016x", ((OFFeaturesReply) m).getDatapathId().getLong()));
                    state = State.READY;
                    log.info("Switch {} connected to node {} from {}", deviceId, localNode, peer());
                    listener.connected(this);
                }
            }
            case ECHO_REQUEST -> ctx.writeAndFlush(OF13.buildEchoReply().setXid(m.getXid())
                    .setData(((OFEchoRequest) m).getData()).build());
            case ECHO_REPLY -> {
                // The keep-alive's answer: reading it reset the count above.
            }
            case BARRIER_REPLY -> barrierReply((OFBarrierReply) m);
            case ERROR -> error((OFErrorMsg) m);
            case ROLE_REPLY, STATS_REPLY -> reply(m);
            case FLOW_REMOVED -> {
                if (state == State.READY) {
                    listener.flowRemoved(this, (OFFlowRemoved) m);
                }
            }
            default -> log.trace("Switch {} on node {} sent {}: ignored", deviceId, localNode, m.getType());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (missedEchoes >= MAX_MISSED_ECHOES) {
                log.warn("Switch {} at {} answered no echo request of node {}: closing", deviceId, peer(), localNode);
                ctx.close();
                return;
            }
            missedEchoes++;
            ctx.writeAndFlush(OF13.buildEchoRequest().setXid(nextXids(1)).build());
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        IOException gone = new IOException("switch " + (deviceId != null ? deviceId : peer())
                + " disconnected from node " + localNode);
        requests.values().forEach(r -> r.done.completeExceptionally(gone));
        batches.values().forEach(b -> b.done.completeExceptionally(gone));
        if (deviceId != null) {
            log.info("Switch {} disconnected from node {}", deviceId, localNode);
        }
        listener.disconnected(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("OpenFlow connection of switch {} at {} to node {} failed: {}", deviceId, peer(), localNode,
                cause.toString());
        ctx.close();
    }

    /**
     * Asks the switch to take this node as MASTER, SLAVE or EQUAL.
     *
     * @param role the role
     * @param generationId the mastership term: the switch refuses one lower than it has seen
     * @return the role the switch confirms; fails with the switch's error (e.g. a stale generation id)
     */
    CompletableFuture<OFControllerRole> requestRole(OFControllerRole role, long generationId) {
        long xid = nextXids(1);
        CompletableFuture<OFControllerRole> done = register(xid, new SingleReply<>(m -> ((OFRoleReply) m).getRole()));
        send(OF13.buildRoleRequest().setXid(xid).setRole(role).setGenerationId(U64.of(generationId)).build(), done);
        return done;
    }

    /**
     * Reads every flow of every table (a multipart request, however many replies it takes).
     *
     * @return the flow entries
     */
    CompletableFuture<List<OFFlowStatsEntry>> flowStatistics() {
        long xid = nextXids(1);
        CompletableFuture<List<OFFlowStatsEntry>> done = register(xid, new StatsRequest<OFFlowStatsEntry>(
                m -> ((OFFlowStatsReply) m).getEntries()));
        send(OF13.buildFlowStatsRequest().setXid(xid).setTableId(TableId.ALL).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).setCookie(U64.ZERO).setCookieMask(U64.ZERO)
                .setMatch(OF13.matchWildcardAll()).build(), done);
        return done;
    }

    /**
     * Reads the statistics of every table.
     *
     * @return one entry per table
     */
    CompletableFuture<List<OFTableStatsEntry>> tableStatistics() {
        long xid = nextXids(1);
        CompletableFuture<List<OFTableStatsEntry>> done = register(xid, new StatsRequest<OFTableStatsEntry>(
                m -> ((OFTableStatsReply) m).getEntries()));
        send(OF13.buildTableStatsRequest().setXid(xid).build(), done);
        return done;
    }

    /**
     * Sends a batch as flow-mods followed by a barrier. Completes when the barrier reply arrives:
     * the operations the switch refused (an error message naming their xid) or that have no
     * OpenFlow form fail, each with its reason; the rest succeeded.
     *
     * @param operations the batch
     * @return the outcome; fails only when the switch cannot be reached or does not answer in time
     */
    CompletableFuture<CompletedBatchOperation> execute(List<FlowRuleBatchEntry> operations) {
        int n = operations.size();
        long first = nextXids(n + 1);
        long barrierXid = (first + n) & XID_MASK;
        Batch batch = new Batch(first, operations);
        List<OFMessage> messages = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            FlowRuleBatchEntry op = operations.get(i);
            try {
                messages.add(OpenFlowFlows.flowMod(OF13, op, (first + i) & XID_MASK));
            } catch (UntranslatableFlowException | IllegalArgumentException e) {
                batch.refuse(op.target(), e.getMessage());
            }
        }
        messages.add(OF13.buildBarrierRequest().setXid(barrierXid).build());
        batches.put(barrierXid, batch);
        batch.done.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> batches.remove(barrierXid));
        send(messages, batch.done);
        return batch.done;
    }

    private void send(Object message, CompletableFuture<?> done) {
        Channel c = channel;
        if (c == null || state == State.CLOSED) {
            done.completeExceptionally(new IOException("switch " + deviceId + " is not connected to node " + localNode));
            return;
        }
        c.writeAndFlush(message).addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(new IOException("could not write to switch " + deviceId + " from node "
                        + localNode + ": " + f.cause(), f.cause()));
            }
        });
    }

    private <T> CompletableFuture<T> register(long xid, Request<T> request) {
        requests.put(xid, request);
        request.done.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> requests.remove(xid));
        return request.done;
    }

    /** Reserves {@code count} consecutive transaction ids; returns the first. */
    private long nextXids(int count) {
        return xids.getAndAdd(count) & XID_MASK;
    }

    private void reply(OFMessage m) {
        Request<?> r = requests.get(m.getXid());
        if (r == null) {
            log.debug("Switch {} answered xid {} on node {}, which nothing waits for (timed out?)", deviceId, m.getXid(),
                    localNode);
            return;
        }
        r.accept(m);
    }

    private void barrierReply(OFBarrierReply m) {
        Batch batch = batches.remove(m.getXid());
        if (batch != null) {
            batch.complete(deviceId);
        }
    }

    private void error(OFErrorMsg m) {
        String reason = describe(m);
        Request<?> r = requests.get(m.getXid());
        if (r != null) {
            r.done.completeExceptionally(new SwitchErrorException("switch " + deviceId + " refused the request of node "
                    + localNode + ": " + reason));
            return;
        }
        for (Batch b : batches.values()) {
            if (b.refuse(m.getXid(), reason)) {
                return;
            }
        }
        log.warn("Switch {} sent node {} an error for xid {} that nothing waits for: {}", deviceId, localNode,
                m.getXid(), reason);
    }

    /** The error's type and code, as the OpenFlow specification names them. */
    static String describe(OFErrorMsg m) {
        Object code;
        if (m instanceof OFBadRequestErrorMsg e) {
            code = e.getCode();
        } else if (m instanceof OFBadActionErrorMsg e) {
            code = e.getCode();
        } else if (m instanceof OFBadInstructionErrorMsg e) {
            code = e.getCode();
        } else if (m instanceof OFBadMatchErrorMsg e) {
            code = e.getCode();
        } else if (m instanceof OFFlowModFailedErrorMsg e) {
            code = e.getCode();
        } else if (m instanceof OFRoleRequestFailedErrorMsg e) {
            code = e.getCode();
        } else {
            return m.getErrType().toString();
        }
        return m.getErrType() + "/" + code;
    }

    /** A switch's error message as a failure. */
    static final class SwitchErrorException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SwitchErrorException(String message) {
            super(message);
        }
    }

    /** A request waiting for its reply messages, by xid. */
    private abstract static class Request<T> {
        final CompletableFuture<T> done = new CompletableFuture<>();

        /** Takes one reply message; completes {@link #done} once the last one arrived. */
        abstract void accept(OFMessage m);
    }

    /** A request answered by one reply message. */
    private static final class SingleReply<T> extends Request<T> {
        private final Function<OFMessage, T> read;

        SingleReply(Function<OFMessage, T> read) {
            this.read = read;
        }

        @Override
        void accept(OFMessage m) {
            done.complete(read.apply(m));
        }
    }

    /** A multipart request: its replies are gathered until one comes without REPLY_MORE. Event loop only. */
    private static final class StatsRequest<E> extends Request<List<E>> {
        private final Function<OFMessage, List<E>> page;
        private final List<E> entries = new ArrayList<>();

        StatsRequest(Function<OFMessage, List<E>> page) {
            this.page = page;
        }

        @Override
        void accept(OFMessage m) {
            entries.addAll(page.apply(m));
            if (!((OFStatsReply) m).getFlags().contains(OFStatsReplyFlags.REPLY_MORE)) {
                done.complete(entries);
            }
        }
    }

    /** A batch of flow-mods in flight: which ones the switch refused, and why. Event loop only, after sending. */
    private static final class Batch {
        final CompletableFuture<CompletedBatchOperation> done = new CompletableFuture<>();
        private final long firstXid;
        private final List<FlowRuleBatchEntry> operations;
        private final List<FlowRule> refused = new ArrayList<>();
        private final List<String> reasons = new ArrayList<>();

        Batch(long firstXid, List<FlowRuleBatchEntry> operations) {
            this.firstXid = firstXid;
            this.operations = operations;
        }

        /** Records the refusal of the flow-mod with this xid; false when it is not one of this batch's. */
        synchronized boolean refuse(long xid, String reason) {
            long index = (xid - firstXid) & XID_MASK;
            if (index >= operations.size()) {
                return false;
            }
            refuse(operations.get((int) index).target(), reason);
            return true;
        }

        synchronized void refuse(FlowRule rule, String reason) {
            refused.add(rule);
            if (reasons.size() < 3 && !reasons.contains(reason)) {
                reasons.add(reason);
            }
        }

        synchronized void complete(DeviceId deviceId) {
            if (refused.isEmpty()) {
                done.complete(CompletedBatchOperation.succeeded(deviceId));
            } else {
                done.complete(CompletedBatchOperation.failed(deviceId, refused, "switch " + deviceId + " refused "
                        + refused.size() + " of " + operations.size() + " flow-mods: " + String.join("; ", reasons)));
            }
        }
    }
}
