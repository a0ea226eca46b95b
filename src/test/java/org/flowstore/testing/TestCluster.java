package org.flowstore.testing;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.store.flow.DistributedFlowRuleStore;

/**
 * A cluster of flow stores a scenario runs on: real Atomix nodes ({@link AtomixTestCluster}) or
 * in-memory ones ({@link InMemoryCluster}). Every node's delegate acts as an instant device: it
 * completes every REQUESTED batch at once and records every event it sees.
 */
public interface TestCluster extends AutoCloseable {

    /** One node of the cluster. */
    interface Node {

        /** Returns the node's id. */
        NodeId id();

        /** Returns the node's flow store. */
        DistributedFlowRuleStore store();

        /** Returns the node's view of the mastership. */
        MastershipService mastership();

        /** Returns every event the node's delegate received, in order. */
        List<FlowRuleBatchEvent> events();

        /** Returns when each batch this node issued completed ({@link System#nanoTime}). */
        Map<Long, Long> completedAtNanos();

        /** Cuts the node off the cluster at once: no hand-off, no withdrawal; its store just goes silent. */
        void crash();
    }

    /** Returns the nodes, n1 first. */
    List<? extends Node> nodes();

    /** Returns a node by id. */
    default Node node(NodeId id) {
        return nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    @Override
    void close() throws IOException;
}
