package org.flowstore.api.flow;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.DeviceId;

/**
 * A flow rule: on a device's table, packets matching the selector at a priority get the
 * treatment. Two rules with the same device, table, priority and selector match the same traffic
 * and are the same rule in a flow table, whatever their treatment or owner: storing one
 * replaces the other.
 */
public interface FlowRule {

    /** Lowest priority. */
    int MIN_PRIORITY = 0;
    /** Highest priority. */
    int MAX_PRIORITY = 0xFFFF;
    /** Largest table id. */
    int MAX_TABLE_ID = 254;

    /** Returns the rule's id: the owner's application id over a stable hash of its match. */
    FlowId id();

    /** Returns the device the rule is for. */
    DeviceId deviceId();

    /** Returns the table, 0 to {@value #MAX_TABLE_ID}. */
    int tableId();

    /** Returns the priority, {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}. */
    int priority();

    /** Returns the match. */
    TrafficSelector selector();

    /** Returns what is done with matching packets. */
    TrafficTreatment treatment();

    /** Returns the owning application. */
    ApplicationId appId();

    /** Returns the idle timeout in seconds (0: none). */
    int idleTimeout();

    /** Returns the hard timeout in seconds (0: none). */
    int hardTimeout();

    /** Returns true when the rule never expires on the device. */
    boolean isPermanent();

    /**
     * Returns true when this rule has the same match identity as another (device, table,
     * priority and selector): the two would occupy the same slot of a flow table.
     *
     * @param other the other rule
     * @return true for the same match
     */
    default boolean sameMatch(FlowRule other) {
        return deviceId().equals(other.deviceId()) && tableId() == other.tableId() && priority() == other.priority()
                && selector().equals(other.selector());
    }

    /**
     * Returns true when this rule equals another in every field, treatment, owner and timeouts
     * included.
     *
     * @param other the other rule
     * @return true when nothing differs
     */
    default boolean exactMatch(FlowRule other) {
        return sameMatch(other) && id().equals(other.id()) && treatment().equals(other.treatment())
                && appId().equals(other.appId()) && idleTimeout() == other.idleTimeout()
                && hardTimeout() == other.hardTimeout() && isPermanent() == other.isPermanent();
    }

    /** Builds a rule; see {@link DefaultFlowRule#builder()}. */
    interface Builder {

        /**
         * Sets the device.
         *
         * @param deviceId the device
         * @return this builder
         */
        Builder forDevice(DeviceId deviceId);

        /**
         * Sets the table (default 0).
         *
         * @param tableId 0 to {@value #MAX_TABLE_ID}
         * @return this builder
         */
        Builder forTable(int tableId);

        /**
         * Sets the priority.
         *
         * @param priority {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}
         * @return this builder
         */
        Builder withPriority(int priority);

        /**
         * Sets the match (default: match everything).
         *
         * @param selector the match
         * @return this builder
         */
        Builder withSelector(TrafficSelector selector);

        /**
         * Sets the treatment (default: empty).
         *
         * @param treatment the treatment
         * @return this builder
         */
        Builder withTreatment(TrafficTreatment treatment);

        /**
         * Sets the owning application.
         *
         * @param appId the application
         * @return this builder
         */
        Builder fromApp(ApplicationId appId);

        /**
         * Makes the rule permanent: no idle timeout.
         *
         * @return this builder
         */
        Builder makePermanent();

        /**
         * Makes the rule temporary with an idle timeout.
         *
         * @param idleTimeoutSeconds idle timeout in seconds, 0 to 65535
         * @return this builder
         */
        Builder makeTemporary(int idleTimeoutSeconds);

        /**
         * Sets the hard timeout (default 0: none).
         *
         * @param hardTimeoutSeconds hard timeout in seconds, 0 to 65535
         * @return this builder
         */
        Builder withHardTimeout(int hardTimeoutSeconds);

        /**
         * Returns the rule.
         *
         * @return the rule
         * @throws IllegalArgumentException naming the field that is missing or out of range
         */
        FlowRule build();
    }
}
