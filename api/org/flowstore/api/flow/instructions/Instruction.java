package org.flowstore.api.flow.instructions;

import com.google.common.hash.PrimitiveSink;

/**
 * One instruction of a traffic treatment. Immutable; equal when kind and values are equal.
 * The set of kinds is closed: every kind crosses the wire and has a JSON form.
 */
public sealed interface Instruction
        permits OutputInstruction, GroupInstruction, MeterInstruction, TableTypeTransition, SetQueueInstruction,
                NoActionInstruction, L2ModificationInstruction, L3ModificationInstruction, L4ModificationInstruction,
                WriteMetadataInstruction, SetFieldInstruction, ModOchSignalInstruction, ModOduSignalIdInstruction,
                PiInstruction, ExtensionInstruction {

    /**
     * Kind of instruction, named as in ONOS's JSON. The order of the constants is part of the
     * wire and digest formats: add new kinds at the end only.
     */
    enum Type {
        /** Send out of a port. */
        OUTPUT,
        /** Apply a group. */
        GROUP,
        /** Apply a meter. */
        METER,
        /** Continue in another table. */
        TABLE,
        /** Enqueue on a queue. */
        QUEUE,
        /** Drop: do nothing. */
        NOACTION,
        /** Modify an L2 header field. */
        L2MODIFICATION,
        /** Modify an L3 header field. */
        L3MODIFICATION,
        /** Modify an L4 header field. */
        L4MODIFICATION,
        /** Write metadata under a mask, for the next tables (OpenFlow's write-metadata). */
        METADATA,
        /** Set a header field that no L2/L3/L4 modification names (OpenFlow's set-field; flowstore's form). */
        SET_FIELD,
        /** Tune an optical channel (ONOS's L0 modification). */
        L0MODIFICATION,
        /** Set an ODU signal (ONOS's L1 modification). */
        L1MODIFICATION,
        /** A protocol-independent (P4) action (ONOS). */
        PROTOCOL_INDEPENDENT,
        /** A device-specific action carried as bytes (ONOS). */
        EXTENSION
    }

    /** Returns the kind of this instruction. */
    Type type();

    /**
     * Writes a canonical, platform-independent encoding of this instruction into a hash sink,
     * used for table digests that must agree across nodes.
     *
     * @param sink where the bytes go
     */
    void funnel(PrimitiveSink sink);
}
