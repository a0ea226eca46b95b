package org.flowstore.app.device;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.flowstore.api.DeviceId;
import org.flowstore.store.config.PropertyReader;

/**
 * How the simulated devices behave, validated (component properties in
 * {@link SimulatedDevicesProperties}; the standalone node reads the same names). An absent
 * property takes its default; an invalid one keeps the current value and is reported by {@link #apply}.
 *
 * @param count number of devices, 0 to 10,000 (property {@value #COUNT})
 * @param tableCapacity flows each device holds, at least 1
 * @param ackLatency time a device takes to acknowledge a batch (property in milliseconds)
 * @param statsPeriod time between statistics reports (property in milliseconds)
 * @param scheme the scheme of the device ids (and of the provider)
 */
public record SimulatedDevicesConfig(int count, int tableCapacity, Duration ackLatency, Duration statsPeriod,
                                     String scheme) {

    /** Property names. */
    public static final String COUNT = "devices";
    /** See {@link #tableCapacity}. */
    public static final String TABLE_CAPACITY = "deviceCapacity";
    /** See {@link #ackLatency}. */
    public static final String ACK_LATENCY = "deviceLatency";
    /** See {@link #statsPeriod}. */
    public static final String STATS_PERIOD = "statsPeriod";
    /** See {@link #scheme}. */
    public static final String SCHEME = "scheme";

    /** The property names, for callers that sort a mixed set of properties. */
    public static final List<String> PROPERTIES = List.of(COUNT, TABLE_CAPACITY, ACK_LATENCY, STATS_PERIOD, SCHEME);

    static final int DEFAULT_COUNT = 8;
    static final int DEFAULT_TABLE_CAPACITY = 1_000_000;
    static final int DEFAULT_ACK_LATENCY_MILLIS = 2;
    static final int DEFAULT_STATS_PERIOD_MILLIS = 1_000;
    static final String DEFAULT_SCHEME = "of";
    /** A URI scheme (RFC 3986): a letter, then letters, digits, '+', '-' or '.'. */
    private static final String SCHEME_PATTERN = "[A-Za-z][A-Za-z0-9+.-]{0,31}";

    /** The settings when no property is set: 8 devices {@code of:0000000000000001} .. 8. */
    public static final SimulatedDevicesConfig DEFAULTS = new SimulatedDevicesConfig(DEFAULT_COUNT,
            DEFAULT_TABLE_CAPACITY, Duration.ofMillis(DEFAULT_ACK_LATENCY_MILLIS),
            Duration.ofMillis(DEFAULT_STATS_PERIOD_MILLIS), DEFAULT_SCHEME);

    /** Checks the ranges. */
    public SimulatedDevicesConfig {
        checkArgument(count >= 0 && count <= 10_000, "device count must be 0..10000, was %s", count);
        checkArgument(tableCapacity >= 1, "device table capacity must be at least 1, was %s", tableCapacity);
        checkArgument(!ackLatency.isNegative(), "device acknowledgement latency cannot be negative");
        checkArgument(statsPeriod.toMillis() >= 10, "device statistics period must be at least 10 ms");
        checkArgument(scheme.matches(SCHEME_PATTERN), "device scheme must look like 'of' or 'sim', was '%s'", scheme);
    }

    /**
     * The outcome of applying properties.
     *
     * @param config the settings now in force
     * @param rejected one line per refused value, naming the property, the value and the reason
     */
    public record Update(SimulatedDevicesConfig config, List<String> rejected) {
    }

    /**
     * Applies component properties to these settings.
     *
     * @param properties the component's properties (absent ones take their defaults)
     * @return the new settings and the refused values
     */
    public Update apply(Map<String, ?> properties) {
        PropertyReader p = new PropertyReader(properties);
        SimulatedDevicesConfig next = new SimulatedDevicesConfig(
                p.integer(COUNT, DEFAULT_COUNT, count, 0, 10_000),
                p.integer(TABLE_CAPACITY, DEFAULT_TABLE_CAPACITY, tableCapacity, 1, Integer.MAX_VALUE),
                p.millis(ACK_LATENCY, DEFAULT_ACK_LATENCY_MILLIS, ackLatency, 0, 60_000),
                p.millis(STATS_PERIOD, DEFAULT_STATS_PERIOD_MILLIS, statsPeriod, 10, 3_600_000),
                p.text(SCHEME, SCHEME_PATTERN, "a URI scheme such as of or sim", DEFAULT_SCHEME, scheme));
        return new Update(next, p.rejected());
    }

    /**
     * Returns the id of simulated device {@code i}.
     *
     * @param i 1-based index
     * @return the scheme, a colon and i in 16 hex digits
     */
    public DeviceId deviceId(int i) {
        return DeviceId.deviceId(String.format("%s:%016x", scheme, i));
    }

    @Override
    public String toString() {
        return COUNT + "=" + count + ", " + TABLE_CAPACITY + "=" + tableCapacity + ", " + ACK_LATENCY + "="
                + ackLatency.toMillis() + "ms, " + STATS_PERIOD + "=" + statsPeriod.toMillis() + "ms, " + SCHEME + "="
                + scheme;
    }
}
