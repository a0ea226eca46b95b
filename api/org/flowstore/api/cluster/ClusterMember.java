package org.flowstore.api.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import org.flowstore.api.NodeId;

/**
 * One configured member of the cluster: its id and the address its messaging listens on.
 *
 * @param id the node id
 * @param host the host name or IP literal
 * @param port the TCP port, 1 to 65535
 */
public record ClusterMember(NodeId id, String host, int port) {

    /** Checks the parts. */
    public ClusterMember {
        requireNonNull(id, "id");
        requireNonNull(host, "host");
        checkArgument(!host.isBlank(), "member %s has a blank host", id);
        checkArgument(port > 0 && port <= 0xFFFF, "member %s port must be 1..65535, was %s", id, port);
    }

    /**
     * Parses {@code id@host:port}.
     *
     * @param text the member text
     * @return the member
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static ClusterMember parse(String text) {
        requireNonNull(text, "member");
        String t = text.trim();
        int at = t.indexOf('@');
        int colon = t.lastIndexOf(':');
        checkArgument(at > 0 && colon > at + 1 && colon < t.length() - 1,
                "member must look like id@host:port, was '%s'", text);
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("member port is not a number in '" + text + "'");
        }
        return new ClusterMember(NodeId.nodeId(t.substring(0, at)), t.substring(at + 1, colon), port);
    }

    /**
     * Parses a comma-separated list of {@code id@host:port}.
     *
     * @param text the list
     * @return the members, in order
     * @throws IllegalArgumentException if an item is malformed or an id repeats
     */
    public static List<ClusterMember> parseList(String text) {
        requireNonNull(text, "members");
        List<ClusterMember> members = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                ClusterMember m = parse(item);
                checkArgument(members.stream().noneMatch(o -> o.id().equals(m.id())), "member %s listed twice", m.id());
                members.add(m);
            }
        }
        checkArgument(!members.isEmpty(), "no cluster members in '%s'", text);
        return List.copyOf(members);
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
