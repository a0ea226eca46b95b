package org.flowstore.api.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Name of a kind of cluster message, such as {@code flowstore-batch-apply}. Every subject a
 * component uses is declared in one place in that component.
 *
 * @param value the subject's name
 */
public record MessageSubject(String value) {

    /** Checks the name is not blank. */
    public MessageSubject {
        requireNonNull(value, "subject");
        checkArgument(!value.isBlank(), "message subject cannot be blank");
    }

    @Override
    public String toString() {
        return value;
    }
}
