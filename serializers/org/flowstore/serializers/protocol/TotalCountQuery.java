package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

import org.flowstore.api.DeviceId;

/**
 * Asks a node for the sum of the entry counts of the devices it masters among a list.
 *
 * @param deviceIds the devices
 */
public record TotalCountQuery(List<DeviceId> deviceIds) {

    /** Copies the list. */
    public TotalCountQuery {
        deviceIds = ImmutableList.copyOf(requireNonNull(deviceIds, "deviceIds"));
    }
}
