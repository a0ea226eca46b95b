package org.flowstore.serializers.protocol;

import static java.util.Objects.requireNonNull;

import org.flowstore.api.flow.DefaultFlowEntry;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowEntryState;
import org.flowstore.api.flow.FlowId;
import org.flowstore.api.flow.FlowLiveType;

/**
 * A change to an entry that a standby holds already with the same rule: its state and counters,
 * named by flow id; it travels inside a {@link BackupDelta} (no wire id of its own). A device
 * confirming a flow (PENDING_ADD to ADDED), a statistics poll and a REMOVE marking an entry
 * PENDING_REMOVE change nothing else, so the rule (most of an entry's bytes, and most of the cost
 * of decoding one) does not travel again.
 *
 * @param flowId the entry's flow id
 * @param state its state
 * @param liveType its live type
 * @param life seconds on the device
 * @param packets packets matched
 * @param bytes bytes matched
 * @param lastSeen when the device last reported it, in epoch milliseconds
 */
public record EntryUpdate(FlowId flowId, FlowEntryState state, FlowLiveType liveType, long life, long packets,
                          long bytes, long lastSeen) {

    /** Checks the fields are present. */
    public EntryUpdate {
        requireNonNull(flowId, "flowId");
        requireNonNull(state, "state");
        requireNonNull(liveType, "liveType");
    }

    /**
     * Returns the update that gives an entry's state and counters to the copy of its rule a standby holds.
     *
     * @param entry the entry as it is now
     * @return the update
     */
    public static EntryUpdate of(FlowEntry entry) {
        return new EntryUpdate(entry.id(), entry.state(), entry.liveType(), entry.life(), entry.packets(),
                entry.bytes(), entry.lastSeen());
    }

    /**
     * Returns a held entry with this update's state and counters.
     *
     * @param held the entry as the standby holds it, with this update's flow id
     * @return the updated entry, holding the same rule
     * @throws IllegalArgumentException if the entry has another flow id
     */
    public DefaultFlowEntry applyTo(FlowEntry held) {
        if (!held.id().equals(flowId)) {
            throw new IllegalArgumentException("update of flow " + flowId + " applied to flow " + held.id());
        }
        return DefaultFlowEntry.copyOf(held).state(state).liveType(liveType).life(life).packets(packets).bytes(bytes)
                .lastSeen(lastSeen).build();
    }
}
