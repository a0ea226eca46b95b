package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.TableStatisticsEntry;

/**
 * The changes a master made to a device's table between two versions, sent to its standbys:
 * the entries as they are now, the rules removed, and the table statistics if they changed. A
 * standby applies it only on top of exactly {@code from}.
 *
 * @param deviceId the device
 * @param term the master's term
 * @param from the version the changes apply to
 * @param to the version after them
 * @param upserts entries added or changed, in their latest form
 * @param removals rules removed
 * @param statistics the table statistics, or null when they did not change
 */
public record BackupDelta(DeviceId deviceId, long term, TableVersion from, TableVersion to, List<FlowEntry> upserts,
                          List<FlowRule> removals, List<TableStatisticsEntry> statistics) {

    /** Copies the lists. */
    public BackupDelta {
        requireNonNull(deviceId, "deviceId");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        upserts = ImmutableList.copyOf(requireNonNull(upserts, "upserts"));
        removals = ImmutableList.copyOf(requireNonNull(removals, "removals"));
        statistics = statistics == null ? null : ImmutableList.copyOf(statistics);
    }

    /**
     * Builds a delta from the changes to a table, each rule once.
     *
     * @param deviceId the device
     * @param term the master's term
     * @param from the version the changes apply to
     * @param to the version after them
     * @param changes each changed rule with its entry as it is now, or null when it was removed
     * @param statistics the table statistics, or null when they did not change
     * @return the delta: the entries as upserts, the rules mapped to null as removals
     */
    public static BackupDelta ofChanges(DeviceId deviceId, long term, TableVersion from, TableVersion to,
                                        Map<? extends FlowRule, ? extends FlowEntry> changes,
                                        List<TableStatisticsEntry> statistics) {
        ImmutableList.Builder<FlowEntry> upserts = ImmutableList.builderWithExpectedSize(changes.size());
        ImmutableList.Builder<FlowRule> removals = ImmutableList.builder();
        changes.forEach((rule, entry) -> {
            if (entry == null) {
                removals.add(rule);
            } else {
                upserts.add(entry);
            }
        });
        return new BackupDelta(deviceId, term, from, to, upserts.build(), removals.build(), statistics);
    }

    /** Returns the number of entries this delta changes. */
    public int size() {
        return upserts.size() + removals.size();
    }
}
