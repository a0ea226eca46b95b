package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.List;

import com.google.common.collect.ImmutableList;
import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.ByteString;

/**
 * A protocol-independent (P4) action (ONOS's PROTOCOL_INDEPENDENT instruction): an action of the
 * pipeline with its parameters (ACTION), or a member or group of an action profile.
 *
 * @param subtype which of the three
 * @param actionId the action's id in the pipeline (ACTION), else null
 * @param params the action's parameters (ACTION; possibly none), else empty
 * @param profileId the group or member id (ACTION_PROFILE_GROUP_ID, ACTION_PROFILE_MEMBER_ID), else 0
 */
public record PiInstruction(Subtype subtype, String actionId, List<Param> params, long profileId) implements Instruction {

    /** What the instruction names. Written on the wire by position: append only. */
    public enum Subtype {
        /** An action with parameters. */
        ACTION,
        /** A group of an action profile. */
        ACTION_PROFILE_GROUP_ID,
        /** A member of an action profile. */
        ACTION_PROFILE_MEMBER_ID
    }

    /**
     * A parameter of an action.
     *
     * @param id the parameter's id in the pipeline
     * @param value its value
     */
    public record Param(String id, ByteString value) {

        /** Checks the parts. */
        public Param {
            requireNonNull(id, "param id");
            checkArgument(!id.isBlank() && id.length() <= 256, "a P4 action parameter id has 1 to 256 characters");
            requireNonNull(value, "param " + id + " value");
        }
    }

    /** Checks that exactly the parts of the subtype are present. */
    public PiInstruction {
        requireNonNull(subtype, "subtype");
        params = ImmutableList.copyOf(requireNonNull(params, "params"));
        if (subtype == Subtype.ACTION) {
            checkArgument(actionId != null && !actionId.isBlank() && actionId.length() <= 256,
                    "a P4 ACTION needs an actionId of 1 to 256 characters");
            checkArgument(profileId == 0, "a P4 ACTION has no profile id");
            checkArgument(params.stream().map(Param::id).distinct().count() == params.size(),
                    "P4 action %s sets a parameter once: %s", actionId, params);
        } else {
            checkArgument(actionId == null && params.isEmpty(), "%s has no action id or parameters", subtype);
            checkArgument(profileId >= 0 && profileId <= 0xFFFF_FFFFL, "%s must be 0..2^32-1, was %s", subtype, profileId);
        }
    }

    /** Returns an action with parameters. */
    public static PiInstruction action(String actionId, List<Param> params) {
        return new PiInstruction(Subtype.ACTION, actionId, params, 0);
    }

    /** Returns a group or member of an action profile. */
    public static PiInstruction profile(Subtype subtype, long id) {
        return new PiInstruction(subtype, null, List.of(), id);
    }

    @Override
    public Type type() {
        return Type.PROTOCOL_INDEPENDENT;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.PROTOCOL_INDEPENDENT.ordinal()).putInt(subtype.ordinal()).putLong(profileId);
        if (actionId != null) {
            sink.putUnencodedChars(actionId);
        }
        for (Param p : params) {
            sink.putUnencodedChars(p.id()).putInt(p.value().size()).putBytes(p.value().toByteArray());
        }
    }

    @Override
    public String toString() {
        return subtype == Subtype.ACTION ? "PROTOCOL_INDEPENDENT:" + actionId + params
                : "PROTOCOL_INDEPENDENT:" + subtype + ":" + profileId;
    }
}
