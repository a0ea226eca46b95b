package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.TableStatisticsEntry;

/**
 * The changes a master made to a device's table between two versions, sent to its standbys: the
 * entries new or holding a new rule (whole), the entries whose state or counters alone changed
 * (as {@link EntryUpdate}s: the standby holds their rule), the flows removed (by id), and the
 * table statistics if they changed. A standby applies it only on top of exactly {@code from}. Each
 * flow appears once (a merge joins only deltas of different flows), so the order of the changes
 * does not matter.
 *
 * @param deviceId the device
 * @param term the master's term
 * @param from the version the changes apply to
 * @param to the version after them
 * @param upserts entries added or given a new rule, in their latest form
 * @param updates state and counters of entries the standby holds with the same rule
 * @param removals flows removed
 * @param statistics the table statistics, or null when they did not change
 */
public record BackupDelta(DeviceId deviceId, long term, TableVersion from, TableVersion to, List<FlowEntry> upserts,
                          List<EntryUpdate> updates, List<FlowId> removals, List<TableStatisticsEntry> statistics) {

    /** Copies the lists. */
    public BackupDelta {
        requireNonNull(deviceId, "deviceId");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        upserts = ImmutableList.copyOf(requireNonNull(upserts, "upserts"));
        updates = ImmutableList.copyOf(requireNonNull(updates, "updates"));
        removals = ImmutableList.copyOf(requireNonNull(removals, "removals"));
        statistics = statistics == null ? null : ImmutableList.copyOf(statistics);
    }

    /** Returns the number of entries this delta changes. */
    public int size() {
        return upserts.size() + updates.size() + removals.size();
    }

    /**
     * Returns a builder of a delta's changes.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a delta's changes, each flow once (the caller's duty), in any order. */
    public static final class Builder {
        private final ImmutableList.Builder<FlowEntry> upserts = ImmutableList.builder();
        private final ImmutableList.Builder<EntryUpdate> updates = ImmutableList.builder();
        private final ImmutableList.Builder<FlowId> removals = ImmutableList.builder();

        private Builder() {
        }

        /**
         * Adds an entry that is new, or holds a rule the standby does not hold.
         *
         * @param entry the entry as it is now
         * @return this builder
         */
        public Builder upsert(FlowEntry entry) {
            upserts.add(entry);
            return this;
        }

        /**
         * Adds the state and counters of an entry the standby holds with the same rule.
         *
         * @param update the update
         * @return this builder
         */
        public Builder update(EntryUpdate update) {
            updates.add(update);
            return this;
        }

        /**
         * Adds a removed flow.
         *
         * @param flowId its flow id
         * @return this builder
         */
        public Builder remove(FlowId flowId) {
            removals.add(flowId);
            return this;
        }

        /**
         * Builds the delta.
         *
         * @param deviceId the device
         * @param term the master's term
         * @param from the version the changes apply to
         * @param to the version after them
         * @param statistics the table statistics, or null when they did not change
         * @return the delta
         */
        public BackupDelta build(DeviceId deviceId, long term, TableVersion from, TableVersion to,
                                 List<TableStatisticsEntry> statistics) {
            return new BackupDelta(deviceId, term, from, to, upserts.build(), updates.build(), removals.build(),
                    statistics);
        }
    }
}
