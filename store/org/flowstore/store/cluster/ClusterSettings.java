package org.flowstore.store.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.flowstore.api.NodeId;

/**
 * How a node joins the cluster.
 *
 * @param localNode this node's id; must be one of the members
 * @param members every member, this node included (the Raft groups span all of them)
 * @param dataDirectory where this node keeps its Raft logs
 * @param probeInterval SWIM probe interval
 * @param suspectProbes failed probes before a member is suspected
 * @param failureTimeout time a suspected member has to answer before it is removed
 * @param startTimeout how long starting may take before it fails
 */
public record ClusterSettings(NodeId localNode, List<ClusterMember> members, Path dataDirectory,
                              Duration probeInterval, int suspectProbes, Duration failureTimeout,
                              Duration startTimeout) {

    /** Default SWIM probe interval: fast failure detection on a LAN (see ATOMIX-NOTES). */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofMillis(100);
    /** Default failed probes before suspicion. */
    public static final int DEFAULT_SUSPECT_PROBES = 3;
    /** Default time before a suspected member is removed. */
    public static final Duration DEFAULT_FAILURE_TIMEOUT = Duration.ofMillis(1000);
    /** Default bound on start-up. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    /** Checks the parts and that the local node is a member. */
    public ClusterSettings {
        requireNonNull(localNode, "localNode");
        members = List.copyOf(requireNonNull(members, "members"));
        requireNonNull(dataDirectory, "dataDirectory");
        checkArgument(members.stream().anyMatch(m -> m.id().equals(localNode)),
                "local node %s is not among the members %s", localNode, members);
        checkArgument(probeInterval.toMillis() >= 10, "probeInterval must be at least 10 ms");
        checkArgument(suspectProbes >= 1, "suspectProbes must be at least 1");
        checkArgument(failureTimeout.compareTo(probeInterval) > 0, "failureTimeout must exceed probeInterval");
        checkArgument(!startTimeout.isNegative() && !startTimeout.isZero(), "startTimeout must be positive");
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
        return new ClusterSettings(localNode, members, dataDirectory, DEFAULT_PROBE_INTERVAL, DEFAULT_SUSPECT_PROBES,
                DEFAULT_FAILURE_TIMEOUT, DEFAULT_START_TIMEOUT);
    }

    /** Returns this node's member entry. */
    public ClusterMember localMember() {
        return members.stream().filter(m -> m.id().equals(localNode)).findFirst().orElseThrow();
    }
}
