package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.PrimitiveSink;

/**
 * A protocol-independent (P4) match: fields of the device's pipeline, each matched its own way.
 *
 * @param matches the field matches, at least one, each field once
 */
public record PiCriterion(List<PiFieldMatch> matches) implements Criterion {

    /** Copies the matches and checks each field appears once. */
    public PiCriterion {
        matches = ImmutableList.copyOf(requireNonNull(matches, "matches"));
        checkArgument(!matches.isEmpty(), "PROTOCOL_INDEPENDENT needs at least one field match");
        checkArgument(matches.stream().map(PiFieldMatch::fieldId).distinct().count() == matches.size(),
                "PROTOCOL_INDEPENDENT matches a field once: %s", matches);
    }

    @Override
    public Type type() {
        return Type.PROTOCOL_INDEPENDENT;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.PROTOCOL_INDEPENDENT.code()).putInt(matches.size());
        matches.forEach(m -> m.funnel(sink));
    }

    @Override
    public String toString() {
        return "PROTOCOL_INDEPENDENT:" + matches;
    }
}
