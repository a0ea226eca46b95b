package org.flowstore.store.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.ClusterMembershipEventListener;
import io.atomix.cluster.Member;
import io.atomix.cluster.MemberId;
import io.atomix.cluster.Node;
import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.cluster.messaging.MessagingException;
import io.atomix.cluster.protocol.SwimMembershipProtocol;
import io.atomix.cluster.protocol.SwimMembershipProtocolConfig;
import io.atomix.core.Atomix;
import io.atomix.core.AtomixConfig;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.primitive.partition.Partitioner;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.protocols.raft.partition.RaftPartitionGroup;
import io.atomix.utils.net.Address;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterEvent;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.cluster.ClusterService;

/**
 * This node's membership of the cluster, on an Atomix instance it owns: SWIM membership over the
 * configured members, a Raft management group and a Raft data group (which holds the per-device
 * elections) spanning every member.
 *
 * <p>Start-up and shutdown are bounded ({@link ClusterSettings#startTimeout()}). Membership
 * events are re-posted to listeners on one event thread of this class, so a slow listener
 * cannot stall Atomix.
 *
 * <p>A peer is lost to this node, and no longer {@linkplain #isActive active}, sooner than SWIM
 * removes it: when its process is gone ({@link PeerLiveness}) or when it answered no heartbeat
 * for the failure timeout ({@link PeerHeartbeats}); see {@link #addLostPeerListener}.
 */
@Component(service = {ClusterService.class, AtomixCluster.class}, immediate = true,
        configurationPolicy = ConfigurationPolicy.REQUIRE, configurationPid = "org.flowstore.store.cluster.AtomixCluster")
@Designate(ocd = ClusterProperties.class)
public final class AtomixCluster implements ClusterService {

    private static final Logger log = LoggerFactory.getLogger(AtomixCluster.class);

    /** Name of the Raft group holding the mastership elections. */
    static final String DATA_GROUP = "raft";
    /** Bound of one call of this node's services to an Atomix primitive (a Raft round trip or a few). */
    static final long CALL_TIMEOUT_MILLIS = 10_000;
    /** Pause between attempts of {@link #awaitWhileStarting}. */
    static final long STARTING_RETRY_MILLIS = 200;
    /**
     * The Raft session timeout of this node's primitives in the data group. A session's client
     * keeps it alive every half of it (Atomix: {@code max(timeout / 2, timeout - 2.5 s)}), and an
     * event the server could not deliver (to a node paused, cut off or busy for a moment) is sent
     * again only with the answer to a keep-alive; until then the client holds back every answer
     * that follows the lost event. Atomix's default of 30 s made a node that resumed after a pause
     * wait up to 27.5 s (16 s seen in chaos runs) before it could read the elections and run for its
     * devices again; 5 s bounds that wait to 2.5 s. A session lapses after 5 s unheard, which the
     * heartbeats' eviction (1 s) has long overtaken.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(5);

    private final ClusterSettings settings;
    /** Members by resolved socket address: peers may name themselves by host name or by IP. */
    private final Map<InetSocketAddress, NodeId> nodesByAddress = new HashMap<>();
    private final Map<NodeId, Address> addressesByNode = new HashMap<>();
    private final ExecutorService events;
    private final Listeners<ClusterEvent> listeners;
    private final Listeners<LostPeer> lostPeerListeners;
    private final ClusterMembershipEventListener membershipListener = this::onMembershipEvent;
    private volatile Atomix atomix;
    /** Set by start, stopped by stop; read by {@link #isActive} on any thread. */
    private volatile PeerLiveness liveness;
    /** Set by start, stopped by stop; read by {@link #isActive} on any thread. */
    private volatile PeerHeartbeats heartbeats;
    private final AtomicBoolean leadUnreachableLogged = new AtomicBoolean();

    /**
     * Creates the node from its configuration (the DS constructor); {@link #start} joins.
     *
     * @param properties the {@link ClusterProperties}
     * @throws IllegalArgumentException naming a missing or invalid property
     */
    @Activate
    public AtomixCluster(Map<String, Object> properties) {
        this(ClusterSettings.fromProperties(properties));
    }

