package org.flowstore.api.flow;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

import com.google.common.base.MoreObjects;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;

/**
 * The immutable flow rule. Its id is computed once, when it is built, from a 128-bit MurmurHash3
 * of the canonical encoding of device, table, priority and selector (never from
 * {@code toString()} or JVM hash codes), so every node computes the same id.
 *
 * <p>Equality: two {@code DefaultFlowRule}s are equal when they have the same match identity
 * ({@link #sameMatch}); {@link #exactMatch} compares every field.
 */
public final class DefaultFlowRule implements FlowRule {

    private static final HashFunction MATCH_HASH = Hashing.murmur3_128(0x5f10_57e0);

    private final long id;
    private final DeviceId deviceId;
    private final TrafficSelector selector;
    private final TrafficTreatment treatment;
    private final ApplicationId appId;
    private final short tableId;
    private final char priority;
    private final char idleTimeout;
    private final char hardTimeout;
    private final boolean permanent;

    private DefaultFlowRule(Builder b) {
        this.deviceId = b.deviceId;
        this.tableId = (short) b.tableId;
        this.priority = (char) b.priority.intValue();
        this.selector = b.selector;
        this.treatment = b.treatment;
        this.appId = b.appId;
        this.idleTimeout = (char) b.idleTimeout;
        this.hardTimeout = (char) b.hardTimeout;
        this.permanent = b.permanent;
        long hash = b.matchHash != null ? b.matchHash : matchHash(deviceId, b.tableId, b.priority, selector);
        this.id = FlowId.of(appId.id(), hash).value();
    }

    /** Returns a builder; device, priority, owner and permanence must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder that starts with every field of a rule.
     *
     * @param rule the rule to copy
     * @return the builder
     */
    public static Builder copyOf(FlowRule rule) {
        Builder b = new Builder();
        b.forDevice(rule.deviceId()).forTable(rule.tableId()).withPriority(rule.priority())
         .withSelector(rule.selector()).withTreatment(rule.treatment()).fromApp(rule.appId())
         .withHardTimeout(rule.hardTimeout());
        return rule.isPermanent() ? b.makePermanent() : b.makeTemporary(rule.idleTimeout());
    }

    /**
     * Returns the 48-bit hash of a match identity, the low bits of every flow id with that match.
     *
     * @param deviceId the device
     * @param tableId the table
     * @param priority the priority
     * @param selector the match
     * @return the hash, in the low 48 bits
     */
    public static long matchHash(DeviceId deviceId, int tableId, int priority, TrafficSelector selector) {
        Hasher hasher = MATCH_HASH.newHasher()
                .putString(deviceId.uri(), StandardCharsets.UTF_8)
                .putInt(tableId)
                .putInt(priority);
        selector.funnel(hasher);
        return hasher.hash().asLong() & FlowId.MATCH_HASH_MASK;
    }

    @Override
    public FlowId id() {
        return new FlowId(id);
    }

    @Override
    public DeviceId deviceId() {
        return deviceId;
    }

    @Override
    public int tableId() {
        return tableId;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public TrafficSelector selector() {
        return selector;
    }

    @Override
    public TrafficTreatment treatment() {
        return treatment;
    }

    @Override
    public ApplicationId appId() {
        return appId;
    }

    @Override
    public int idleTimeout() {
        return idleTimeout;
    }

    @Override
    public int hardTimeout() {
        return hardTimeout;
    }

    @Override
    public boolean isPermanent() {
        return permanent;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof DefaultFlowRule other
                && ((id ^ other.id) & FlowId.MATCH_HASH_MASK) == 0 && sameMatch(other));
    }

    /** Derived from the match hash, so it agrees with {@link #equals}. */
    @Override
    public int hashCode() {
        long h = id & FlowId.MATCH_HASH_MASK;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return MoreObjects.toStringHelper("FlowRule")
                .add("id", id())
                .add("deviceId", deviceId)
                .add("tableId", tableId)
                .add("priority", (int) priority)
                .add("selector", selector)
                .add("treatment", treatment)
                .add("appId", appId)
                .add("permanent", permanent)
                .add("idleTimeout", (int) idleTimeout)
                .add("hardTimeout", (int) hardTimeout)
                .toString();
    }

    /** Builds a {@link DefaultFlowRule}; {@link #build()} names the first bad field. */
    public static final class Builder implements FlowRule.Builder {

        private DeviceId deviceId;
        private int tableId;
        private Integer priority;
        private TrafficSelector selector = TrafficSelector.EMPTY;
        private TrafficTreatment treatment = TrafficTreatment.EMPTY;
        private ApplicationId appId;
        private int idleTimeout;
        private int hardTimeout;
        private Boolean permanent;
        private Long matchHash;

        private Builder() {
        }

        /**
         * Gives the rule the match hash another node computed for it ({@link #matchHash} of its
         * device, table, priority and selector), instead of computing it again: for decoders of the
         * store's own messages, whose sender built the same rule, and for whom the hash was most of
         * the cost of decoding a rule. A wrong hash files the rule under another match; every other
         * caller leaves it unset.
         *
         * @param matchHash the hash, in the low 48 bits
         * @return this builder
         */
        public Builder withMatchHash(long matchHash) {
            checkArgument((matchHash & ~FlowId.MATCH_HASH_MASK) == 0, "a match hash has 48 bits, was %s", matchHash);
            this.matchHash = matchHash;
            return this;
        }

        @Override
        public Builder forDevice(DeviceId deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        @Override
        public Builder forTable(int tableId) {
            this.tableId = tableId;
            return this;
        }

        @Override
        public Builder withPriority(int priority) {
            this.priority = priority;
            return this;
        }

        @Override
        public Builder withSelector(TrafficSelector selector) {
            this.selector = selector;
            return this;
        }

        @Override
        public Builder withTreatment(TrafficTreatment treatment) {
            this.treatment = treatment;
            return this;
        }

        @Override
        public Builder fromApp(ApplicationId appId) {
            this.appId = appId;
            return this;
        }

        @Override
        public Builder makePermanent() {
            this.permanent = true;
            this.idleTimeout = 0;
            return this;
        }

        @Override
        public Builder makeTemporary(int idleTimeoutSeconds) {
            this.permanent = false;
            this.idleTimeout = idleTimeoutSeconds;
            return this;
        }

        @Override
        public Builder withHardTimeout(int hardTimeoutSeconds) {
            this.hardTimeout = hardTimeoutSeconds;
            return this;
        }

        @Override
        public DefaultFlowRule build() {
            requireNonNull(deviceId, "deviceId must be set");
            checkArgument(priority != null, "priority must be set");
            checkArgument(priority >= MIN_PRIORITY && priority <= MAX_PRIORITY,
                    "priority must be %s..%s, was %s", MIN_PRIORITY, MAX_PRIORITY, priority);
            checkArgument(tableId >= 0 && tableId <= MAX_TABLE_ID, "tableId must be 0..%s, was %s", MAX_TABLE_ID, tableId);
            requireNonNull(selector, "selector must not be null");
            requireNonNull(treatment, "treatment must not be null");
            requireNonNull(appId, "appId must be set");
            checkArgument(permanent != null, "either makePermanent() or makeTemporary(timeout) must be called");
            checkArgument(idleTimeout >= 0 && idleTimeout <= 0xFFFF, "idleTimeout must be 0..65535 s, was %s", idleTimeout);
            checkArgument(hardTimeout >= 0 && hardTimeout <= 0xFFFF, "hardTimeout must be 0..65535 s, was %s", hardTimeout);
            return new DefaultFlowRule(this);
        }
    }
}
