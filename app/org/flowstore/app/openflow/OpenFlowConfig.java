package org.flowstore.app.openflow;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.flowstore.store.config.PropertyReader;

/**
 * How the OpenFlow provider listens and polls, validated (component properties in
 * {@link OpenFlowProperties}; the standalone node reads the same names). An absent property takes
 * its default; an invalid one keeps the current value and is reported by {@link #apply}.
 *
 * @param port TCP port switches connect to, 0 for any free one (property {@value #PORT})
 * @param address local address listened on, an IPv4 or IPv6 literal (property {@value #ADDRESS})
 * @param statsPeriod time between flow and table statistics polls of the switches this node masters
 * @param echoInterval silence on a connection after which an echo request is sent; two unanswered
 *                     ones close it
 * @param requestTimeout how long a barrier, statistics or role request may wait for its reply
 */
public record OpenFlowConfig(int port, String address, Duration statsPeriod, Duration echoInterval,
                             Duration requestTimeout) {

    /** Property names: prefixed, as the standalone node reads every component's properties from one set. */
    public static final String PORT = "openflowPort";
    /** See {@link #address}. */
    public static final String ADDRESS = "openflowAddress";
    /** See {@link #statsPeriod}. */
    public static final String STATS_PERIOD = "openflowStatsPeriod";
    /** See {@link #echoInterval}. */
    public static final String ECHO_INTERVAL = "openflowEchoInterval";
    /** See {@link #requestTimeout}. */
    public static final String REQUEST_TIMEOUT = "openflowRequestTimeout";

    /** The property names, for callers that sort a mixed set of properties. */
    public static final List<String> PROPERTIES = List.of(PORT, ADDRESS, STATS_PERIOD, ECHO_INTERVAL, REQUEST_TIMEOUT);

    static final int DEFAULT_PORT = 6653;
    static final String DEFAULT_ADDRESS = "0.0.0.0";
    static final int DEFAULT_STATS_PERIOD_MILLIS = 5_000;
    static final int DEFAULT_ECHO_INTERVAL_MILLIS = 5_000;
    static final int DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
    private static final String ADDRESS_PATTERN = "[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*";

    /** The settings when no property is set: port 6653 on every address, statistics every 5 s. */
    public static final OpenFlowConfig DEFAULTS = new OpenFlowConfig(DEFAULT_PORT, DEFAULT_ADDRESS,
            Duration.ofMillis(DEFAULT_STATS_PERIOD_MILLIS), Duration.ofMillis(DEFAULT_ECHO_INTERVAL_MILLIS),
            Duration.ofMillis(DEFAULT_REQUEST_TIMEOUT_MILLIS));

    /** Checks the ranges. */
    public OpenFlowConfig {
        checkArgument(port >= 0 && port <= 0xFFFF, "OpenFlow port must be 0..65535, was %s", port);
        checkArgument(address.matches(ADDRESS_PATTERN), "OpenFlow address must be an IP literal, was '%s'", address);
        checkArgument(statsPeriod.toMillis() >= 100, "OpenFlow statistics period must be at least 100 ms");
        checkArgument(echoInterval.toMillis() >= 500, "OpenFlow echo interval must be at least 500 ms");
        checkArgument(requestTimeout.toMillis() >= 100, "OpenFlow request timeout must be at least 100 ms");
    }

    /**
     * The outcome of applying properties.
     *
     * @param config the settings now in force
     * @param rejected one line per refused value, naming the property, the value and the reason
     */
    public record Update(OpenFlowConfig config, List<String> rejected) {
    }

    /**
     * Applies component properties to these settings.
     *
     * @param properties the component's properties (absent ones take their defaults)
     * @return the new settings and the refused values
     */
    public Update apply(Map<String, ?> properties) {
        PropertyReader p = new PropertyReader(properties);
        OpenFlowConfig next = new OpenFlowConfig(
                p.integer(PORT, DEFAULT_PORT, port, 0, 0xFFFF),
                p.text(ADDRESS, ADDRESS_PATTERN, "an IPv4 or IPv6 literal", DEFAULT_ADDRESS, address),
                p.millis(STATS_PERIOD, DEFAULT_STATS_PERIOD_MILLIS, statsPeriod, 100, 3_600_000),
                p.millis(ECHO_INTERVAL, DEFAULT_ECHO_INTERVAL_MILLIS, echoInterval, 500, 600_000),
                p.millis(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT_MILLIS, requestTimeout, 100, 600_000));
        return new Update(next, p.rejected());
    }

    @Override
    public String toString() {
        return PORT + "=" + port + ", " + ADDRESS + "=" + address + ", " + STATS_PERIOD + "=" + statsPeriod.toMillis()
                + "ms, " + ECHO_INTERVAL + "=" + echoInterval.toMillis() + "ms, " + REQUEST_TIMEOUT + "="
                + requestTimeout.toMillis() + "ms";
    }
}
