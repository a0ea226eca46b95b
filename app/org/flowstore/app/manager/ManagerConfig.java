package org.flowstore.app.manager;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.flowstore.store.config.PropertyReader;

/**
 * The flow-rule manager's settings, validated (see {@link FlowRuleManagerProperties} for the
 * component properties; the names are ONOS's where ONOS has the setting). An absent property
 * takes its default; an invalid one keeps the current value and is reported by {@link #apply}.
 *
 * @param allowExtraneousRules leave flows a device holds and the store does not know on the device
 * @param importExtraneousRules with {@code allowExtraneousRules}, store such flows as ADDED
 * @param purgeOnDisconnection purge a device's flows from the store when the last node
 *                             connected to it disconnects
 * @param fallbackFlowPollFrequency how often the manager reads a device's flows itself when its
 *                                  provider has not reported them in that time (property in seconds)
 * @param pendingAddRetry how long a pushed flow may stay unconfirmed by its device before it is
 *                        pushed again (property in milliseconds)
 * @param batchTimeout how long a batch may go unanswered, by the store or by a device, before its
 *                     rules count as failed (property in milliseconds)
 */
public record ManagerConfig(boolean allowExtraneousRules, boolean importExtraneousRules, boolean purgeOnDisconnection,
                            Duration fallbackFlowPollFrequency, Duration pendingAddRetry, Duration batchTimeout) {

    /** Property names. */
    public static final String ALLOW_EXTRANEOUS_RULES = "allowExtraneousRules";
    /** See {@link #importExtraneousRules}. */
    public static final String IMPORT_EXTRANEOUS_RULES = "importExtraneousRules";
    /** See {@link #purgeOnDisconnection}. */
    public static final String PURGE_ON_DISCONNECTION = "purgeOnDisconnection";
    /** See {@link #fallbackFlowPollFrequency}. */
    public static final String FALLBACK_FLOW_POLL_FREQUENCY = "fallbackFlowPollFrequency";
    /** See {@link #pendingAddRetry}. */
    public static final String PENDING_ADD_RETRY = "pendingAddRetry";
    /** See {@link #batchTimeout}. */
    public static final String BATCH_TIMEOUT = "batchTimeout";

    /** The property names, for callers that sort a mixed set of properties. */
    public static final List<String> PROPERTIES = List.of(ALLOW_EXTRANEOUS_RULES, IMPORT_EXTRANEOUS_RULES,
            PURGE_ON_DISCONNECTION, FALLBACK_FLOW_POLL_FREQUENCY, PENDING_ADD_RETRY, BATCH_TIMEOUT);

    static final int DEFAULT_FALLBACK_POLL_SECONDS = 30;
    static final int DEFAULT_PENDING_ADD_RETRY_MILLIS = 5_000;
    static final int DEFAULT_BATCH_TIMEOUT_MILLIS = 30_000;

    /** The settings when no property is set (ONOS's defaults where ONOS has the setting). */
    public static final ManagerConfig DEFAULTS = new ManagerConfig(false, false, false,
            Duration.ofSeconds(DEFAULT_FALLBACK_POLL_SECONDS), Duration.ofMillis(DEFAULT_PENDING_ADD_RETRY_MILLIS),
            Duration.ofMillis(DEFAULT_BATCH_TIMEOUT_MILLIS));

    /**
     * The outcome of applying properties.
     *
     * @param config the settings now in force
     * @param rejected one line per refused value, naming the property, the value and the reason
     */
    public record Update(ManagerConfig config, List<String> rejected) {
    }

    /**
     * Applies component properties to these settings.
     *
     * @param properties the component's properties (absent ones take their defaults)
     * @return the new settings and the refused values
     */
    public Update apply(Map<String, ?> properties) {
        PropertyReader p = new PropertyReader(properties);
        ManagerConfig next = new ManagerConfig(
                p.bool(ALLOW_EXTRANEOUS_RULES, false, allowExtraneousRules),
                p.bool(IMPORT_EXTRANEOUS_RULES, false, importExtraneousRules),
                p.bool(PURGE_ON_DISCONNECTION, false, purgeOnDisconnection),
                p.seconds(FALLBACK_FLOW_POLL_FREQUENCY, DEFAULT_FALLBACK_POLL_SECONDS, fallbackFlowPollFrequency, 1, 86_400),
                p.millis(PENDING_ADD_RETRY, DEFAULT_PENDING_ADD_RETRY_MILLIS, pendingAddRetry, 10, 3_600_000),
                p.millis(BATCH_TIMEOUT, DEFAULT_BATCH_TIMEOUT_MILLIS, batchTimeout, 100, 600_000));
        return new Update(next, p.rejected());
    }

    @Override
    public String toString() {
        return ALLOW_EXTRANEOUS_RULES + "=" + allowExtraneousRules + ", " + IMPORT_EXTRANEOUS_RULES + "="
                + importExtraneousRules + ", " + PURGE_ON_DISCONNECTION + "=" + purgeOnDisconnection + ", "
                + FALLBACK_FLOW_POLL_FREQUENCY + "=" + fallbackFlowPollFrequency.toSeconds() + "s, " + PENDING_ADD_RETRY
                + "=" + pendingAddRetry.toMillis() + "ms, " + BATCH_TIMEOUT + "=" + batchTimeout.toMillis() + "ms";
    }
}