    /**
     * Creates the node; {@link #start} joins the cluster.
     *
     * @param settings how to join
     */
    public AtomixCluster(ClusterSettings settings) {
        this.settings = settings;
        for (ClusterMember m : settings.members()) {
            Address address = Address.from(m.host(), m.port());
            nodesByAddress.put(new InetSocketAddress(address.address(), m.port()), m.id());
            addressesByNode.put(m.id(), address);
        }
        this.events = Executors.newSingleThreadExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-cluster-events-" + settings.localNode()).setDaemon(true).build());
        this.listeners = new Listeners<>(events, "cluster membership on node " + settings.localNode());
        this.lostPeerListeners = new Listeners<>(events, "lost peers on node " + settings.localNode());
    }

    /** The prefix of every subject the store's own messages are sent under. */
    private static final String FLOWSTORE_SUBJECTS = "flowstore-";
    /** How long a lost peer's failover waits for Atomix's membership to mark it dead (its own thread, idle). */
    private static final long LOST_PEER_MARK_MILLIS = 500;
    /** How long every peer has to answer the heartbeat that clears a Raft leadership takeover. */
    private static final Duration TAKEOVER_PING_TIMEOUT = Duration.ofMillis(100);

    /** Joins attempted when Atomix's own join race fails one (see {@link #start}). */
    private static final int JOIN_ATTEMPTS = 3;

