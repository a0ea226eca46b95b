package org.flowstore.api.flow;

import java.util.Collection;
import java.util.List;

import org.flowstore.api.DeviceId;

/**
 * What a {@link FlowRuleProvider} reports back to the flow-rule manager: the flows a device
 * holds and its table statistics, polled periodically on the device's master.
 */
public interface FlowRuleProviderService {

    /**
     * Reports every flow a device holds, with its counters. The manager confirms pending flows,
     * removes confirmed deletions, re-applies flows the device lost and removes flows the store
     * does not know.
     *
     * @param deviceId the device
     * @param flows everything in its flow table
     */
    void pushFlowMetrics(DeviceId deviceId, Collection<? extends FlowEntry> flows);

    /**
     * Reports a device's table statistics.
     *
     * @param deviceId the device
     * @param tables one entry per table
     */
    void pushTableStatistics(DeviceId deviceId, List<TableStatisticsEntry> tables);

    /**
     * Reports that a device removed one of its flows by itself: its idle or hard timeout expired,
     * or someone deleted it behind the controller's back. The manager forgets an expired temporary
     * flow and confirms a removal it asked for; a flow the store still wants is pushed again.
     *
     * @param deviceId the device
     * @param flowId the flow's id (an OpenFlow switch reports it as the flow's cookie)
     * @param expired true when a timeout removed it, false when it was deleted
     */
    void flowRemoved(DeviceId deviceId, FlowId flowId, boolean expired);
}
