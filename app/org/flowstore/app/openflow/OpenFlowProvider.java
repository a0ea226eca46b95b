package org.flowstore.app.openflow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.projectfloodlight.openflow.protocol.OFControllerRole;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFTableStatsEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceProviderService;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEntry;
import org.flowstore.api.flow.FlowRuleProvider;
import org.flowstore.api.flow.FlowRuleProviderService;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.flow.TableStatisticsEntry;
import org.flowstore.api.store.FlowRuleStoreException;

/**
 * OpenFlow 1.3 switches as the devices of scheme {@code of}: listens for their connections (every
 * switch connects to every node of the cluster), registers each datapath as device
 * {@code of:<16 hex digits>} with the device inventory when its handshake is done and withdraws it
 * when its connection closes.
 *
 * <p><b>Roles from mastership.</b> For each switch this node asks the role its mastership gives it,
 * MASTER or SLAVE, with the mastership term as the generation id: when the master changes, the
 * new master's request (a higher generation id) makes the switch demote every other controller,
 * so a deposed master's flow-mods are refused by the switch itself ({@code IS_SLAVE}), and a
 * request older than one the switch has seen is refused as stale.
 *
 * <p><b>Flows.</b> A batch becomes flow-mods (add, strict modify, strict delete; the cookie is the
 * flow id) and a barrier; the barrier reply completes it, with the flows the switch refused and
 * its error. Every {@code openflowStatsPeriod} the flows and tables of the switches this node
 * masters are read (multipart, however many pages) and reported to the manager, which confirms
 * pending flows and reconciles; a flow the switch reports under a cookie the store knows is that
 * flow, any other is translated from its match and instructions. FLOW_REMOVED messages are passed
 * on: an expired flow leaves the store, a deleted one is pushed again.
 *
 * <p>In OSGi it runs only when configured (PID {@value #PID}, see {@link OpenFlowProperties}).
 *
 * <p>Threads: Netty's event loops ({@code flowstore-openflow-<node>-io}) run the connections; one
 * provider thread ({@code flowstore-openflow-<node>}) handles connections and disconnections, role
 * changes, statistics polls and their translation, so a switch's registration and roles change in
 * one order.
 */
@Component(service = FlowRuleProvider.class, configurationPid = OpenFlowProvider.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = OpenFlowProperties.class)
public final class OpenFlowProvider implements FlowRuleProvider, SwitchConnection.Listener {

    /** The OpenFlow provider's configuration PID. */
    public static final String PID = "org.flowstore.app.openflow.OpenFlowProvider";
    /** The device-id scheme of OpenFlow switches. */
    public static final String SCHEME = "of";

    private static final Logger log = LoggerFactory.getLogger(OpenFlowProvider.class);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    private static final int IO_THREADS = 2;

    /** The role last asked of a switch, and in which term. */
    private record Role(OFControllerRole role, long term) {
    }

    private final FlowRuleProviderService reporter;
    private final FlowRuleService flows;
    private final DeviceProviderService inventory;
    private final MastershipService mastership;
    private final ReplicaInfoService replicaInfo;
    private final NodeId localNode;
    private final Map<DeviceId, SwitchConnection> switches = new ConcurrentHashMap<>();
    /** Provider thread only. */
    private final Map<DeviceId, Role> roles = new HashMap<>();
    private final Set<DeviceId> polling = ConcurrentHashMap.newKeySet();
    private final Set<DeviceId> failingPolls = ConcurrentHashMap.newKeySet();
    private final Set<DeviceId> untranslatable = ConcurrentHashMap.newKeySet();
    private final Consumer<ReplicaInfoEvent> replicaListener = this::onReplicaEvent;
    private final ScheduledExecutorService executor;
    private final EventLoopGroup io;
    private volatile OpenFlowConfig settings;
    private volatile boolean stopping;
    private Channel server;
    private ScheduledFuture<?> poll;

