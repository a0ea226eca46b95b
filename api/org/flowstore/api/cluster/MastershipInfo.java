package org.flowstore.api.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.NodeId;

/**
 * A device's mastership at one moment, read atomically: the term, the master and the ordered
 * standbys. The term grows by at least one every time the master changes; a write made in an
 * older term is stale.
 *
 * @param term the mastership term (0: never had a master)
 * @param master the master, empty when the device has none
 * @param backups the standbys in order of succession; never contains the master
 */
public record MastershipInfo(long term, Optional<NodeId> master, List<NodeId> backups) {

    /** Mastership of a device that has no master and no standbys. */
    public static final MastershipInfo NONE = new MastershipInfo(0, Optional.empty(), List.of());

    /** Copies the standbys and checks the master is not among them. */
    public MastershipInfo {
        checkArgument(term >= 0, "term cannot be negative: %s", term);
        requireNonNull(master, "master");
        backups = ImmutableList.copyOf(requireNonNull(backups, "backups"));
        checkArgument(master.isEmpty() || !backups.contains(master.get()), "master %s is also a backup", master);
    }

    /**
     * Returns the mastership with a master.
     *
     * @param term the term
     * @param master the master
     * @param backups the standbys in order
     * @return the mastership
     */
    public static MastershipInfo of(long term, NodeId master, List<NodeId> backups) {
        return new MastershipInfo(term, Optional.of(master), backups);
    }

    /**
     * Returns true when a node is the master.
     *
     * @param node the node
     * @return true for the master
     */
    public boolean isMaster(NodeId node) {
        return master.isPresent() && master.get().equals(node);
    }
}
