package org.flowstore.store.cluster;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of how a node joins the cluster ({@link AtomixCluster}'s configuration).
 * Read as a map by {@link ClusterSettings#fromProperties}, which names any invalid value.
 * Changing any of them restarts the node's cluster services (there is no live change of membership).
 */
@ObjectClassDefinition(name = "flowstore cluster node",
        description = "This node's identity in the flowstore cluster, the members, and failure detection")
@interface ClusterProperties {

    /** This node's id: one of the members. */
    @AttributeDefinition(description = "This node's id; must be one of the members")
    String nodeId();

    /** Every member, this node included. */
    @AttributeDefinition(description = "Every member as id@host:port, comma-separated, this node included")
    String members();

    /** Where this node keeps its Raft logs. */
    @AttributeDefinition(required = false,
            description = "Directory of this node's Raft logs (default data/flowstore/<nodeId>, relative to the working directory)")
    String dataDirectory();

    /** SWIM probe interval in milliseconds. */
    @AttributeDefinition(description = "Milliseconds between failure-detection probes (10..10000)")
    int probeInterval() default 100;

    /** Milliseconds a probe waits for its answer. */
    @AttributeDefinition(description = "Milliseconds a failure-detection probe waits for its answer; an indirect"
            + " probe through a peer waits twice as long (10..60000)")
    int probeTimeout() default 250;

    /** Failed probes before a member is suspected. */
    @AttributeDefinition(description = "Failed probes before a member is suspected (1..100)")
    int suspectProbes() default ClusterSettings.DEFAULT_SUSPECT_PROBES;

    /** Milliseconds a suspected member has before it is removed. */
    @AttributeDefinition(description = "Milliseconds a suspected member has to answer before it is removed (> probeInterval, <= 600000)")
    int failureTimeout() default 1000;

    /** Milliseconds start-up (and shutdown) may take. */
    @AttributeDefinition(description = "Milliseconds joining or leaving the cluster may take (1000..3600000)")
    int startTimeout() default 90_000;

    /** Milliseconds a Raft follower waits for its leader before it stands. */
    @AttributeDefinition(description = "Milliseconds a Raft follower waits for its leader before it stands, plus a"
            + " random part as long (200..10000; Atomix's own is 2500)")
    int raftElectionTimeout() default 1000;
}
