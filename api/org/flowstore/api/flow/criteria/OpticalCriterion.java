package org.flowstore.api.flow.criteria;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.OchSignal;
import org.flowstore.api.OchSignalType;
import org.flowstore.api.OduSignalId;
import org.flowstore.api.OduSignalType;

/**
 * Match on an optical signal, as ONOS does for optical devices: an OCh signal (OCH_SIGID) or its
 * grid type (OCH_SIGTYPE), an ODU signal (ODU_SIGID) or its type (ODU_SIGTYPE). Exactly the part
 * the type names is present.
 *
 * @param type OCH_SIGID, OCH_SIGTYPE, ODU_SIGID or ODU_SIGTYPE
 * @param ochSignal the OCh signal of OCH_SIGID, else null
 * @param ochSignalType the grid type of OCH_SIGTYPE, else null
 * @param oduSignalId the ODU signal of ODU_SIGID, else null
 * @param oduSignalType the ODU type of ODU_SIGTYPE, else null
 */
public record OpticalCriterion(Type type, OchSignal ochSignal, OchSignalType ochSignalType, OduSignalId oduSignalId,
                               OduSignalType oduSignalType) implements Criterion {

    /** Checks that exactly the part the type names is present. */
    public OpticalCriterion {
        requireNonNull(type, "type");
        checkArgument(type == Type.OCH_SIGID || type == Type.OCH_SIGTYPE || type == Type.ODU_SIGID
                || type == Type.ODU_SIGTYPE, "OpticalCriterion needs an OCH_ or ODU_ type, not %s", type);
        checkArgument((ochSignal != null) == (type == Type.OCH_SIGID)
                && (ochSignalType != null) == (type == Type.OCH_SIGTYPE)
                && (oduSignalId != null) == (type == Type.ODU_SIGID)
                && (oduSignalType != null) == (type == Type.ODU_SIGTYPE), "%s needs its value, and only it", type);
    }

    /** Returns a match on an OCh signal. */
    public static OpticalCriterion of(OchSignal signal) {
        return new OpticalCriterion(Type.OCH_SIGID, signal, null, null, null);
    }

    /** Returns a match on an OCh signal's grid type. */
    public static OpticalCriterion of(OchSignalType signalType) {
        return new OpticalCriterion(Type.OCH_SIGTYPE, null, signalType, null, null);
    }

    /** Returns a match on an ODU signal. */
    public static OpticalCriterion of(OduSignalId signal) {
        return new OpticalCriterion(Type.ODU_SIGID, null, null, signal, null);
    }

    /** Returns a match on an ODU signal's type. */
    public static OpticalCriterion of(OduSignalType signalType) {
        return new OpticalCriterion(Type.ODU_SIGTYPE, null, null, null, signalType);
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type.code());
        switch (type) {
            case OCH_SIGID -> sink.putInt(ochSignal.gridType().ordinal()).putInt(ochSignal.channelSpacing().ordinal())
                    .putInt(ochSignal.spacingMultiplier()).putInt(ochSignal.slotGranularity());
            case OCH_SIGTYPE -> sink.putInt(ochSignalType.ordinal());
            case ODU_SIGID -> sink.putInt(oduSignalId.tributaryPortNumber()).putInt(oduSignalId.tributarySlotLength())
                    .putBytes(oduSignalId.tributarySlotBitmap().toByteArray());
            default -> sink.putInt(oduSignalType.ordinal());
        }
    }

    @Override
    public String toString() {
        Object value = ochSignal != null ? ochSignal : ochSignalType != null ? ochSignalType
                : oduSignalId != null ? oduSignalId : oduSignalType;
        return type + ":" + value;
    }
}
