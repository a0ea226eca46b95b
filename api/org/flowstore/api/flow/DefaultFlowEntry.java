package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.base.MoreObjects;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;

/**
 * The immutable flow entry. A change of state or counters is a new entry ({@link #withState},
 * {@link #builder(FlowRule)}); readers never see an entry change under them.
 *
 * <p>Equality: two {@code DefaultFlowEntry}s are equal when every field is equal, the rule's
 * treatment and owner included ({@link FlowRule#exactMatch}).
 */
public final class DefaultFlowEntry implements FlowEntry {

    private final FlowRule rule;
    private final FlowEntryState state;
    private final FlowLiveType liveType;
    private final long life;
    private final long packets;
    private final long bytes;
    private final long lastSeen;

    private DefaultFlowEntry(Builder b) {
        this(b, b.rule);
    }

    private DefaultFlowEntry(Builder b, FlowRule rule) {
        this.rule = rule;
        this.state = b.state;
        this.liveType = b.liveType;
        this.life = b.life;
        this.packets = b.packets;
        this.bytes = b.bytes;
        this.lastSeen = b.lastSeen;
    }

    /**
     * Returns a new entry for a rule: PENDING_ADD, no counters, never seen.
     *
     * @param rule the rule
     * @return the entry
     */
    public static DefaultFlowEntry pendingAdd(FlowRule rule) {
        return builder(rule).build();
    }

    /**
     * Returns a new entry for a rule its device's master applied: PENDING_ADD, no counters, and
     * {@link #lastSeen} the time it was applied (as ONOS stamps a new entry), from which the
     * flow-rule manager tells a flow still on its way to the device from one the device lost.
     *
     * @param rule the rule
     * @param appliedMillis when the master applied it, in milliseconds since the epoch
     * @return the entry
     */
    public static DefaultFlowEntry pendingAdd(FlowRule rule, long appliedMillis) {
        return builder(rule).lastSeen(appliedMillis).build();
    }

    /**
     * Returns a builder of an entry for a rule (state PENDING_ADD, counters 0, live type UNKNOWN).
     *
     * @param rule the rule; if it is itself an entry, its inner rule is used, and a rule of
     *             another implementation is copied into a {@link DefaultFlowRule}
     * @return the builder
     */
    public static Builder builder(FlowRule rule) {
        return new Builder(plain(rule));
    }

    /** Entries always hold a {@link DefaultFlowRule}, whose equality is the match identity. */
    private static FlowRule plain(FlowRule rule) {
        FlowRule inner = rule instanceof FlowEntry e ? e.rule() : rule;
        return inner instanceof DefaultFlowRule ? inner : DefaultFlowRule.copyOf(inner).build();
    }

    /**
     * Returns a builder that starts with every field of an entry.
     *
     * @param entry the entry to copy
     * @return the builder
     */
    public static Builder copyOf(FlowEntry entry) {
        return builder(entry.rule()).state(entry.state()).liveType(entry.liveType()).life(entry.life())
                .packets(entry.packets()).bytes(entry.bytes()).lastSeen(entry.lastSeen());
    }

    /**
     * Returns this entry in another state.
     *
     * @param newState the state
     * @return the entry (this one if the state is unchanged)
     */
    public DefaultFlowEntry withState(FlowEntryState newState) {
        return newState == state ? this : copyOf(this).state(newState).build();
    }

    /**
     * Returns this entry holding another version of its rule (same match, new treatment, owner or
     * timeouts), keeping state and counters: what a MODIFY does.
     *
     * @param newRule the rule, with the same match as this entry's
     * @return the entry
     * @throws IllegalArgumentException if the rule has another match
     */
    public DefaultFlowEntry withRule(FlowRule newRule) {
        FlowRule plain = plain(newRule);
        checkArgument(plain.sameMatch(rule), "rule %s does not have the match of entry %s", plain.id(), rule.id());
        return new DefaultFlowEntry(copyOf(this), plain);
    }

