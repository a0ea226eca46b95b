package org.flowstore.store.cluster;

import static org.flowstore.store.cluster.AtomixCluster.CALL_TIMEOUT_MILLIS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import io.atomix.cluster.ClusterMembershipEvent;
import io.atomix.cluster.ClusterMembershipEventListener;
import io.atomix.core.election.AsyncLeaderElector;
import io.atomix.core.election.Leadership;
import io.atomix.core.election.LeadershipEvent;
import io.atomix.core.election.LeadershipEventListener;
import io.atomix.primitive.partition.PartitionId;
import io.atomix.primitive.partition.Partitioner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.cluster.ReplicaInfoEvent;
import org.flowstore.api.cluster.ReplicaInfoService;

/**
 * Per-device mastership as one leader election per device, in a Raft-backed Atomix leader
 * elector: split-brain safe, and the election's term is the mastership term. The candidates of a
 * device are the nodes connected to it, in order of succession: the leader is the master, the
 * rest are its standbys.
 *
 * <p>Reads ({@link #getMastershipFor}) come from a local view kept current by the elector's
 * events, so the store's hot path never waits on Raft. Balance: each device has a preferred
 * master (its hash over the sorted members, the assigned Raft leader of the partition holding its
 * election left out: see {@link ElectionLayout}) and a preferred first standby (the rest of the
 * hash over the others); a preferred master that is a candidate but not leader takes the lead
 * ({@code anoint}) and a preferred standby moves to the head of the standbys ({@code promote}), so
 * mastership spreads evenly, returns to a node that comes back, and a dead node's devices are
 * shared among the survivors.
 *
 * <p>Failover: a node lost to this one (its process gone, or silent past the failure timeout: see
 * {@link AtomixCluster#addLostPeerListener}) is evicted from every election at once, and its
 * devices move to their first standbys; so is a member the membership removes. By the layout,
 * the elections of a dead master's devices sit in partitions led by live nodes, which apply the
 * eviction at once. Without an eviction, topics whose Raft partition the dead node led kept it as
 * leader (ATOMIX-NOTES).
 *
 * <p>Threads: elector calls are asynchronous, each with a timeout; view changes are posted to
 * listeners on one event thread.
 */
@Component(service = {MastershipService.class, ReplicaInfoService.class, AtomixMastership.class}, immediate = true)
public final class AtomixMastership implements MastershipService, ReplicaInfoService {

    private static final Logger log = LoggerFactory.getLogger(AtomixMastership.class);
    private static final String ELECTOR = "flowstore-mastership";
    /**
     * How often the view is re-read from the elector and lost candidacies are restored. A node
     * that was paused past the failure timeout was evicted (and its Raft session expired) while
     * it still holds its device connections; without this it would never run again.
     */
    private static final long RECONCILE_PERIOD_MILLIS = 3_000;
    /**
     * How long after start a node waits before it takes the lead of the Raft partitions the layout
     * assigns it: its logs catch up with the leaders' first (an election it stood for behind them
     * would leave the partition without leader for a timeout).
     */
    private static final long CATCH_UP_MILLIS = 2 * RECONCILE_PERIOD_MILLIS;
    /** How often, after a peer was lost, the elections' Raft partitions are checked for a new leader. */
    private static final long LEADER_POLL_MILLIS = 5;
    /** Beyond this, a lost peer is evicted whether or not its partitions elected a new leader. */
    private static final long LEADER_WAIT_MILLIS = 3_000;

    private final AtomixCluster cluster;
    private final NodeId local;
    private final List<NodeId> sortedMembers;
    private final Map<DeviceId, MastershipInfo> view = new ConcurrentHashMap<>();
    private final Set<DeviceId> claimed = ConcurrentHashMap.newKeySet();
    /** Devices this node asked to lead (anoint) and does not lead yet in the view, with when it asked (nanoTime). */
    private final Map<DeviceId, Long> anointing = new ConcurrentHashMap<>();
    /** Devices this node handed off on purpose: balancing does not take them back. */
    private final Set<DeviceId> yielded = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService events;
    private final Listeners<ReplicaInfoEvent> listeners;
    private final LeadershipEventListener<String> electionListener = this::onLeadershipEvent;
    private final ClusterMembershipEventListener membershipListener = this::onMembershipEvent;
    private final Consumer<AtomixCluster.LostPeer> lostPeerListener = this::onPeerLost;
    /** Set by start, read by membership and death events on other threads. */
    private volatile AsyncLeaderElector<String> elector;
    /** Set by start: where the elections live and who leads them. */
    private volatile ElectionLayout layout;
    /** When start ran (nanoTime): a node takes the lead of its Raft partitions only once caught up. */
    private volatile long startedAt;
    /**
     * Whether a re-read of the elections is under way (event thread only): a re-read that waits
     * (Raft session events held back) is not joined by more every period, whose answers would all
     * arrive at once and run again for every device as many times.
     */
    private boolean rereading;

