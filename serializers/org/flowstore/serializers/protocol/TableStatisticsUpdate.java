package org.flowstore.serializers.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.TableStatisticsEntry;

/**
 * Carries a device's table statistics to its master.
 *
 * @param deviceId the device
 * @param statistics one entry per table, all of {@code deviceId}
 */
public record TableStatisticsUpdate(DeviceId deviceId, List<TableStatisticsEntry> statistics) {

    /** Copies the list and checks every entry is of the device. */
    public TableStatisticsUpdate {
        requireNonNull(deviceId, "deviceId");
        statistics = ImmutableList.copyOf(requireNonNull(statistics, "statistics"));
        for (TableStatisticsEntry s : statistics) {
            checkArgument(s.deviceId().equals(deviceId), "statistics of %s sent for %s", s.deviceId(), deviceId);
        }
    }
}
