package org.flowstore.api.flow.instructions;

import static java.util.Objects.requireNonNull;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.VlanId;

/**
 * Set the VLAN id.
 *
 * @param vlanId the new VLAN id
 */
public record ModVlanIdInstruction(VlanId vlanId) implements L2ModificationInstruction {

    /** Checks the VLAN id is present. */
    public ModVlanIdInstruction {
        requireNonNull(vlanId, "VLAN_ID vlanId");
    }

    @Override
    public L2SubType subtype() {
        return L2SubType.VLAN_ID;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(type().ordinal()).putInt(L2SubType.VLAN_ID.ordinal()).putInt(vlanId.toInt());
    }

    @Override
    public String toString() {
        return "VLAN_ID:" + vlanId;
    }
}
