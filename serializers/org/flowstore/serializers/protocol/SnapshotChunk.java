package org.flowstore.serializers.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.TableStatisticsEntry;

/**
 * One piece of a whole device table sent to a copy that is new or behind. Chunks of one
 * snapshot share its id and version and arrive in index order; the last one carries the table
 * statistics.
 *
 * @param deviceId the device
 * @param term the sender's mastership term (0 when a standby sends its copy to a new master)
 * @param snapshotId identifies the snapshot the chunk belongs to
 * @param version the version of the whole snapshot
 * @param index the chunk's position, from 0
 * @param last true for the final chunk
 * @param entries the entries of this chunk
 * @param statistics the table statistics (on the last chunk), or null
 */
public record SnapshotChunk(DeviceId deviceId, long term, long snapshotId, TableVersion version, int index,
                            boolean last, List<FlowEntry> entries, List<TableStatisticsEntry> statistics) {

    /** Copies the lists and checks the index. */
    public SnapshotChunk {
        requireNonNull(deviceId, "deviceId");
        requireNonNull(version, "version");
        checkArgument(index >= 0, "chunk index cannot be negative");
        entries = ImmutableList.copyOf(requireNonNull(entries, "entries"));
        statistics = statistics == null ? null : ImmutableList.copyOf(statistics);
    }
}