    /**
     * Creates the provider; {@link #activate} opens its port.
     *
     * @param reporter where flow reports go (the flow-rule manager)
     * @param flows the flows the store holds, to recognise a switch's flows by their cookie
     * @param inventory where connections are reported (the device inventory)
     * @param mastership who masters each switch
     * @param replicaInfo mastership changes, which change the switches' roles
     * @param cluster this node's identity
     * @param properties the component properties (see {@link OpenFlowProperties})
     */
    @Activate
    public OpenFlowProvider(@Reference(name = "reporter") FlowRuleProviderService reporter,
                            @Reference(name = "flows") FlowRuleService flows,
                            @Reference(name = "inventory") DeviceProviderService inventory,
                            @Reference(name = "mastership") MastershipService mastership,
                            @Reference(name = "replicaInfo") ReplicaInfoService replicaInfo,
                            @Reference(name = "cluster") ClusterService cluster,
                            Map<String, Object> properties) {
        this.reporter = reporter;
        this.flows = flows;
        this.inventory = inventory;
        this.mastership = mastership;
        this.replicaInfo = replicaInfo;
        this.localNode = cluster.getLocalNode();
        this.settings = configure(OpenFlowConfig.DEFAULTS, properties);
        this.executor = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-openflow-" + localNode).setDaemon(true).build());
        this.io = new NioEventLoopGroup(IO_THREADS, new DefaultThreadFactory("flowstore-openflow-" + localNode + "-io",
                true));
    }

    /**
     * Opens the OpenFlow port and starts polling.
     *
     * @throws IllegalStateException if the port cannot be opened
     */
    @Activate
    public synchronized void activate() {
        replicaInfo.addListener(replicaListener);
        listen();
        schedulePoll();
    }

    /**
     * Applies changed settings live: a new port or address closes the listening socket and every
     * connection (the switches reconnect to the new one); a new period reschedules the polls.
     *
     * @param properties the component properties
     */
    @Modified
    public synchronized void modified(Map<String, Object> properties) {
        OpenFlowConfig previous = settings;
        OpenFlowConfig next = configure(previous, properties);
        settings = next;
        if (next.port() != previous.port() || !next.address().equals(previous.address())) {
            closeServer();
            switches.values().forEach(SwitchConnection::close);
            listen();
        }
        if (!next.statsPeriod().equals(previous.statsPeriod())) {
            schedulePoll();
        }
        log.info("Node {} OpenFlow provider reconfigured ({})", localNode, next);
    }

    /** Closes the port and every connection: each switch is withdrawn from the inventory (its mastership moves). */
    @Deactivate
    public synchronized void deactivate() {
        // From here on, closing connections do not report themselves: they are withdrawn below, in one go.
        stopping = true;
        List<DeviceId> connected = new ArrayList<>(switches.keySet());
        stop();
        switches.clear();
        List<CompletableFuture<Void>> withdrawals = new ArrayList<>();
        connected.forEach(d -> withdrawals.add(inventory.deviceDisconnected(d)));
        try {
            CompletableFuture.allOf(withdrawals.toArray(new CompletableFuture[0]))
                    .get(REGISTRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Node {} did not withdraw every OpenFlow switch of {} in time: {}", localNode, connected,
                    rootMessage(e));
        }
    }

