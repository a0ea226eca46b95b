package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;

/**
 * A list of registered values, as the answer of a request (entries, table statistics).
 *
 * @param values the values, none null
 */
public record ValueList(List<?> values) {

    /** Copies the list. */
    public ValueList {
        values = ImmutableList.copyOf(requireNonNull(values, "values"));
    }
}
