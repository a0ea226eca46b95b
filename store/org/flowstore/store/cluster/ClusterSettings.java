package org.flowstore.store.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterMember;

/**
 * How a node joins the cluster.
 *
 * @param localNode this node's id; must be one of the members
 * @param members every member, this node included (the Raft groups span all of them)
 * @param dataDirectory where this node keeps its Raft logs
 * @param probeInterval SWIM probe interval
 * @param probeTimeout how long a SWIM probe waits for its answer (an indirect probe, twice as long):
 *                     a paused or cut-off member is suspected this soon, instead of after
 *                     Atomix's 2 s and 4 s
 * @param suspectProbes failed probes before a member is suspected
 * @param failureTimeout time a suspected member has to answer before it is removed
 * @param startTimeout how long starting may take before it fails
 * @param raftElectionTimeout how long a Raft follower waits for its leader before it stands (plus
 *                            a random part as long); Atomix's own is 2,500 ms
 */
public record ClusterSettings(NodeId localNode, List<ClusterMember> members, Path dataDirectory,
                              Duration probeInterval, Duration probeTimeout, int suspectProbes,
                              Duration failureTimeout,
                              Duration startTimeout, Duration raftElectionTimeout) {

    /** Default SWIM probe interval: fast failure detection on a LAN (see ATOMIX-NOTES). */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(100);
    /** Default wait for a probe's answer; a live node on a LAN answers within milliseconds. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(250);
    /** Default failed probes before suspicion. */
    public static final int DEFAULT_SUSPECT_PROBES = 3;
    /** Default time before a suspected member is removed. */
    public static final Duration DEFAULT_FAILURE_TIMEOUT = Duration.ofMillis(1000);
    /** Default bound on start-up. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    /** Default Raft election timeout: a partition whose leader died has a new one within 1 to 2 s. */
    public static final Duration DEFAULT_RAFT_ELECTION_TIMEOUT = Duration.ofMillis(1000);

    /** Checks the parts and that the local node is a member. */
    public ClusterSettings {
        requireNonNull(localNode, "localNode");
        members = List.copyOf(requireNonNull(members, "members"));
        requireNonNull(dataDirectory, "dataDirectory");
        checkArgument(members.stream().anyMatch(m -> m.id().equals(localNode)),
                "local node %s is not among the members %s", localNode, members);
        checkArgument(probeInterval.toMillis() >= 10, "probeInterval must be at least 10 ms");
        checkArgument(probeTimeout.toMillis() >= 10, "probeTimeout must be at least 10 ms");
        checkArgument(suspectProbes >= 1, "suspectProbes must be at least 1");
        checkArgument(failureTimeout.compareTo(probeInterval) > 0, "failureTimeout must exceed probeInterval");
        checkArgument(!startTimeout.isNegative() && !startTimeout.isZero(), "startTimeout must be positive");
        checkArgument(raftElectionTimeout.toMillis() >= 200 && raftElectionTimeout.toMillis() <= 10_000,
                "raftElectionTimeout must be 200..10000 ms, was %s", raftElectionTimeout.toMillis());
    }

    /**
     * Returns settings with the default timings.
     *
     * @param localNode this node
     * @param members every member
     * @param dataDirectory where the Raft logs go
     * @return the settings
     */
    public static ClusterSettings of(NodeId localNode, List<ClusterMember> members, Path dataDirectory) {
        return new ClusterSettings(localNode, members, dataDirectory, DEFAULT_PROBE_INTERVAL, DEFAULT_PROBE_TIMEOUT,
                DEFAULT_SUSPECT_PROBES,
                DEFAULT_FAILURE_TIMEOUT, DEFAULT_START_TIMEOUT, DEFAULT_RAFT_ELECTION_TIMEOUT);
    }

    /** Property naming this node. */
    public static final String NODE_ID = "nodeId";
    /** Property listing every member, {@code id@host:port,...}. */
    public static final String MEMBERS = "members";
    /** Property naming the Raft log directory. */
    public static final String DATA_DIRECTORY = "dataDirectory";
    /** Property: SWIM probe interval in ms. */
    public static final String PROBE_INTERVAL = "probeInterval";
    /** Property: ms a SWIM probe waits for its answer. */
    public static final String PROBE_TIMEOUT = "probeTimeout";
    /** Property: failed probes before suspicion. */
    public static final String SUSPECT_PROBES = "suspectProbes";
    /** Property: ms before a suspected member is removed. */
    public static final String FAILURE_TIMEOUT = "failureTimeout";
    /** Property: ms joining or leaving may take. */
    public static final String START_TIMEOUT = "startTimeout";
    /** Property: ms a Raft follower waits for its leader before it stands. */
    public static final String RAFT_ELECTION_TIMEOUT = "raftElectionTimeout";
    /** Every property name. */
    public static final List<String> PROPERTIES = List.of(NODE_ID, MEMBERS, DATA_DIRECTORY, PROBE_INTERVAL,
            PROBE_TIMEOUT, SUSPECT_PROBES, FAILURE_TIMEOUT, START_TIMEOUT, RAFT_ELECTION_TIMEOUT);

    /**
     * Builds settings from configuration properties (component properties, a properties file or
     * command-line flags): {@value #NODE_ID} and {@value #MEMBERS} are required, the rest default.
     *
     * @param properties the properties; values may be strings or numbers
     * @return the settings
     * @throws IllegalArgumentException naming the first missing or invalid property
     */
    public static ClusterSettings fromProperties(Map<String, ?> properties) {
        NodeId node = NodeId.nodeId(required(properties, NODE_ID));
        List<ClusterMember> members = ClusterMember.parseList(required(properties, MEMBERS));
        Object dir = properties.get(DATA_DIRECTORY);
        Path dataDirectory = dir == null || dir.toString().isBlank()
                ? Path.of("data", "flowstore", node.id()) : Path.of(dir.toString().trim());
        return new ClusterSettings(node, members, dataDirectory,
                Duration.ofMillis(number(properties, PROBE_INTERVAL, DEFAULT_PROBE_INTERVAL.toMillis(), 10, 10_000)),
                Duration.ofMillis(number(properties, PROBE_TIMEOUT, DEFAULT_PROBE_TIMEOUT.toMillis(), 10, 60_000)),
                (int) number(properties, SUSPECT_PROBES, DEFAULT_SUSPECT_PROBES, 1, 100),
                Duration.ofMillis(number(properties, FAILURE_TIMEOUT, DEFAULT_FAILURE_TIMEOUT.toMillis(), 11, 600_000)),
                Duration.ofMillis(number(properties, START_TIMEOUT, DEFAULT_START_TIMEOUT.toMillis(), 1000, 3_600_000)),
                Duration.ofMillis(number(properties, RAFT_ELECTION_TIMEOUT, DEFAULT_RAFT_ELECTION_TIMEOUT.toMillis(), 200,
                        10_000)));
    }

    private static String required(Map<String, ?> properties, String name) {
        Object value = properties.get(name);
        if (value instanceof String[] array) {
            value = String.join(",", array);
        }
        checkArgument(value != null && !value.toString().isBlank(), "cluster property %s is required", name);
        return value.toString().trim();
    }

    private static long number(Map<String, ?> properties, String name, long defaultValue, long min, long max) {
        Object raw = properties.get(name);
        if (raw == null) {
            return defaultValue;
        }
        long value;
        try {
            value = raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster property " + name + "='" + raw + "' is not a whole number");
        }
        checkArgument(value >= min && value <= max, "cluster property %s=%s must be %s..%s", name, raw, min, max);
        return value;
    }

    /** Returns this node's member entry. */
    public ClusterMember localMember() {
        return members.stream().filter(m -> m.id().equals(localNode)).findFirst().orElseThrow();
    }
}
