package org.flowstore.api.cluster;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.flowstore.api.NodeId;

/** Membership of the controller cluster as seen from this node. */
public interface ClusterService {

    /** Returns this node's id. */
    NodeId getLocalNode();

    /** Returns every configured member, up or down. */
    Set<NodeId> getNodes();

    /**
     * Returns every configured member with its address, up or down.
     *
     * @return the members, in configuration order
     */
    List<ClusterMember> getMembers();

    /**
     * Returns true when a node is a member and currently reachable.
     *
     * @param node the node
     * @return true when up
     */
    boolean isActive(NodeId node);

    /**
     * Registers a listener of membership changes. Listeners run on an event thread of the
     * service and must not block.
     *
     * @param listener the listener
     */
    void addListener(Consumer<ClusterEvent> listener);

    /**
     * Unregisters a listener.
     *
     * @param listener the listener that was added
     */
    void removeListener(Consumer<ClusterEvent> listener);
}