    @Override
    public FlowRule rule() {
        return rule;
    }

    @Override
    public FlowEntryState state() {
        return state;
    }

    @Override
    public long life() {
        return life;
    }

    @Override
    public long packets() {
        return packets;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public long lastSeen() {
        return lastSeen;
    }

    @Override
    public FlowLiveType liveType() {
        return liveType;
    }

    @Override
    public FlowId id() {
        return rule.id();
    }

    @Override
    public DeviceId deviceId() {
        return rule.deviceId();
    }

    @Override
    public int tableId() {
        return rule.tableId();
    }

    @Override
    public int priority() {
        return rule.priority();
    }

    @Override
    public TrafficSelector selector() {
        return rule.selector();
    }

    @Override
    public TrafficTreatment treatment() {
        return rule.treatment();
    }

    @Override
    public ApplicationId appId() {
        return rule.appId();
    }

    @Override
    public int idleTimeout() {
        return rule.idleTimeout();
    }

    @Override
    public int hardTimeout() {
        return rule.hardTimeout();
    }

    @Override
    public boolean isPermanent() {
        return rule.isPermanent();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof DefaultFlowEntry other && state == other.state && life == other.life
                && packets == other.packets && bytes == other.bytes && lastSeen == other.lastSeen
                && liveType == other.liveType && rule.exactMatch(other.rule));
    }

    @Override
    public int hashCode() {
        return rule.hashCode() * 31 + state.ordinal();
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper("FlowEntry")
                .add("rule", rule)
                .add("state", state)
                .add("life", life)
                .add("packets", packets)
                .add("bytes", bytes)
                .add("lastSeen", lastSeen)
                .add("liveType", liveType)
                .toString();
    }

    /** Builds a {@link DefaultFlowEntry}. */
    public static final class Builder {

        private final FlowRule rule;
        private FlowEntryState state = FlowEntryState.PENDING_ADD;
        private FlowLiveType liveType = FlowLiveType.UNKNOWN;
        private long life;
        private long packets;
        private long bytes;
        private long lastSeen;

        private Builder(FlowRule rule) {
            this.rule = requireNonNull(rule, "rule");
        }

        /**
         * Sets the state.
         *
         * @param state the state
         * @return this builder
         */
        public Builder state(FlowEntryState state) {
            this.state = requireNonNull(state, "state");
            return this;
        }

        /**
         * Sets the statistics polling type.
         *
         * @param liveType the type
         * @return this builder
         */
        public Builder liveType(FlowLiveType liveType) {
            this.liveType = requireNonNull(liveType, "liveType");
            return this;
        }

        /**
         * Sets the time on the device.
         *
         * @param lifeSeconds seconds, not negative
         * @return this builder
         */
        public Builder life(long lifeSeconds) {
            this.life = lifeSeconds;
            return this;
        }

        /**
         * Sets the packet counter.
         *
         * @param packets packets, not negative
         * @return this builder
         */
        public Builder packets(long packets) {
            this.packets = packets;
            return this;
        }

        /**
         * Sets the byte counter.
         *
         * @param bytes bytes, not negative
         * @return this builder
         */
        public Builder bytes(long bytes) {
            this.bytes = bytes;
            return this;
        }

        /**
         * Sets when the device last reported the entry.
         *
         * @param lastSeenMillis milliseconds since the epoch, 0 for never
         * @return this builder
         */
        public Builder lastSeen(long lastSeenMillis) {
            this.lastSeen = lastSeenMillis;
            return this;
        }

        /**
         * Returns the entry.
         *
         * @return the entry
         * @throws IllegalArgumentException if a counter or time is negative
         */
        public DefaultFlowEntry build() {
            checkArgument(life >= 0 && packets >= 0 && bytes >= 0 && lastSeen >= 0,
                    "life, packets, bytes and lastSeen of %s cannot be negative", rule.id());
            return new DefaultFlowEntry(this);
        }
    }
}
