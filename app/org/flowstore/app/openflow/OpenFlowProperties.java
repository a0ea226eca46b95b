package org.flowstore.app.openflow;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of the OpenFlow provider's component properties. Read as a map and
 * validated by {@link OpenFlowConfig}: an invalid value is refused with a reason, and every change
 * applies live (a new port or address closes the switches' connections; they reconnect).
 */
@ObjectClassDefinition(name = "flowstore OpenFlow provider",
        description = "OpenFlow 1.3 switches (devices of:<datapath id>) connected to this node")
@interface OpenFlowProperties {

    /** The port switches connect to. */
    @AttributeDefinition(description = "TCP port OpenFlow switches connect to (0..65535; 0 picks a free one)")
    int openflowPort() default OpenFlowConfig.DEFAULT_PORT;

    /** The address listened on. */
    @AttributeDefinition(description = "Local address listened on, an IP literal (0.0.0.0: every address)")
    String openflowAddress() default OpenFlowConfig.DEFAULT_ADDRESS;

    /** Milliseconds between statistics polls. */
    @AttributeDefinition(description = "Milliseconds between flow and table statistics polls of the switches this"
            + " node masters (100..3600000)")
    int openflowStatsPeriod() default OpenFlowConfig.DEFAULT_STATS_PERIOD_MILLIS;

    /** Milliseconds of silence before an echo request. */
    @AttributeDefinition(description = "Milliseconds of silence on a connection before an echo request; two"
            + " unanswered ones close it (500..600000)")
    int openflowEchoInterval() default OpenFlowConfig.DEFAULT_ECHO_INTERVAL_MILLIS;

    /** Milliseconds a request waits for its reply. */
    @AttributeDefinition(description = "Milliseconds a barrier, statistics or role request waits for the switch's"
            + " reply (100..600000)")
    int openflowRequestTimeout() default OpenFlowConfig.DEFAULT_REQUEST_TIMEOUT_MILLIS;
}
