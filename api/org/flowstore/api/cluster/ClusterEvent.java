package org.flowstore.api.cluster;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.NodeId;

/**
 * A change of cluster membership.
 *
 * @param type what happened
 * @param node the node it happened to
 */
public record ClusterEvent(Type type, NodeId node) {

    /** Kind of membership change. */
    public enum Type {
        /** The node joined and is reachable. */
        NODE_UP,
        /** The node left or was declared failed. */
        NODE_DOWN
    }

    /** Checks both parts are present. */
    public ClusterEvent {
        requireNonNull(type, "type");
        requireNonNull(node, "node");
    }
}
