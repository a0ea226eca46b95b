package org.flowstore.api.store;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.NodeId;

/**
 * How full one node is: the flows it holds, as master or standby, and its memory bound. Past the
 * bound, batches that would add flows to the devices it masters or stands by for are refused as
 * overloaded.
 *
 * @param node the node
 * @param heldFlows the flows the node holds, in every device table it has a copy of
 * @param maxFlows the node's bound ({@code maxFlowsPerNode}, or the one derived from its heap)
 */
public record NodeCapacity(NodeId node, long heldFlows, long maxFlows) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if the node is null
     * @throws IllegalArgumentException if a count is negative or the bound is 0
     */
    public NodeCapacity {
        requireNonNull(node, "node");
        if (heldFlows < 0 || maxFlows < 1) {
            throw new IllegalArgumentException("node " + node + " holds " + heldFlows + " flows under a bound of "
                    + maxFlows);
        }
    }

    /**
     * Returns true when the node holds as many flows as its bound allows, or more.
     *
     * @return true at the bound
     */
    public boolean atBound() {
        return heldFlows >= maxFlows;
    }
}
