package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;

/**
 * Statistics of one flow table of a device, as the device reports them.
 *
 * @param deviceId the device
 * @param tableId the table, 0 to 254
 * @param activeFlowEntries entries in the table
 * @param packetsLookedUp packets looked up in the table
 * @param packetsMatched packets that matched an entry
 */
public record TableStatisticsEntry(DeviceId deviceId, int tableId, long activeFlowEntries, long packetsLookedUp,
                                   long packetsMatched) {

    /** Checks the device is present and the numbers are in range. */
    public TableStatisticsEntry {
        requireNonNull(deviceId, "deviceId");
        checkArgument(tableId >= 0 && tableId <= 254, "tableId must be 0..254, was %s", tableId);
        checkArgument(activeFlowEntries >= 0 && packetsLookedUp >= 0 && packetsMatched >= 0,
                "table statistics of %s table %s cannot be negative", deviceId, tableId);
    }
}
