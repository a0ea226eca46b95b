package org.flowstore.api.flow.instructions;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.flow.criteria.Criterion;
import org.flowstore.api.flow.criteria.FieldCriterion;

/**
 * Set a header field that no L2, L3 or L4 modification names, to the value of an exact criterion
 * on that field (OpenFlow's set-field; {@link #SETTABLE} lists the fields): the value is written
 * and checked as a match on it would be. Fields a modification names (ETH_DST, VLAN_VID,
 * IPV4_SRC, TCP_DST, MPLS_LABEL, ...) are set with that modification, so each action has one form.
 *
 * @param field an exact criterion on a settable field, holding the new value
 */
public record SetFieldInstruction(Criterion field) implements Instruction {

    /** The fields set this way. */
    public static final Set<Criterion.Type> SETTABLE = EnumSet.of(Criterion.Type.ETH_TYPE, Criterion.Type.IP_ECN,
            Criterion.Type.IP_PROTO, Criterion.Type.ICMPV4_TYPE, Criterion.Type.ICMPV4_CODE, Criterion.Type.ICMPV6_TYPE,
            Criterion.Type.ICMPV6_CODE, Criterion.Type.ARP_TPA, Criterion.Type.ARP_THA, Criterion.Type.IPV6_ND_TARGET,
            Criterion.Type.IPV6_ND_SLL, Criterion.Type.IPV6_ND_TLL, Criterion.Type.MPLS_TC, Criterion.Type.PBB_ISID,
            Criterion.Type.INNER_VLAN_VID, Criterion.Type.INNER_VLAN_PCP);

    /** Checks the field is settable this way and the criterion is an exact value. */
    public SetFieldInstruction {
        requireNonNull(field, "field");
        checkArgument(SETTABLE.contains(field.type()), "SET_FIELD of %s: set it with its L2/L3/L4 modification, or it"
                + " cannot be set (settable this way: %s)", field.type(), SETTABLE);
        checkArgument(!(field instanceof FieldCriterion f) || f.exact(), "SET_FIELD of %s takes a value, not a mask",
                field.type());
    }

    @Override
    public Type type() {
        return Type.SET_FIELD;
    }

    @Override
    public void funnel(PrimitiveSink sink) {
        sink.putInt(Type.SET_FIELD.ordinal());
        field.funnel(sink);
    }

    @Override
    public String toString() {
        return "SET_FIELD:" + field;
    }
}
