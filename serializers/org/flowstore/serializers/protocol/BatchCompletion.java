package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.DeviceId;
import org.flowstore.api.flow.CompletedBatchOperation;

/**
 * A device's master tells a batch's issuer that the device finished the batch. It carries the
 * outcome only: the issuer kept the batch it forwarded, so the batch's operations (a thousand
 * rules, for a large batch) do not travel back.
 *
 * @param batchId the batch's id, unique per device on its issuer
 * @param result what the device did: success, or the rules that failed and why; names the device
 */
public record BatchCompletion(long batchId, CompletedBatchOperation result) {

    /** Checks the result is present. */
    public BatchCompletion {
        requireNonNull(result, "result");
    }

    /** Returns the device that finished the batch. */
    public DeviceId deviceId() {
        return result.deviceId();
    }
}
