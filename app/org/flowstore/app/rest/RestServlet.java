package org.flowstore.app.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.ClusterService;
import org.flowstore.api.cluster.DeviceProviderService;
import org.flowstore.api.cluster.DeviceService;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.flow.FlowRuleService;
import org.flowstore.api.store.FlowRuleStore;
import org.flowstore.store.config.PropertyReader;

/**
 * The REST API in OSGi: a servlet registered with the OSGi HTTP Whiteboard under
 * {@code /onos/v1/*}, so Karaf's HTTP service (port 8181 by default) serves the same resources as
 * the standalone node. Runs only when configured (PID {@value #PID}; Karaf's {@code flowstore-rest}
 * feature brings the configuration and the HTTP service). A change of its properties re-registers
 * the servlet.
 *
 * <p>Threads: requests run on the HTTP service's threads.
 */
@Component(service = Servlet.class, configurationPid = RestServlet.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"osgi.http.whiteboard.servlet.pattern=" + RestApi.BASE + "/*",
                    "osgi.http.whiteboard.servlet.name=flowstore-rest"})
@Designate(ocd = RestProperties.class)
public final class RestServlet extends HttpServlet {

    /** The REST component's configuration PID. */
    public static final String PID = "org.flowstore.app.rest.RestServlet";
    /** Property: largest request body, in bytes. */
    public static final String MAX_BODY_BYTES = "maxBodyBytes";
    /** Property: how long a write may wait for the store, in milliseconds. */
    public static final String WRITE_TIMEOUT = "writeTimeout";
    static final int DEFAULT_MAX_BODY_BYTES = 16 << 20;
    static final int DEFAULT_WRITE_TIMEOUT_MILLIS = 30_000;

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RestServlet.class);
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final transient RestApi api;

    /**
     * Creates the servlet on the flow subsystem's services.
     *
     * @param flows the flow-rule service
     * @param store the store (reads)
     * @param devices the devices
     * @param connections where a removed device is disconnected
     * @param mastership who masters each device
     * @param apps application names and ids
     * @param cluster membership
     * @param properties the component properties (see {@link RestProperties})
     */
    @Activate
    public RestServlet(@Reference(name = "flows") FlowRuleService flows,
                       @Reference(name = "store") FlowRuleStore store,
                       @Reference(name = "devices") DeviceService devices,
                       @Reference(name = "connections") DeviceProviderService connections,
                       @Reference(name = "mastership") MastershipService mastership,
                       @Reference(name = "apps") ApplicationIdService apps,
                       @Reference(name = "cluster") ClusterService cluster,
                       Map<String, Object> properties) {
        PropertyReader p = new PropertyReader(properties);
        int maxBodyBytes = p.integer(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1024,
                Integer.MAX_VALUE - 8);
        Duration writeTimeout = p.millis(WRITE_TIMEOUT, DEFAULT_WRITE_TIMEOUT_MILLIS,
                Duration.ofMillis(DEFAULT_WRITE_TIMEOUT_MILLIS), 100, 600_000);
        p.rejected().forEach(r -> log.warn("REST on node {}: {}", cluster.getLocalNode(), r));
        this.api = new RestApi(maxBodyBytes);
        new FlowStoreResources(flows, store, devices, mastership, apps, cluster, writeTimeout,
                deviceId -> remove(deviceId, devices, store, connections)).register(api);
        log.info("REST API of node {} registered under {} (maxBodyBytes={}, writeTimeout={}ms)",
                cluster.getLocalNode(), RestApi.BASE, maxBodyBytes, writeTimeout.toMillis());
    }

    /** Purges a known device's flows and disconnects this node from it. */
    private static boolean remove(DeviceId deviceId, DeviceService devices, FlowRuleStore store,
                                  DeviceProviderService connections) {
        if (!devices.isKnown(deviceId)) {
            return false;
        }
        store.purgeFlowRule(deviceId);
        try {
            connections.deviceDisconnected(deviceId).get(DISCONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestApi.UnavailableException("interrupted while disconnecting " + deviceId);
        } catch (ExecutionException | TimeoutException e) {
            throw new RestApi.UnavailableException("could not disconnect " + deviceId + ": " + e);
        }
        return true;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String host = request.getHeader("Host");
        String baseUri = request.getScheme() + "://" + (host != null ? host
                : request.getServerName() + ":" + request.getServerPort());
        RestApi.Response answer;
        try (InputStream body = request.getInputStream()) {
            answer = api.serve(request.getMethod(), request.getRequestURI(), request.getQueryString(), body, baseUri);
        }
        response.setStatus(answer.status());
        if (answer.location() != null) {
            response.setHeader("Location", answer.location());
        }
        byte[] bytes = RestApi.bodyBytes(answer);
        if (bytes != null) {
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            try (OutputStream out = response.getOutputStream()) {
                out.write(bytes);
            }
        }
    }
}
