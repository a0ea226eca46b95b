package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A standby's answer to a {@link DigestCheck}: its copy's version, and, when the versions are the
 * same, the buckets whose digests differ.
 *
 * @param version the standby's version
 * @param differing indexes of the buckets that differ (empty when the versions differ: not comparable)
 */
public record DigestResult(TableVersion version, List<Integer> differing) {

    /** Copies the list. */
    public DigestResult {
        requireNonNull(version, "version");
        differing = List.copyOf(requireNonNull(differing, "differing"));
    }
}