    /**
     * Starts Atomix and waits until this node has joined, at most the start timeout.
     *
     * @throws IllegalStateException if joining failed or took too long
     */
    @Activate
    public synchronized void start() {
        ClusterMember local = settings.localMember();
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Atomix instance = newInstance(local);
            PeerHeartbeats.answer(instance.getMessagingService());
            StartWatch watch = new StartWatch(instance, local.id(), settings.raftElectionTimeout());
            try {
                CompletableFuture<Void> starting = instance.start();
                CompletableFuture.anyOf(starting, watch.stalled())
                        .get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (!starting.isDone()) {
                    String stalled = watch.stalled().getNow("");
                    stopQuietly(instance);
                    if (attempt < JOIN_ATTEMPTS) {
                        // See StartWatch: a fresh instance on the same data applies the log.
                        log.warn("Node {}: a Raft server stopped applying its log while the node started (Atomix"
                                + " 3.1.12 defect), {}; starting a fresh instance", local.id(), stalled);
                        continue;
                    }
                    throw new IllegalStateException("node " + local.id() + " could not start: a Raft server stopped"
                            + " applying its log in each of " + attempt + " attempts, the last: " + stalled);
                }
                atomix = instance;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopQuietly(instance);
                throw new IllegalStateException("interrupted while node " + local.id() + " was joining the cluster", e);
            } catch (ExecutionException e) {
                stopQuietly(instance);
                if (isJoinRace(e.getCause()) && attempt < JOIN_ATTEMPTS) {
                    // Atomix's SWIM protocol can fail a join when a peer's probe arrives before the peer is known
                    // (a NullPointerException inside Atomix, seen when a cluster boots at once): a fresh instance
                    // joins. Anything else fails at once, e.g. the port is taken: say why, not "within 90 s".
                    log.warn("Node {} hit Atomix's join race ({}); joining again with a fresh instance", local.id(),
                            rootMessage(e.getCause()));
                    continue;
                }
                throw new IllegalStateException("node " + local.id() + " at " + local.host() + ":" + local.port()
                        + " could not join the cluster " + settings.members() + ": " + rootMessage(e.getCause()),
                        e.getCause());
            } catch (TimeoutException e) {
                String reached = reachedPeers(instance);
                logRaftServers(local, instance);
                stopQuietly(instance);
                throw new IllegalStateException("node " + local.id() + " did not join the cluster " + settings.members()
                        + " within " + settings.startTimeout().toSeconds() + " s (peers it reached: " + reached
                        + "; the Raft groups need a majority of the members up)", e);
            } finally {
                watch.close();
            }
        }
        atomix.getMembershipService().addListener(membershipListener);
        try {
            RaftServers.applyTimeouts(atomix, settings.raftElectionTimeout());
            RaftServers.watchLeaders(atomix, null, local.id());
        } catch (RuntimeException e) {
            RaftServers.warnUnchanged(local.id().id(), e);
        }
        List<ClusterMember> peers = settings.members().stream().filter(m -> !m.equals(local)).toList();
        liveness = new PeerLiveness(local.id(), peers,
                peer -> onPeerLost(peer, "its process is gone"));
        liveness.start();
        heartbeats = new PeerHeartbeats(local.id(), atomix.getMessagingService(), peers, settings.probeInterval(),
                settings.probeTimeout(), settings.failureTimeout(),
                peer -> onPeerLost(peer, "it answered no heartbeat for " + settings.failureTimeout().toMillis() + " ms"),
                this::onAnsweringAgain);
        heartbeats.start();
        log.info("Node {} joined the cluster {} in {} ms", local.id(), settings.members(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** True for the failure of Atomix's own join race: a NullPointerException raised inside Atomix's membership. */
    private static boolean isJoinRace(Throwable failure) {
        Throwable root = Throwables.getRootCause(failure);
        if (!(root instanceof NullPointerException)) {
            return false;
        }
        StackTraceElement[] trace = root.getStackTrace();
        // Once the JIT has seen that NullPointerException thrown often enough (many clusters booted in one
        // JVM, as the test suite does), it throws a preallocated one without message or trace
        // (OmitStackTraceInFastThrow): seen in CI, the join failed for good. Nothing else of a start throws one.
        return trace.length == 0 || trace[0].getClassName().startsWith("io.atomix.cluster")
                || String.valueOf(root.getMessage()).contains("SwimMember");
    }

    private Atomix newInstance(ClusterMember local) {
        List<Node> bootstrap = settings.members().stream()
                .map(m -> Node.builder().withId(m.id().id()).withAddress(Address.from(m.host(), m.port())).build())
                .collect(Collectors.toList());
        List<String> ids = settings.members().stream().map(m -> m.id().id()).toList();
        return Atomix.builder(new AtomixConfig(), new AtomixTypes())
                .withClusterId("flowstore")
                .withMemberId(local.id().id())
                .withAddress(local.host(), local.port())
                .withMessagingInterface(local.host())
                .withMembershipProvider(BootstrapDiscoveryProvider.builder().withNodes(bootstrap).build())
                // Through its config: Atomix 3.1.12's builder does not offer the probe timeout.
                .withMembershipProtocol(SwimMembershipProtocol.TYPE.newProtocol(new SwimMembershipProtocolConfig()
                        .setProbeInterval(settings.probeInterval())
                        .setProbeTimeout(settings.probeTimeout())
                        .setSuspectProbes(settings.suspectProbes())
                        .setFailureTimeout(settings.failureTimeout())))
                .withManagementGroup(RaftPartitionGroup.builder("system")
                        .withMembers(ids)
                        .withNumPartitions(1)
                        .withDataDirectory(settings.dataDirectory().resolve("system").toFile())
                        .build())
                .withPartitionGroups(RaftPartitionGroup.builder(DATA_GROUP)
                        .withMembers(ids)
                        .withNumPartitions(ids.size())
                        .withPartitionSize(Math.min(3, ids.size()))
                        .withDataDirectory(settings.dataDirectory().resolve(DATA_GROUP).toFile())
                        .build())
                .withShutdownHook(false)
                .build();
    }

    /**
     * Returns the election timeout each Raft partition server of this node holds.
     *
     * @return one per server; empty when the node is not running
     */
    List<Duration> raftElectionTimeouts() {
        Atomix instance = atomix;
        return instance == null ? List.of() : RaftServers.electionTimeouts(instance);
    }

    /** Leaves the cluster and stops Atomix, waiting at most the start timeout. */
    @Deactivate
    public synchronized void stop() {
        Atomix instance = atomix;
        atomix = null;
        if (liveness != null) {
            liveness.stop();
            liveness = null;
        }
        if (heartbeats != null) {
            heartbeats.stop();
            heartbeats = null;
        }
        if (instance != null) {
            instance.getMembershipService().removeListener(membershipListener);
            stopQuietly(instance);
        }
        events.shutdownNow();
    }

    @Override
    public NodeId getLocalNode() {
        return settings.localNode();
    }

    @Override
    public Set<NodeId> getNodes() {
        return addressesByNode.keySet();
    }

    @Override
    public List<ClusterMember> getMembers() {
        return settings.members();
    }

    @Override
    public boolean isActive(NodeId node) {
        Atomix instance = atomix;
        if (instance == null) {
            return false;
        }
        Member member = instance.getMembershipService().getMember(MemberId.from(node.id()));
        if (member == null || !member.isActive()) {
            return false;
        }
        // Sooner than the membership: a process known dead, or one that stopped answering heartbeats.
        PeerHeartbeats beats = heartbeats;
        PeerLiveness processes = liveness;
        if (processes != null && processes.isGone(node) || beats != null && !beats.isResponsive(node)) {
            return false;
        }
        // SWIM suspects a peer after one probe unanswered for probeTimeout, which a busy live peer
        // misses now and then (seen in chaos runs: a master that counted no reachable standby, hence
        // no majority, refused writes for half a second); a heartbeat answered within half the failure
        // timeout overrules it. A cut-off node still finds its peers unreachable well before the
        // majority evicts it (failureTimeout), which the quorum rule of ReplicaQuorum relies on.
        return member.isReachable()
                || beats != null && beats.answeredWithin(node, settings.failureTimeout().dividedBy(2));
    }

    @Override
    public void addListener(Consumer<ClusterEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<ClusterEvent> listener) {
        listeners.remove(listener);
    }

    /**
     * A peer this node lost sooner than the membership removes it: its process is gone (its port
     * refuses connections, {@link PeerLiveness}) or it answered no heartbeat for the failure
     * timeout ({@link PeerHeartbeats}: paused, or cut off).
     *
     * @param node the peer
     * @param why how it was found lost, for logs
     * @param ledDataPartitions the partitions of the data group it led as this node knew when it
     *     lost it (before this node stood for their lead, which clears what it knows of a leader)
     */
    record LostPeer(NodeId node, String why, Set<PartitionId> ledDataPartitions) {
    }

    /**
     * Registers a listener of lost peers. By the time it hears of one, this node stood for
     * election in the Raft partitions the peer led, where it is the designated successor
     * ({@link RaftServers#standForDeadLeader}). Runs on the cluster event thread.
     *
     * @param listener the listener
     */
    void addLostPeerListener(Consumer<LostPeer> listener) {
        lostPeerListeners.add(listener);
    }

    /**
     * Returns true when this node heard a heartbeat, within half the failure timeout, from enough
     * peers to make a majority of the members with itself: it is on the majority side of any cut.
     * A node cut off from the others loses every peer at about the same moment; it must not act
     * on those losses (an eviction it sends waits in its Raft client and would be applied once the
     * link heals, evicting the healthy majority).
     *
     * @return true when this node hears a majority; true also before heartbeats run
     */
    boolean hearsMajority() {
        PeerHeartbeats beats = heartbeats;
        if (beats == null) {
            return true;
        }
        Duration fresh = settings.failureTimeout().dividedBy(2);
        long heard = settings.members().stream().map(ClusterMember::id)
                .filter(id -> !id.equals(settings.localNode()) && beats.answeredWithin(id, fresh)).count();
        return 2 * (heard + 1) > settings.members().size();
    }

    /**
     * Removes a listener of lost peers.
     *
     * @param listener the listener
     */
    void removeLostPeerListener(Consumer<LostPeer> listener) {
        lostPeerListeners.remove(listener);
    }

    /**
     * Returns true when every partition of the data group (which holds the mastership elections)
     * that this node serves knows its leader, and it is not a given node: a command sent now
     * reaches a leader instead of waiting out Atomix's client retry (1 s, then 2 s).
     *
     * @param node the node that must not lead
     * @return true when the data group is led by others, as far as this node serves it
     */
    boolean dataGroupLedByOthers(NodeId node) {
        Atomix instance = atomix;
        try {
            return instance != null && RaftServers.ledByOthers(instance, DATA_GROUP, MemberId.from(node.id()));
        } catch (RuntimeException e) {
            // Another Atomix than 3.1.12: the servers cannot be read; the caller goes ahead.
            return true;
        }
    }

    /**
     * Returns the partitions of the data group that a node leads, as far as this node serves them.
     *
     * @param node the node
     * @return its partitions; empty when unknown
     */
    Set<PartitionId> dataPartitionsLedBy(NodeId node) {
        Atomix instance = atomix;
        try {
            return instance == null ? Set.of() : RaftServers.ledBy(instance, DATA_GROUP, MemberId.from(node.id()));
        } catch (RuntimeException e) {
            return Set.of(); // another Atomix than 3.1.12: the servers cannot be read
        }
    }

    /**
     * Returns the layout of the mastership elections over the data group.
     *
     * @return the layout
     */
    ElectionLayout electionLayout() {
        return ElectionLayout.of(atomix().getPartitionService().getPartitionGroup(DATA_GROUP));
    }

    /**
     * Takes the Raft lead of the data group's partitions the layout assigns to this node where a
     * live node leads them instead (see {@link ElectionLayout}).
     *
     * @param layout the layout
     */
    void leadAssignedPartitions(ElectionLayout layout) {
        Atomix instance = atomix;
        PeerHeartbeats beats = heartbeats;
        if (instance == null || beats == null) {
            return;
        }
        // A member that died a moment ago may not be known dead yet, and a takeover election stood for
        // then lacks its vote and leaves the partition without leader for a timeout (seen in a chaos run:
        // a kill 82 ms before a takeover made a 2.3 s failover). So every member must answer a heartbeat
        // sent now; otherwise the next reconciliation tries again.
        beats.pingAll(TAKEOVER_PING_TIMEOUT).thenAccept(everyPeerAnswered -> {
            if (!everyPeerAnswered) {
                return;
            }
            try {
                RaftServers.leadAssigned(instance, DATA_GROUP, layout, settings.localNode(), this::isActive);
            } catch (RuntimeException e) {
                if (leadUnreachableLogged.compareAndSet(false, true)) {
                    log.warn("Node {} cannot take the lead of its Raft partitions (said once): {}",
                            settings.localNode(), e.getMessage());
                }
            }
        });
    }

    /**
     * Returns the protocol of the primitives this node's services open in the data group: Raft,
     * sessions of {@link #SESSION_TIMEOUT}.
     *
     * @param partitioner how a primitive's keys map to the group's partitions
     * @return the protocol
     */
    static MultiRaftProtocol dataProtocol(Partitioner<String> partitioner) {
        return MultiRaftProtocol.builder(DATA_GROUP).withPartitioner(partitioner).withMaxTimeout(SESSION_TIMEOUT).build();
    }

    /** Returns true between a successful {@link #start} and {@link #stop}. */
    public boolean isRunning() {
        return atomix != null;
    }

    /** Returns the settings this node joined with. */
    public ClusterSettings settings() {
        return settings;
    }

    /** Returns the running Atomix instance, for the services built on it. */
    Atomix atomix() {
        Atomix instance = atomix;
        if (instance == null) {
            throw new IllegalStateException("node " + settings.localNode() + " is not in the cluster (not started or stopped)");
        }
        return instance;
    }

    /** Returns the messaging address of a configured member, or null. */
    Address addressOf(NodeId node) {
        return addressesByNode.get(node);
    }

    /** Returns the configured member listening on an address, or null. */
    NodeId nodeAt(Address address) {
        InetAddress ip = address.address();
        return ip == null ? null : nodesByAddress.get(new InetSocketAddress(ip, address.port()));
    }

    /** On a liveness or heartbeat thread: stand where the lost peer led, then tell listeners on the event thread. */
    private void onPeerLost(NodeId node, String why) {
        Atomix instance = atomix;
        if (instance == null) {
            return;
        }
        LostPeer lost = new LostPeer(node, why, dataPartitionsLedBy(node));
        markDeadInAtomix(instance, node, why);
        try {
            // A node that hears no majority may be the one cut off: it could not win, and the higher
            // term it stood in would unseat the majority's new leader once the link heals.
            if (hearsMajority()) {
                RaftServers.standForDeadLeader(instance, MemberId.from(lost.node().id()));
            }
        } catch (RuntimeException e) {
            log.warn("Node {} could not stand for election where {} led ({}): {}", settings.localNode(), lost.node(),
                    lost.why(), e.getMessage());
        }
        lostPeerListeners.post(lost);
    }

    /**
     * Before anything is sent for the failover, Atomix's membership marks the lost peer dead, so
     * Atomix sends nothing more to it, and what Atomix awaits from it fails (see
     * {@link AtomixLostPeers}); else the first Raft command of the failover could go to a paused
     * former leader and wait out Atomix's timeout.
     */
    private void markDeadInAtomix(Atomix instance, NodeId node, String why) {
        try {
            AtomixLostPeers.markDead(instance, MemberId.from(node.id())).get(LOST_PEER_MARK_MILLIS, TimeUnit.MILLISECONDS);
            ClusterMember member = settings.members().stream().filter(m -> m.id().equals(node)).findFirst().orElseThrow();
            // The store's own requests are failed by AtomixMessaging, with the reason.
            int failed = AtomixLostPeers.failAwaited(instance, member.host(), member.port(),
                    subject -> subject.startsWith(FLOWSTORE_SUBJECTS), "node " + node + " was lost (" + why + ")");
            log.debug("Node {} failed {} of Atomix's requests awaiting an answer from the lost {}", settings.localNode(),
                    failed, node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Node {}: Atomix may keep sending to the lost {} ({}) until its requests time out: {}",
                    settings.localNode(), node, why, e.toString());
        }
    }

    /**
     * A peer this node lost answers again (on a messaging thread): Atomix sends to it again at once
     * (its membership would take it back only at its next probe of the peer), so the Raft events
     * and replies it missed reach it now, and so do the appends of the Raft partitions this node
     * leads (which had backed off from it).
     */
    private void onAnsweringAgain(NodeId node) {
        Atomix instance = atomix;
        if (instance == null) {
            return;
        }
        MemberId member = MemberId.from(node.id());
        try {
            AtomixLostPeers.markAlive(instance, member);
        } catch (RuntimeException e) {
            log.warn("Node {}: Atomix sends to {} again only once its membership finds it alive: {}",
                    settings.localNode(), node, e.toString());
        }
        try {
            RaftServers.resumeAppendsTo(instance, member);
        } catch (RuntimeException e) {
            log.warn("Node {}: its Raft leaders send to {} again only after Atomix's back-off: {}",
                    settings.localNode(), node, e.toString());
        }
    }

    private void onMembershipEvent(ClusterMembershipEvent event) {
        if (event.type() == ClusterMembershipEvent.Type.REACHABILITY_CHANGED) {
            // SWIM's suspicion (a probe unanswered for probeTimeout): not a removal, and not what
            // isActive goes by while heartbeats run, but what to read when a peer seems to flap.
            log.info("Node {} finds {} {} by the membership's probes", settings.localNode(), event.subject().id().id(),
                    event.subject().isReachable() ? "reachable again" : "unreachable");
            return;
        }
        ClusterEvent.Type type = switch (event.type()) {
            case MEMBER_ADDED -> ClusterEvent.Type.NODE_UP;
            case MEMBER_REMOVED -> ClusterEvent.Type.NODE_DOWN;
            default -> null;
        };
        if (type == null) {
            return;
        }
        ClusterEvent clusterEvent = new ClusterEvent(type, NodeId.nodeId(event.subject().id().id()));
        log.info("Node {} sees {} {}", settings.localNode(), clusterEvent.node(), type);
        listeners.post(clusterEvent);
    }

    /**
     * Waits for a call of this node's services to an Atomix primitive, at most {@link #CALL_TIMEOUT_MILLIS}.
     *
     * @param future the call
     * @param what what the node tried, for the message
     * @return the call's result
     * @throws IllegalStateException naming the node and {@code what} when the call failed, timed out or was interrupted
     */
    <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node " + settings.localNode() + " tried to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("node " + settings.localNode() + " could not " + what, e);
        }
    }

