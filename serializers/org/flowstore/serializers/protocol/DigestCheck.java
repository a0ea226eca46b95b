package org.flowstore.serializers.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;

import org.flowstore.api.DeviceId;

/**
 * Anti-entropy: a master's per-bucket digests of a device table at a version, for a standby to
 * compare with its copy's.
 *
 * @param deviceId the device
 * @param term the master's term
 * @param version the master's version the digests were taken at
 * @param digests one digest per bucket
 */
public record DigestCheck(DeviceId deviceId, long term, TableVersion version, long[] digests) {

    /** Copies the digests. */
    public DigestCheck {
        requireNonNull(deviceId, "deviceId");
        requireNonNull(version, "version");
        checkArgument(digests.length > 0 && digests.length <= 4096, "between 1 and 4096 bucket digests");
        digests = digests.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DigestCheck other && deviceId.equals(other.deviceId) && term == other.term
                && version.equals(other.version) && Arrays.equals(digests, other.digests);
    }

    @Override
    public int hashCode() {
        return deviceId.hashCode() * 31 + Arrays.hashCode(digests);
    }

    @Override
    public String toString() {
        return "DigestCheck[" + deviceId + " " + version + ", " + digests.length + " buckets]";
    }
}
