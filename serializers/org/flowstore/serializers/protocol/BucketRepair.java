package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.FlowEntry;

/**
 * The master's content of the buckets a standby found different: the standby replaces exactly
 * those buckets, if its copy is still at the same version.
 *
 * @param deviceId the device
 * @param term the master's term
 * @param version the version both copies are at
 * @param buckets the indexes of the buckets replaced
 * @param entries every entry of those buckets
 */
public record BucketRepair(DeviceId deviceId, long term, TableVersion version, List<Integer> buckets,
                           List<FlowEntry> entries) {

    /** Copies the lists. */
    public BucketRepair {
        requireNonNull(deviceId, "deviceId");
        requireNonNull(version, "version");
        buckets = List.copyOf(requireNonNull(buckets, "buckets"));
        entries = ImmutableList.copyOf(requireNonNull(entries, "entries"));
    }
}