    /**
     * Waits for a call made while this node starts, and makes it again while a member answers that
     * it has no handler for it yet: a member still starting its partition servers answers so, and
     * Atomix's Raft client gives up on that answer (it tries the next member only after a connection
     * error or a timeout). Seen in CI: a node joining three just-started processes could not listen
     * to the elections. Bounded by the start timeout.
     *
     * @param call makes the call (again)
     * @param what what the node tried, for the message
     * @return the call's result
     * @throws IllegalStateException as {@link #await}, or when members still answered so at the start timeout
     */
    <T> T awaitWhileStarting(Supplier<CompletableFuture<T>> call, String what) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return await(call.get(), what);
            } catch (IllegalStateException e) {
                if (Throwables.getCausalChain(e).stream().noneMatch(c -> c instanceof MessagingException.NoRemoteHandler)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                if (attempt == 1) {
                    log.info("Node {} could not {} yet: a member has not started its partition servers; trying again"
                            + " every {} ms", settings.localNode(), what, STARTING_RETRY_MILLIS);
                }
            }
            try {
                Thread.sleep(STARTING_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while node " + settings.localNode() + " tried to " + what, e);
            }
        }
    }

    /**
     * Waits for a primitive (an elector, a map, a counter) to open: its Raft session, which may
     * wait for a partition of the data group to elect a leader or catch this node up after a
     * restart. Bounded by the start timeout, never forever (Atomix's own {@code build()} waits
     * without a bound).
     *
     * @param opening the primitive's {@code buildAsync()}
     * @param what the primitive, for the failure
     * @param <T> the primitive type
     * @return the open primitive
     * @throws IllegalStateException naming the primitive if it did not open in time
     */
    <T> T open(CompletableFuture<T> opening, String what) {
        try {
            return opening.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node " + settings.localNode() + " opened " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("node " + settings.localNode() + " could not open " + what + ": "
                    + rootMessage(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + settings.localNode() + " could not open " + what + " within "
                    + settings.startTimeout().toSeconds() + " s (its Raft session on the " + DATA_GROUP
                    + " group did not open)", e);
        }
    }

    private String reachedPeers(Atomix instance) {
        return instance.getMembershipService().getMembers().stream()
                .filter(m -> m.isActive() && m.isReachable() && !m.id().id().equals(settings.localNode().id()))
                .map(m -> m.id().id()).sorted().toList().toString();
    }

    /** Says which Raft server a start that timed out was waiting for; the thrown error says the rest. */
    private void logRaftServers(ClusterMember local, Atomix instance) {
        try {
            log.warn("Node {} gives up its start after {} s; its Raft servers:{}", local.id(),
                    settings.startTimeout().toSeconds(), RaftServers.states(instance).stream()
                            .map(state -> System.lineSeparator() + "  " + state).collect(Collectors.joining()));
        } catch (RuntimeException e) {
            log.warn("Node {} gives up its start after {} s; its Raft servers cannot be described: {}", local.id(),
                    settings.startTimeout().toSeconds(), e.toString());
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = Throwables.getRootCause(failure);
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private void stopQuietly(Atomix instance) {
        try {
            instance.stop().get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Node {} did not stop cleanly", settings.localNode(), e);
        }
    }
}
