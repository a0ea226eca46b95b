package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * Returns the values as the element type the request's route promises.
     *
     * @param type that type
     * @param <T> the type
     * @return the values, unmodifiable
     * @throws IllegalStateException if a value is of another type
     */
    public <T> List<T> values(Class<T> type) {
        List<T> typed = new ArrayList<>(values.size());
        for (Object v : values) {
            if (!type.isInstance(v)) {
                throw new IllegalStateException("expected values of type " + type.getSimpleName() + ", got "
                        + v.getClass().getSimpleName());
            }
            typed.add(type.cast(v));
        }
        return Collections.unmodifiableList(typed);
    }
}
