package org.flowstore.api.flow.instructions;

/** Modification of an L4 header field; {@link #subtype()} says which. */
public sealed interface L4ModificationInstruction extends Instruction permits ModTransportPortInstruction {

    /** L4 field modified. The order of the constants is part of the wire format: append only. */
    enum L4SubType {
        /** TCP source port. */
        TCP_SRC,
        /** TCP destination port. */
        TCP_DST,
        /** UDP source port. */
        UDP_SRC,
        /** UDP destination port. */
        UDP_DST,
        /** SCTP source port. */
        SCTP_SRC,
        /** SCTP destination port. */
        SCTP_DST
    }

    /** Returns the field modified. */
    L4SubType subtype();

    @Override
    default Type type() {
        return Type.L4MODIFICATION;
    }
}
