package org.flowstore.app.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.ClusterService;

/** {@code flowstore:nodes}: the cluster's members and their state; {@code *} marks this node. */
@Service
@Command(scope = "flowstore", name = "nodes", description = "Shows the cluster's members and their state")
public final class NodesCommand implements Action {

    @Reference
    ClusterService cluster;

    @Override
    public Object execute() {
        NodeId local = cluster.getLocalNode();
        cluster.getNodes().stream().sorted().forEach(node -> System.out.printf("id=%s, state=%s%s%n", node,
                node.equals(local) || cluster.isActive(node) ? "ACTIVE" : "INACTIVE", node.equals(local) ? " *" : ""));
        return null;
    }
}
