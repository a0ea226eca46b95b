package org.flowstore.api.flow;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;

import com.google.common.hash.PrimitiveSink;

import org.flowstore.api.IpPrefix;
import org.flowstore.api.MacAddress;
import org.flowstore.api.PortNumber;
import org.flowstore.api.VlanId;
import org.flowstore.api.flow.criteria.Criteria;
import org.flowstore.api.flow.criteria.Criterion;

/**
 * The match of a flow rule: at most one criterion per header field, kept in OXM field order so
 * that equal matches are equal objects regardless of the order they were built in.
 *
 * <p>Held as a bare array because a flow table keeps one selector per rule; see
 * {@link Criteria} for the shared criterion instances.
 */
public final class TrafficSelector {

    /** The selector that matches everything. */
    public static final TrafficSelector EMPTY = new TrafficSelector(new Criterion[0]);

    /** OXM field order; a field's plain and masked kinds (which share a field number) in declaration order. */
    private static final Comparator<Criterion> OXM_ORDER = Comparator.comparingInt((Criterion c) -> c.type().oxmField())
            .thenComparingInt(c -> c.type().ordinal());

    private final Criterion[] criteria;

    private TrafficSelector(Criterion[] criteria) {
        this.criteria = criteria;
    }

    /** Returns a builder of an empty selector. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder that starts with the criteria of a selector.
     *
     * @param selector the selector to copy
     * @return the builder
     */
    public static Builder builder(TrafficSelector selector) {
        Builder builder = new Builder();
        for (Criterion c : selector.criteria) {
            builder.add(c);
        }
        return builder;
    }

    /** Returns the criteria in OXM field order. */
    public List<Criterion> criteria() {
        return List.of(criteria);
    }

    /**
     * Returns the criterion of a header field.
     *
     * @param type the field
     * @return the criterion, or null when the selector does not match on that field
     */
    public Criterion getCriterion(Criterion.Type type) {
        for (Criterion c : criteria) {
            if (c.type() == type) {
                return c;
            }
        }
        return null;
    }

    /**
     * Writes the canonical encoding of every criterion, in order, into a hash sink.
     *
     * @param sink where the bytes go
     */
    public void funnel(PrimitiveSink sink) {
        sink.putInt(criteria.length);
        for (Criterion c : criteria) {
            c.funnel(sink);
        }
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof TrafficSelector other && Arrays.equals(criteria, other.criteria));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(criteria);
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(", ", "[", "]");
        for (Criterion c : criteria) {
            joiner.add(c.toString());
        }
        return joiner.toString();
    }

    /** Builds a selector; a later criterion of the same field replaces an earlier one. */
    public static final class Builder {

        // A selector has a handful of criteria, so a short array scanned by kind: an EnumMap allocated a slot per
        // kind of criterion for every selector decoded (7 % of a cluster bench node's allocation).
        private Criterion[] criteria = new Criterion[4];
        private int size;

        private Builder() {
        }

        /**
         * Adds a criterion, replacing any earlier one of the same field.
         *
         * @param criterion the criterion
         * @return this builder
         */
        public Builder add(Criterion criterion) {
            requireNonNull(criterion, "criterion");
            Criterion.Type type = criterion.type();
            for (int i = 0; i < size; i++) {
                if (criteria[i].type() == type) {
                    criteria[i] = criterion;
                    return this;
                }
            }
            if (size == criteria.length) {
                criteria = Arrays.copyOf(criteria, size * 2);
            }
            criteria[size++] = criterion;
            return this;
        }

        /**
         * Matches the ingress port.
         *
         * @param port the port
         * @return this builder
         */
        public Builder matchInPort(PortNumber port) {
            return add(Criteria.matchInPort(port));
        }

        /**
         * Matches the Ethernet frame type.
         *
         * @param ethType 0 to 0xFFFF
         * @return this builder
         */
        public Builder matchEthType(int ethType) {
            return add(Criteria.matchEthType(ethType));
        }

        /**
         * Matches the Ethernet source address.
         *
         * @param mac the address
         * @return this builder
         */
        public Builder matchEthSrc(MacAddress mac) {
            return add(Criteria.matchEthSrc(mac));
        }

        /**
         * Matches the Ethernet destination address.
         *
         * @param mac the address
         * @return this builder
         */
        public Builder matchEthDst(MacAddress mac) {
            return add(Criteria.matchEthDst(mac));
        }

        /**
         * Matches the VLAN id.
         *
         * @param vlanId the VLAN id
         * @return this builder
         */
        public Builder matchVlanId(VlanId vlanId) {
            return add(Criteria.matchVlanId(vlanId));
        }

        /**
         * Matches the IP protocol.
         *
         * @param protocol 0 to 255
         * @return this builder
         */
        public Builder matchIPProtocol(int protocol) {
            return add(Criteria.matchIPProtocol(protocol));
        }

        /**
         * Matches the IPv4 source prefix.
         *
         * @param prefix the prefix
         * @return this builder
         */
        public Builder matchIPSrc(IpPrefix prefix) {
            return add(Criteria.matchIPSrc(prefix));
        }

        /**
         * Matches the IPv4 destination prefix.
         *
         * @param prefix the prefix
         * @return this builder
         */
        public Builder matchIPDst(IpPrefix prefix) {
            return add(Criteria.matchIPDst(prefix));
        }

        /** Returns the selector. */
        public TrafficSelector build() {
            if (size == 0) {
                return EMPTY;
            }
            Criterion[] sorted = Arrays.copyOf(criteria, size);
            Arrays.sort(sorted, OXM_ORDER);
            return new TrafficSelector(sorted);
        }
    }
}