    /**
     * Stops the provider without telling the inventory (for a node shutting down as a whole, whose
     * elections end with its cluster services): the connections close, the switches reconnect
     * to the other nodes' providers.
     */
    public synchronized void stop() {
        stopping = true;
        replicaInfo.removeListener(replicaListener);
        closeServer();
        switches.values().forEach(SwitchConnection::close);
        executor.shutdownNow();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private OpenFlowConfig configure(OpenFlowConfig base, Map<String, ?> properties) {
        OpenFlowConfig.Update update = base.apply(properties);
        update.rejected().forEach(r -> log.warn("OpenFlow provider on node {}: {}", localNode, r));
        return update.config();
    }

    private void listen() {
        OpenFlowConfig cfg = settings;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new IdleStateHandler(cfg.echoInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS),
                                new OpenFlowCodec.Decoder(String.valueOf(ch.remoteAddress())),
                                new OpenFlowCodec.Encoder(),
                                new SwitchConnection(OpenFlowProvider.this, localNode, HANDSHAKE_TIMEOUT,
                                        settings.requestTimeout()));
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(cfg.address(), cfg.port()));
        if (!bound.awaitUninterruptibly(10, TimeUnit.SECONDS) || !bound.isSuccess()) {
            throw new IllegalStateException("node " + localNode + " could not listen for OpenFlow switches on "
                    + cfg.address() + ":" + cfg.port() + ": " + bound.cause(), bound.cause());
        }
        server = bound.channel();
        log.info("Node {} listens for OpenFlow 1.3 switches on {}", localNode, server.localAddress());
    }

    private void closeServer() {
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            server = null;
        }
    }

    /** Returns the port switches connect to (the one picked when configured as 0). */
    public synchronized int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns the switches connected to this node, in order. */
    public List<DeviceId> devices() {
        List<DeviceId> ids = new ArrayList<>(switches.keySet());
        ids.sort(null);
        return ids;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    // Connections: on the event loops, handed to the provider thread.

    @Override
    public void connected(SwitchConnection connection) {
        run(() -> {
            DeviceId deviceId = connection.deviceId();
            SwitchConnection previous = switches.put(deviceId, connection);
            if (previous != null && previous != connection) {
                log.info("Switch {} connected to node {} again: closing its previous connection", deviceId, localNode);
                previous.close();
            }
            roles.remove(deviceId);
            inventory.deviceConnected(deviceId).orTimeout(REGISTRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            log.warn("Node {} could not register switch {}: {}", localNode, deviceId, e.toString());
                        } else {
                            run(() -> updateRole(deviceId));
                        }
                    });
        });
    }

    @Override
    public void disconnected(SwitchConnection connection) {
        DeviceId deviceId = connection.deviceId();
        if (deviceId == null || stopping) {
            return;
        }
        run(() -> {
            if (switches.remove(deviceId, connection)) {
                roles.remove(deviceId);
                inventory.deviceDisconnected(deviceId).orTimeout(REGISTRATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                log.warn("Node {} could not withdraw switch {}: {}", localNode, deviceId, e.toString());
                            }
                        });
            }
        });
    }

    @Override
    public void flowRemoved(SwitchConnection connection, OFFlowRemoved removed) {
        DeviceId deviceId = connection.deviceId();
        if (!mastership.getMastershipFor(deviceId).isMaster(localNode)) {
            return;
        }
        boolean expired = removed.getReason() == OFFlowRemovedReason.IDLE_TIMEOUT
                || removed.getReason() == OFFlowRemovedReason.HARD_TIMEOUT;
        reporter.flowRemoved(deviceId, FlowId.valueOf(removed.getCookie().getValue()), expired);
    }

    private void run(Runnable task) {
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("OpenFlow provider on node {} failed: {}", localNode, e.toString(), e);
                }
            });
        } catch (RuntimeException e) {
            log.debug("OpenFlow provider on node {} is stopping: a task was dropped", localNode);
        }
    }

    // Roles: on the provider thread.

    private void onReplicaEvent(ReplicaInfoEvent event) {
        if (event.type() == ReplicaInfoEvent.Type.MASTER_CHANGED && switches.containsKey(event.deviceId())) {
            run(() -> updateRole(event.deviceId()));
        }
    }

    /** Asks the switch for the role the current mastership gives this node, unless it was asked already. */
    private void updateRole(DeviceId deviceId) {
        SwitchConnection connection = switches.get(deviceId);
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        if (connection == null || info.master().isEmpty()) {
            return;
        }
        Role wanted = new Role(info.isMaster(localNode) ? OFControllerRole.ROLE_MASTER : OFControllerRole.ROLE_SLAVE,
                info.term());
        if (wanted.equals(roles.get(deviceId))) {
            return;
        }
        roles.put(deviceId, wanted);
        connection.requestRole(wanted.role(), wanted.term()).whenComplete((confirmed, e) -> {
            if (e != null) {
                run(() -> {
                    roles.remove(deviceId, wanted);
                    if (mastership.getMastershipFor(deviceId).term() > wanted.term()) {
                        // The mastership moved on while the request travelled (elections settle at start-up):
                        // the switch saw the newer term first; the newer role follows.
                        log.info("Switch {} refused role {} (generation id {}) to node {}, a newer term has begun: {}",
                                deviceId, wanted.role(), wanted.term(), localNode, rootMessage(e));
                    } else {
                        log.warn("Switch {} refused role {} (generation id {}) to node {}: {}", deviceId,
                                wanted.role(), wanted.term(), localNode, rootMessage(e));
                    }
                });
            } else {
                log.info("Node {} is {} of switch {} (generation id {})", localNode, confirmed, deviceId, wanted.term());
            }
        });
    }

    // Flows.

    @Override
    public CompletableFuture<CompletedBatchOperation> executeBatch(DeviceId deviceId, List<FlowRuleBatchEntry> operations) {
        SwitchConnection connection = switches.get(deviceId);
        if (connection == null) {
            return CompletableFuture.failedFuture(new IOException("switch " + deviceId + " is not connected to node "
                    + localNode));
        }
        return connection.execute(operations);
    }

    @Override
    public CompletableFuture<Collection<FlowEntry>> readFlows(DeviceId deviceId) {
        SwitchConnection connection = switches.get(deviceId);
        if (connection == null) {
            return CompletableFuture.failedFuture(new IOException("switch " + deviceId + " is not connected to node "
                    + localNode));
        }
        return connection.flowStatistics().thenApplyAsync(entries -> toEntries(deviceId, entries), executor);
    }

    private void schedulePoll() {
        if (poll != null) {
            poll.cancel(false);
        }
        long period = settings.statsPeriod().toMillis();
        poll = executor.scheduleWithFixedDelay(this::pollAll, period, period, TimeUnit.MILLISECONDS);
    }

    /** Reads the flows and tables of every switch this node masters; a switch still answering the last poll is skipped. */
    private void pollAll() {
        switches.forEach((deviceId, connection) -> {
            if (!mastership.getMastershipFor(deviceId).isMaster(localNode) || !polling.add(deviceId)) {
                return;
            }
            connection.flowStatistics()
                    .thenAcceptAsync(entries -> reporter.pushFlowMetrics(deviceId, toEntries(deviceId, entries)),
                            executor)
                    .thenCompose(v -> connection.tableStatistics())
                    .thenAcceptAsync(tables -> reporter.pushTableStatistics(deviceId, toTables(deviceId, tables)),
                            executor)
                    .whenComplete((v, e) -> {
                        polling.remove(deviceId);
                        if (stopping) {
                            return;
                        }
                        if (e == null) {
                            failingPolls.remove(deviceId);
                        } else if (failingPolls.add(deviceId)) {
                            log.warn("Node {} could not read the statistics of switch {} (logged again only after a"
                                    + " success): {}", localNode, deviceId, rootMessage(e));
                        }
                    });
        });
    }

    /**
     * A switch's flow entries as the flow model's: a cookie the store knows (same table and
     * priority) is that flow; any other entry is translated.
     */
    private List<FlowEntry> toEntries(DeviceId deviceId, List<OFFlowStatsEntry> entries) {
        Map<FlowId, FlowEntry> stored = new HashMap<>();
        try {
            flows.getFlowEntries(deviceId).forEach(e -> stored.put(e.id(), e));
        } catch (FlowRuleStoreException e) {
            // The store does not serve the device here (yet): every flow is translated.
            log.debug("Node {} translates every flow of {}: {}", localNode, deviceId, e.getMessage());
        }
        long now = System.currentTimeMillis();
        List<FlowEntry> out = new ArrayList<>(entries.size());
        int skipped = 0;
        String firstReason = null;
        for (OFFlowStatsEntry e : entries) {
            FlowEntry known = stored.get(FlowId.valueOf(e.getCookie().getValue()));
            FlowRule rule;
            if (known != null && known.tableId() == e.getTableId().getValue() && known.priority() == e.getPriority()) {
                rule = known.rule();
            } else {
                try {
                    rule = OpenFlowFlows.toRule(deviceId, e);
                } catch (UntranslatableFlowException | IllegalArgumentException ex) {
                    skipped++;
                    firstReason = firstReason == null ? ex.getMessage() : firstReason;
                    continue;
                }
            }
            out.add(DefaultFlowEntry.builder(rule).state(FlowEntryState.ADDED).life(e.getDurationSec())
                    .packets(e.getPacketCount().getValue()).bytes(e.getByteCount().getValue()).lastSeen(now).build());
        }
        if (skipped > 0 && untranslatable.add(deviceId)) {
            log.warn("Switch {} holds {} flows node {} cannot translate (left alone, logged once): {}", deviceId,
                    skipped, localNode, firstReason);
        }
        return out;
    }

    private static List<TableStatisticsEntry> toTables(DeviceId deviceId, List<OFTableStatsEntry> tables) {
        List<TableStatisticsEntry> out = new ArrayList<>(tables.size());
        for (OFTableStatsEntry t : tables) {
            if (t.getActiveCount() > 0 || t.getLookupCount().getValue() > 0) {
                out.add(new TableStatisticsEntry(deviceId, t.getTableId().getValue(), t.getActiveCount(),
                        t.getLookupCount().getValue(), t.getMatchedCount().getValue()));
            }
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof CompletionException || t instanceof ExecutionException)) {
            t = t.getCause();
        }
        return t instanceof TimeoutException ? "no answer in time" : t.getMessage();
    }

    @Override
    public String toString() {
        return "OpenFlow provider of node " + localNode;
    }
}