    /**
     * Creates the service on a started cluster node; {@link #start} opens the elector.
     *
     * @param cluster the node
     */
    @Activate
    public AtomixMastership(@Reference(name = "cluster") AtomixCluster cluster) {
        this.cluster = cluster;
        this.local = cluster.getLocalNode();
        this.sortedMembers = cluster.settings().members().stream().map(ClusterMember::id).sorted().toList();
        this.events = Executors.newSingleThreadScheduledExecutor(new ThreadFactoryBuilder()
                .setNameFormat("flowstore-mastership-events-" + local).setDaemon(true).build());
        this.listeners = new Listeners<>(events, "mastership on node " + local);
    }

    /** Opens the elector and loads the current leaderships. */
    @Activate
    public synchronized void start() {
        elector = cluster.open(cluster.atomix().<String>leaderElectorBuilder(ELECTOR)
                // Murmur3, stated: the election layout computes each topic's partition the same way.
                .withProtocol(AtomixCluster.dataProtocol(Partitioner.MURMUR3))
                .buildAsync(), "the mastership elections").async();
        layout = cluster.electionLayout();
        startedAt = System.nanoTime();
        cluster.awaitWhileStarting(() -> elector.addListener(electionListener), "listen to elections");
        Map<String, Leadership<String>> current = cluster.awaitWhileStarting(elector::getLeaderships,
                "read elections");
        current.forEach(this::update);
        cluster.atomix().getMembershipService().addListener(membershipListener);
        cluster.addLostPeerListener(lostPeerListener);
        events.scheduleWithFixedDelay(this::reconcile, RECONCILE_PERIOD_MILLIS, RECONCILE_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Withdraws from every election and closes the elector. Once this node has left the cluster
     * there is nothing to withdraw from (its candidacies lapse with its membership): only the
     * event thread stops.
     */
    @Deactivate
    public synchronized void stop() {
        cluster.removeLostPeerListener(lostPeerListener);
        if (elector != null && cluster.isRunning()) {
            cluster.atomix().getMembershipService().removeListener(membershipListener);
            // All withdrawals at once, bounded by one timeout: shutdown never waits device after device.
            List<CompletableFuture<Void>> withdrawals = new ArrayList<>();
            for (DeviceId deviceId : claimed) {
                withdrawals.add(elector.withdraw(topic(deviceId), local.id())
                        .orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .exceptionally(e -> {
                            log.warn("Node {} could not withdraw from the election of {}: {}", local, deviceId,
                                    e.toString());
                            return null;
                        }));
            }
            CompletableFuture.allOf(withdrawals.toArray(new CompletableFuture[0])).join();
            elector.removeListener(electionListener);
        }
        claimed.clear();
        events.shutdownNow();
        elector = null;
    }

    /**
     * Makes this node a candidate for a device's mastership (it is connected to the device).
     *
     * @param deviceId the device
     * @return completes when this node is a candidate
     */
    public CompletableFuture<Void> claim(DeviceId deviceId) {
        claimed.add(deviceId);
        return elector.run(topic(deviceId), local.id())
                .orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .thenAccept(leadership -> {
                    update(topic(deviceId), leadership);
                    balance(deviceId);
                })
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        log.warn("Node {} could not run for the mastership of {}: {}", local, deviceId, e.toString());
                    }
                });
    }

    /**
     * Stops being a candidate for a device (this node lost its connection to it).
     *
     * @param deviceId the device
     * @return completes when this node is no longer a candidate
     */
    public CompletableFuture<Void> release(DeviceId deviceId) {
        claimed.remove(deviceId);
        return elector.withdraw(topic(deviceId), local.id()).orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public MastershipInfo getMastershipFor(DeviceId deviceId) {
        return view.getOrDefault(deviceId, MastershipInfo.NONE);
    }

    @Override
    public Set<DeviceId> getDevicesOf(NodeId node) {
        return view.entrySet().stream().filter(e -> e.getValue().isMaster(node)).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns every device with an election: every device some node is or was connected to. A
     * device whose every node disconnected stays known, without a master.
     */
    Set<DeviceId> devices() {
        return Set.copyOf(view.keySet());
    }

    /** Returns true when the device has an election (see {@link #devices}); constant time. */
    boolean hasElection(DeviceId deviceId) {
        return view.containsKey(deviceId);
    }

    @Override
    public CompletableFuture<Void> relinquishMastership(DeviceId deviceId) {
        MastershipInfo info = getMastershipFor(deviceId);
        if (!info.isMaster(local)) {
            return CompletableFuture.completedFuture(null);
        }
        // The first standby that is up: a standby that just died stays in the election until its session
        // expires, and anointing it is refused.
        NodeId next = info.backups().stream().filter(cluster::isActive).findFirst().orElse(null);
        if (next == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no live standby of " + deviceId
                    + " to hand its mastership to (standbys " + info.backups() + ")"));
        }
        yielded.add(deviceId);
        return elector.anoint(topic(deviceId), next.id())
                .orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .thenAccept(done -> {
                    if (!done) {
                        throw new IllegalStateException("the election of " + deviceId + " refused to anoint " + next);
                    }
                });
    }

    @Override
    public MastershipInfo getReplicaInfoFor(DeviceId deviceId) {
        return getMastershipFor(deviceId);
    }

    @Override
    public void addListener(Consumer<ReplicaInfoEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<ReplicaInfoEvent> listener) {
        listeners.remove(listener);
    }

    /**
     * Returns the preferred master of a device: the device's hash over the sorted members, the
     * same on every node. When it is connected and has not handed the device off, it masters it.
     *
     * @param deviceId the device
     * @return the preferred master
     */
    public NodeId preferredMaster(DeviceId deviceId) {
        List<NodeId> eligible = masterCandidates(deviceId);
        return eligible.get(Math.floorMod(deviceId.uri().hashCode(), eligible.size()));
    }

    /** The members but the assigned Raft leader of the partition holding the device's election (see {@link ElectionLayout}). */
    private List<NodeId> masterCandidates(DeviceId deviceId) {
        ElectionLayout current = layout;
        Optional<NodeId> partitionLeader = current == null ? Optional.empty() : current.assignedLeaderOf(topic(deviceId));
        if (partitionLeader.isEmpty() || sortedMembers.size() < 2) {
            return sortedMembers;
        }
        return sortedMembers.stream().filter(m -> !m.equals(partitionLeader.get())).toList();
    }

    /**
     * Returns the preferred first standby of a device: one of the other members, and not the
     * assigned leader of the partition holding the device's election where another is left (so
     * that the standby, once master, does not lead that partition either), picked by the rest of
     * the device's hash. The devices a node prefers to master thus have their first standbys
     * spread over the other nodes, and when that node dies its devices are shared among the
     * survivors instead of all falling to one of them.
     *
     * @param deviceId the device
     * @return the preferred first standby; empty in a one-member cluster
     */
    public Optional<NodeId> preferredStandby(DeviceId deviceId) {
        int n = sortedMembers.size();
        if (n < 2) {
            return Optional.empty();
        }
        int hash = deviceId.uri().hashCode();
        NodeId master = preferredMaster(deviceId);
        List<NodeId> candidates = masterCandidates(deviceId);
        List<NodeId> others = (candidates.size() > 1 ? candidates : sortedMembers).stream()
                .filter(m -> !m.equals(master)).toList();
        return Optional.of(others.get(Math.floorMod(Math.floorDiv(hash, n), others.size())));
    }

    /**
     * Moves this node to its preferred place in a device's election: the preferred master takes
     * the lead ({@code anoint}); the preferred standby moves to the head of the standbys
     * ({@code promote}, which never displaces the master). Runs on the event thread after each
     * change of the device's election.
     */
    private void balance(DeviceId deviceId) {
        MastershipInfo info = getMastershipFor(deviceId);
        if (!claimed.contains(deviceId) || yielded.contains(deviceId) || !info.backups().contains(local)) {
            return;
        }
        if (preferredMaster(deviceId).equals(local)) {
            // Atomix's anoint starts a new term even when this node already leads: a second call, made
            // on a view that does not show the first one's result yet, would bump the term under the
            // new master and fail its writes in flight. One anoint at a time, until the view shows this
            // node as master (update) or the call fails.
            if (anointing.putIfAbsent(deviceId, System.nanoTime()) == null) {
                elector.anoint(topic(deviceId), local.id()).orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .whenComplete((led, e) -> {
                            if (e != null || !Boolean.TRUE.equals(led)) {
                                anointing.remove(deviceId);
                            }
                            if (e != null) {
                                log.warn("Node {} could not take the mastership of {}: {}", local, deviceId,
                                        e.toString());
                            }
                        });
            }
        } else if (preferredStandby(deviceId).filter(local::equals).isPresent()
                && !info.backups().get(0).equals(local)) {
            warnIfFails(elector.promote(topic(deviceId), local.id()), "become first standby of", deviceId);
        }
    }

    /** Bounds a balancing call; its failure is a warning (the next election change balances again). */
    private void warnIfFails(CompletableFuture<?> call, String what, DeviceId deviceId) {
        call.orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((done, e) -> {
            if (e != null) {
                log.warn("Node {} could not {} {}: {}", local, what, deviceId, e.toString());
            }
        });
    }

    private void onLeadershipEvent(LeadershipEvent<String> event) {
        DeviceId deviceId = update(event.topic(), event.newLeadership());
        if (deviceId == null) {
            return;
        }
        try {
            events.execute(() -> balance(deviceId));
        } catch (RejectedExecutionException e) {
            // Atomix may still deliver an event it had in flight when this service stopped.
            log.debug("Node {} stopped; leadership event of {} not balanced", local, deviceId);
        }
    }

    /**
     * Re-reads every election (catching events missed while this node's session was down) and
     * runs again for each connected device whose candidates no longer include this node.
     * Runs on the event thread.
     */
    private void reconcile() {
        AsyncLeaderElector<String> current = elector;
        if (current == null) {
            return;
        }
        ElectionLayout assigned = layout;
        if (assigned != null && System.nanoTime() - startedAt > TimeUnit.MILLISECONDS.toNanos(CATCH_UP_MILLIS)) {
            cluster.leadAssignedPartitions(assigned);
        }
        if (rereading) {
            return;
        }
        rereading = true;
        // Never blocks the event thread: listeners are told of failovers on it.
        current.getLeaderships().orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((leaderships, e) -> {
                    rereading = false;
                    if (e != null) {
                        log.warn("Node {} could not re-read the mastership elections: {}", local, e.toString());
                        return;
                    }
                    leaderships.forEach(this::update);
                    // An anoint that led nowhere the view shows (its answer and events long past) is forgotten,
                    // so balancing can ask again.
                    long stale = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(CALL_TIMEOUT_MILLIS);
                    anointing.entrySet().removeIf(a -> a.getValue() < stale);
                    for (DeviceId deviceId : claimed) {
                        Leadership<String> leadership = leaderships.get(topic(deviceId));
                        if (elector != null && (leadership == null || !leadership.candidates().contains(local.id()))) {
                            log.info("Node {} is connected to {} but no longer a candidate for its mastership "
                                    + "(evicted, or its session expired): running again", local, deviceId);
                            claim(deviceId);
                        }
                    }
                }, events);
    }

    private void onMembershipEvent(ClusterMembershipEvent event) {
        if (event.type() == ClusterMembershipEvent.Type.MEMBER_REMOVED) {
            evict(event.subject().id().id(), "the cluster removed it");
        }
    }

    /**
     * A peer is lost (its process is gone, or it answered no heartbeat for the failure timeout:
     * see {@code AtomixCluster.LostPeer}), sooner than the cluster removes it, if ever (Atomix
     * never removes a paused process), and is evicted from the elections. Usually at once: by the
     * layout, its devices' elections sit in partitions that live nodes lead, which apply the
     * eviction at once, while the partitions it led elect a new leader (a survivor stands at once,
     * {@code RaftServers}). Where it did lead the partition of one of its own devices' elections
     * (the layout not restored yet after a restart), the eviction waits until every partition this
     * node serves has another leader: sent sooner, it would meet no leader there and wait out
     * Atomix's client retry (1 s, then 2 s). Runs on the event thread.
     */
    private void onPeerLost(AtomixCluster.LostPeer lost) {
        ElectionLayout current = layout;
        Set<PartitionId> led = lost.ledDataPartitions();
        boolean ownElectionsStalled = current == null ? !led.isEmpty() : view.entrySet().stream()
                .anyMatch(e -> e.getValue().isMaster(lost.node()) && led.contains(current.partitionOf(topic(e.getKey()))));
        if (ownElectionsStalled) {
            evictOnceLedByOthers(lost, System.nanoTime());
        } else {
            // The usual case, by the layout: the elections of the lost node's devices are in partitions
            // led by live nodes, which evict it at once; the ones it led elect a leader meanwhile.
            evict(lost.node().id(), lost.why());
        }
    }

    private void evictOnceLedByOthers(AtomixCluster.LostPeer lost, long since) {
        if (elector == null) {
            return;
        }
        boolean led = cluster.dataGroupLedByOthers(lost.node());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        if (led || waited > LEADER_WAIT_MILLIS) {
            if (!led) {
                log.info("Node {}: the elections still have no leader but the lost {} after {} ms; evicting it anyway",
                        local, lost.node(), waited);
            }
            evict(lost.node().id(), lost.why() + (waited > 0 ? " (evicted once its Raft partitions had other leaders, "
                    + waited + " ms later)" : ""));
            return;
        }
        try {
            events.schedule(() -> evictOnceLedByOthers(lost, since), LEADER_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Node {} stopped; {} not evicted", local, lost.node());
        }
    }

    /**
     * Withdraws a node from every election: its devices move to their next standbys. On the
     * membership's removal of the node, and sooner when this node lost it.
     */
    private void evict(String gone, String why) {
        AsyncLeaderElector<String> current = elector;
        if (current == null) {
            return;
        }
        if (!cluster.hearsMajority()) {
            // Seen in chaos runs: a cut-off node's evictions waited in its Raft client and were applied once
            // the link healed, evicting both healthy nodes; every device moved to it and took a minute to settle.
            log.info("Node {} does not evict {} ({}): it hears no majority of the members and may be the one cut off",
                    local, gone, why);
            return;
        }
        if (cluster.isActive(NodeId.nodeId(gone))) {
            // An eviction decided earlier (held until the lost node's partitions had other leaders) for a peer
            // that answers again: seen with a flapping link, it evicted a healthy node once the link was back.
            log.info("Node {} does not evict {} ({}): it answers again", local, gone, why);
            return;
        }
        long started = System.nanoTime();
        current.evict(gone).orTimeout(CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((ok, e) -> {
            if (e != null) {
                // The partitions that answered applied it; one that the lost node led may have had no leader.
                log.warn("Node {} could not confirm the eviction of {} ({}) from every partition of the elections"
                        + " within {} ms: {}", local, gone, why, CALL_TIMEOUT_MILLIS, e.toString());
            } else {
                log.info("Node {} evicted {} from the elections in {} ms: {}", local, gone,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), why);
            }
        });
    }

    /** Records a leadership in the view and tells listeners; returns its device, or null for a foreign topic. */
    private DeviceId update(String topic, Leadership<String> leadership) {
        if (!topic.startsWith("device:")) {
            return null;
        }
        DeviceId deviceId = DeviceId.deviceId(topic.substring("device:".length()));
        MastershipInfo next = toInfo(leadership);
        // Answers to our own calls can arrive after newer events: the view never goes back a term.
        MastershipInfo previous = view.get(deviceId);
        MastershipInfo merged = view.merge(deviceId, next, (old, candidate) -> {
            if (candidate.master().isEmpty()) {
                // Every candidate left: no master, no new term (the election carries none).
                return new MastershipInfo(old.term(), Optional.empty(), candidate.backups());
            }
            return candidate.term() >= old.term() ? candidate : old;
        });
        if (merged.isMaster(local)) {
            anointing.remove(deviceId);
        }
        if (!merged.equals(previous) && (merged == next || merged.master().isEmpty())) {
            ReplicaInfoEvent.Type type = previous == null || previous.term() != merged.term()
                    || !previous.master().equals(merged.master())
                    ? ReplicaInfoEvent.Type.MASTER_CHANGED : ReplicaInfoEvent.Type.BACKUPS_CHANGED;
            listeners.post(new ReplicaInfoEvent(type, deviceId, merged));
        }
        return deviceId;
    }

    private static MastershipInfo toInfo(Leadership<String> leadership) {
        if (leadership == null) {
            return MastershipInfo.NONE;
        }
        Optional<NodeId> master = Optional.ofNullable(leadership.leader()).map(l -> NodeId.nodeId(l.id()));
        long term = leadership.leader() == null ? 0 : leadership.leader().term();
        List<NodeId> backups = leadership.candidates().stream().map(NodeId::nodeId)
                .filter(n -> master.isEmpty() || !master.get().equals(n)).distinct().toList();
        return new MastershipInfo(term, master, backups);
    }

    private static String topic(DeviceId deviceId) {
        return "device:" + deviceId.uri();
    }

}
