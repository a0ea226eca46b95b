package org.flowstore.app.manager;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of the flow-rule manager's component properties (ONOS's names and
 * meanings where ONOS has them). The manager reads them as a map and validates them with
 * {@link ManagerConfig}, so an invalid value is refused with a reason, and every change applies live.
 */
@ObjectClassDefinition(name = "flowstore flow-rule manager",
        description = "Programs devices from the flow store and reconciles the store with what devices hold")
@interface FlowRuleManagerProperties {

    /** Leave unknown flows on devices. */
    @AttributeDefinition(description = "Leave flows a device holds and the store does not know on the device"
            + " (false: remove them)")
    boolean allowExtraneousRules() default false;

    /** Import unknown flows into the store. */
    @AttributeDefinition(description = "With allowExtraneousRules, store the flows a device holds and the store"
            + " does not know (as ADDED)")
    boolean importExtraneousRules() default false;

    /** Purge a device's flows when no node is connected to it any more. */
    @AttributeDefinition(description = "Purge a device's flows from the store when the last node connected to it"
            + " disconnects")
    boolean purgeOnDisconnection() default false;

    /** Seconds between the manager's own reads of a device whose provider does not report it. */
    @AttributeDefinition(description = "Seconds after which the manager reads a device's flows itself when its"
            + " provider has not reported them (1..86400)")
    int fallbackFlowPollFrequency() default ManagerConfig.DEFAULT_FALLBACK_POLL_SECONDS;

    /** Milliseconds a pushed flow may stay unconfirmed before it is pushed again. */
    @AttributeDefinition(description = "Milliseconds a pushed flow may stay unconfirmed by its device before it is"
            + " pushed again (10..3600000)")
    int pendingAddRetry() default ManagerConfig.DEFAULT_PENDING_ADD_RETRY_MILLIS;

    /** Milliseconds a batch may go unanswered. */
    @AttributeDefinition(description = "Milliseconds a batch may go unanswered by the store or a device before its"
            + " rules count as failed (100..600000)")
    int batchTimeout() default ManagerConfig.DEFAULT_BATCH_TIMEOUT_MILLIS;
}
