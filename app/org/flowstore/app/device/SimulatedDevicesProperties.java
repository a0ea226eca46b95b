package org.flowstore.app.device;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of the simulated devices' component properties. Read as a map and
 * validated by {@link SimulatedDevicesConfig}: an invalid value is refused with a reason, and
 * every change applies live.
 */
@ObjectClassDefinition(name = "flowstore simulated devices",
        description = "Simulated switches (a device provider) for trying the flow subsystem without hardware")
@interface SimulatedDevicesProperties {

    /** How many devices. */
    @AttributeDefinition(description = "Number of simulated devices, <scheme>:0000000000000001 .. (0..10000)")
    int devices() default SimulatedDevicesConfig.DEFAULT_COUNT;

    /** Flows each device holds. */
    @AttributeDefinition(description = "Flows each device's table holds; more are refused (at least 1)")
    int deviceCapacity() default SimulatedDevicesConfig.DEFAULT_TABLE_CAPACITY;

    /** Milliseconds a device takes to acknowledge a batch. */
    @AttributeDefinition(description = "Milliseconds a device takes to acknowledge a batch (0..60000)")
    int deviceLatency() default SimulatedDevicesConfig.DEFAULT_ACK_LATENCY_MILLIS;

    /** Milliseconds between statistics reports. */
    @AttributeDefinition(description = "Milliseconds between flow statistics reports of the devices this node masters"
            + " (10..3600000)")
    int statsPeriod() default SimulatedDevicesConfig.DEFAULT_STATS_PERIOD_MILLIS;

    /** The device-id scheme. */
    @AttributeDefinition(description = "Scheme of the device ids, e.g. of or sim (the provider serves it)")
    String scheme() default SimulatedDevicesConfig.DEFAULT_SCHEME;
}
