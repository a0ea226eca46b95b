package org.flowstore.api.flow;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Objects;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.PortNumber;
import org.flowstore.api.flow.instructions.GroupInstruction;
import org.flowstore.api.flow.instructions.Instruction;
import org.flowstore.api.flow.instructions.Instructions;
import org.flowstore.api.flow.instructions.MeterInstruction;
import org.flowstore.api.flow.instructions.SetQueueInstruction;
import org.flowstore.api.flow.instructions.TableTypeTransition;

/**
 * What a flow rule does with matching packets: immediate instructions, deferred instructions
 * (the write-actions set) and whether the deferred set is cleared first.
 *
 * <p>Treatments are interned when built: rules that do the same thing (typically "output to
 * port N") share one instance, which keeps a large table small.
 */
public final class TrafficTreatment {

    private static final Interner<TrafficTreatment> INTERNER = Interners.newWeakInterner();
    private static final HashFunction FINGERPRINT = Hashing.murmur3_128(0x7ea7);

    /** The treatment with no instructions. */
    public static final TrafficTreatment EMPTY = builder().build();

    private final ImmutableList<Instruction> immediate;
    private final ImmutableList<Instruction> deferred;
    private final boolean clearDeferred;
    private final int hash;
    private final long fingerprint;

    private TrafficTreatment(ImmutableList<Instruction> immediate, ImmutableList<Instruction> deferred,
                             boolean clearDeferred) {
        this.immediate = immediate;
        this.deferred = deferred;
        this.clearDeferred = clearDeferred;
        this.hash = Objects.hash(immediate, deferred, clearDeferred);
        Hasher hasher = FINGERPRINT.newHasher();
        funnel(hasher);
        this.fingerprint = hasher.hash().asLong();
    }

    /** Returns a builder of an empty treatment. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the instructions applied immediately, in order. */
    public List<Instruction> immediate() {
        return immediate;
    }

    /** Returns the instructions written to the action set, in order. */
    public List<Instruction> deferred() {
        return deferred;
    }

    /** Returns true when the deferred action set is cleared before the deferred instructions. */
    public boolean clearedDeferred() {
        return clearDeferred;
    }

    /** Returns the immediate then the deferred instructions. */
    public List<Instruction> allInstructions() {
        return ImmutableList.<Instruction>builder().addAll(immediate).addAll(deferred).build();
    }

    /**
     * Returns a 64-bit hash of the canonical encoding: the same on every node and across
     * restarts, unlike {@link #hashCode()}. Table digests are built from it.
     *
     * @return the fingerprint
     */
    public long fingerprint() {
        return fingerprint;
    }

    /**
     * Writes the canonical encoding of this treatment into a hash sink.
     *
     * @param sink where the bytes go
     */
    public void funnel(PrimitiveSink sink) {
        sink.putInt(immediate.size());
        immediate.forEach(i -> i.funnel(sink));
        sink.putInt(deferred.size());
        deferred.forEach(i -> i.funnel(sink));
        sink.putBoolean(clearDeferred);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof TrafficTreatment other && hash == other.hash
                && clearDeferred == other.clearDeferred && immediate.equals(other.immediate)
                && deferred.equals(other.deferred));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "[immediate=" + immediate + ", deferred=" + deferred + (clearDeferred ? ", clearDeferred" : "") + "]";
    }

    /** Builds a treatment. */
    public static final class Builder {

        private final ImmutableList.Builder<Instruction> immediate = ImmutableList.builder();
        private final ImmutableList.Builder<Instruction> deferred = ImmutableList.builder();
        private boolean clearDeferred;

        private Builder() {
        }

        /**
         * Appends an immediate instruction.
         *
         * @param instruction the instruction
         * @return this builder
         */
        public Builder add(Instruction instruction) {
            immediate.add(requireNonNull(instruction, "instruction"));
            return this;
        }

        /**
         * Appends a deferred (write-actions) instruction.
         *
         * @param instruction the instruction
         * @return this builder
         */
        public Builder addDeferred(Instruction instruction) {
            deferred.add(requireNonNull(instruction, "instruction"));
            return this;
        }

        /**
         * Outputs to a port.
         *
         * @param port the port
         * @return this builder
         */
        public Builder setOutput(PortNumber port) {
            return add(Instructions.createOutput(port));
        }

        /** Drops the packet. */
        public Builder drop() {
            return add(Instructions.createNoAction());
        }

        /**
         * Applies a group.
         *
         * @param groupId the group id
         * @return this builder
         */
        public Builder group(int groupId) {
            return add(new GroupInstruction(groupId));
        }

        /**
         * Applies a meter.
         *
         * @param meterId the meter id
         * @return this builder
         */
        public Builder meter(long meterId) {
            return add(new MeterInstruction(meterId));
        }

        /**
         * Continues in another table.
         *
         * @param tableId the table
         * @return this builder
         */
        public Builder transition(int tableId) {
            return add(new TableTypeTransition(tableId));
        }

        /**
         * Enqueues on a queue.
         *
         * @param queueId the queue
         * @return this builder
         */
        public Builder setQueue(long queueId) {
            return add(new SetQueueInstruction(queueId));
        }

        /** Clears the deferred action set before applying the deferred instructions. */
        public Builder wipeDeferred() {
            clearDeferred = true;
            return this;
        }

        /** Returns the (interned) treatment. */
        public TrafficTreatment build() {
            return INTERNER.intern(new TrafficTreatment(immediate.build(), deferred.build(), clearDeferred));
        }
    }
}
