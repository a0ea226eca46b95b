package org.flowstore.api.flow.criteria;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.VlanId;

/**
 * Match on the VLAN id.
 *
 * @param vlanId the VLAN id (or {@link VlanId#NONE} for untagged, {@link VlanId#ANY} for any tag)
 */
public record VlanIdCriterion(VlanId vlanId) implements Criterion {

    /** Checks the VLAN id is present. */
    public VlanIdCriterion {
        requireNonNull(vlanId, "VLAN_VID vlanId");
    }

    @Override
    public Type type() {
        return Type.VLAN_VID;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.VLAN_VID.oxmField()).putInt(vlanId.toInt());
    }

    @Override
    public String toString() {
        return "VLAN_VID:" + vlanId;
    }
}
