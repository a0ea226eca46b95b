package org.flowstore.osgi;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.flowstore.testing.TestPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

import org.flowstore.osgi.probe.StoreProbe;

/**
 * The built bundle in a real OSGi framework: embedded Felix with SCR and Config Admin as bundles,
 * Atomix and every dependency as bundles, with one Guava (22, the version Atomix's imports
 * demand; the bundle accepts it) and Kryo 4 for Atomix beside Kryo 5 for flowstore. The test
 * drives Config Admin and reads SCR through the system bundle; it uses the store through a probe
 * bundle ({@link StoreProbe}) wired to the flowstore bundle's API like any client bundle.
 *
 * <p>Runs after {@code package} (failsafe), on the jar that ships.
 */
@Timeout(300)
class FelixBundleIT {

    private static final String STORE_PID = "org.flowstore.store.flow.DistributedFlowRuleStore";
    private static final String CLUSTER_PID = "org.flowstore.store.cluster.AtomixCluster";
    private static final String DEVICES_PID = "org.flowstore.store.cluster.DeviceInventory";
    private static final String MANAGER_PID = "org.flowstore.app.manager.FlowRuleManager";
    private static final String SIMULATED_PID = "org.flowstore.app.device.SimulatedDevices";
    private static final String DEVICE = "of:0000000000000001";
    /** The device the reconfiguration test stores on. */
    private static final String CONFIG_DEVICE = "of:0000000000000002";
    /** What {@link #state} says of a component SCR holds no configuration of (one that requires a configuration). */
    private static final int NO_CONFIGURATION = -1;
    /** The device whose provider comes and goes. */
    private static final String PROVIDER_DEVICE = "of:0000000000000003";
    /** Jars of target/lib that are not installed: not bundles, the standalone node's libraries, Guava 33, SLF4J. */
    private static final Set<String> NOT_INSTALLED = Set.of("logback", "picocli", "guava-33", "failureaccess",
            "listenablefuture", "j2objc", "jspecify", "error_prone", "slf4j-api", "HdrHistogram", "xchart");
    private static final String REST_PID = "org.flowstore.app.rest.RestServlet";
    /** The HTTP Whiteboard's port (Felix HTTP reads it from the framework properties, as Karaf sets 8181). */
    private static int httpPort;

    private static Framework framework;
    private static Path work;
    private static ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> configAdmin;
    private static ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;
    private static ServiceTracker<Object, Object> stores;
    private static ServiceTracker<Object, Object> probe;
    private static Bundle flowstore;

    @BeforeAll
    static void startFramework() throws Exception {
        work = Files.createTempDirectory("flowstore-felix");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, work.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra());
        httpPort = freePort();
        config.put("org.osgi.service.http.port", String.valueOf(httpPort));
        framework = java.util.ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.init();
        framework.start();
        BundleContext context = framework.getBundleContext();

        List<Bundle> installed = new ArrayList<>();
        for (File jar : bundleJars()) {
            installed.add(context.installBundle(jar.toURI().toString()));
        }
        flowstore = context.installBundle(Path.of(System.getProperty("flowstore.bundle")).toUri().toString());
        installed.add(flowstore);
        installed.add(context.installBundle("probe", Files.newInputStream(probeBundle())));
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        configAdmin = track(context, ConfigurationAdmin.class);
        scr = track(context, ServiceComponentRuntime.class);
        stores = new ServiceTracker<>(context, "org.flowstore.api.store.FlowRuleStore", null);
        stores.open(true);
        probe = new ServiceTracker<>(context, context.createFilter("(flowstore.probe=true)"), null);
        probe.open(true);

        // Every test starts from a running one-node cluster; each stores on a device of its own.
        Dictionary<String, Object> cluster = new Hashtable<>();
        cluster.put("nodeId", "o1");
        cluster.put("members", "o1@127.0.0.1:" + freePort());
        cluster.put("dataDirectory", work.resolve("raft").toString());
        configuration(CLUSTER_PID).update(cluster);
        Dictionary<String, Object> devices = new Hashtable<>();
        devices.put("devices", new String[] {DEVICE, CONFIG_DEVICE, PROVIDER_DEVICE});
        configuration(DEVICES_PID).update(devices);
        awaitTrue(Duration.ofSeconds(120), () -> state(STORE_PID) == ComponentConfigurationDTO.ACTIVE
                && state(MANAGER_PID) == ComponentConfigurationDTO.ACTIVE, FelixBundleIT::bundleStates);
        awaitTrue(Duration.ofSeconds(60), () -> Stream.of(DEVICE, CONFIG_DEVICE, PROVIDER_DEVICE)
                .allMatch(d -> probe("master " + d).equals("o1")), FelixBundleIT::bundleStates);
    }

    @AfterAll
    static void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(60_000);
        }
    }

    @Test
    void theStoreClusterAndManagerComponentsAreActiveOnceTheClusterIsConfigured() {
        assertEquals(Bundle.ACTIVE, flowstore.getState(), "flowstore bundle state");
        for (String component : List.of(CLUSTER_PID, "org.flowstore.store.cluster.AtomixMessaging",
                "org.flowstore.store.cluster.AtomixMastership", DEVICES_PID, STORE_PID, MANAGER_PID)) {
            assertEquals(ComponentConfigurationDTO.ACTIVE, state(component), component);
        }
        assertEquals(NO_CONFIGURATION, state(SIMULATED_PID), "the simulated devices wait for a configuration: "
                + describe(SIMULATED_PID));
    }

    @Test
    void flowsAppliedThroughTheFlowRuleServiceReachTheProviderAndTurnAdded() throws Exception {
        assertNotNull(stores.waitForService(10_000));
        assertEquals("stored", probe("store " + DEVICE + " 0 25"));
        assertEquals("25", probe("pushed " + DEVICE), "the provider holds them once the batch completed");
        assertEquals("25", probe("count " + DEVICE));
        assertEquals("reported", probe("report " + DEVICE));
        awaitTrue(Duration.ofSeconds(20), () -> probe("added " + DEVICE).equals("25"));
    }

    @Test
    void aProviderRegisteredAndUnregisteredAtRuntimeIsBoundAndUnbound() throws Exception {
        assertEquals("provider off", probe("provider off"));
        try {
            assertEquals("failed 5", probe("store " + PROVIDER_DEVICE + " 0 5"), "no provider serves 'of'");
            assertEquals("0", probe("pushed " + PROVIDER_DEVICE));
        } finally {
            assertEquals("provider on", probe("provider on"));
        }
        assertEquals("stored", probe("store " + PROVIDER_DEVICE + " 10 5"));
        assertEquals("5", probe("pushed " + PROVIDER_DEVICE));
    }

    @Test
    void theSimulatedDevicesRunOnceConfiguredAndEverySettingChangesLive() throws Exception {
        Dictionary<String, Object> sim = new Hashtable<>();
        sim.put("scheme", "sim");
        sim.put("devices", 2);
        sim.put("statsPeriod", 200);
        configuration(SIMULATED_PID).update(sim);
        awaitTrue(Duration.ofSeconds(30), () -> state(SIMULATED_PID) == ComponentConfigurationDTO.ACTIVE
                && probe("master sim:0000000000000002").equals("o1"), () -> describe(SIMULATED_PID));
        assertEquals("stored", probe("store sim:0000000000000001 0 10"));
        awaitTrue(Duration.ofSeconds(20), () -> probe("added sim:0000000000000001").equals("10"));

        long componentId = componentId(SIMULATED_PID);
        sim.put("devices", 3);
        configuration(SIMULATED_PID).update(sim);
        awaitTrue(Duration.ofSeconds(20), () -> probe("master sim:0000000000000003").equals("o1"));
        assertEquals(componentId, componentId(SIMULATED_PID), "the same component (@Modified, no restart)");

        configuration(SIMULATED_PID).delete();
        awaitTrue(Duration.ofSeconds(20), () -> state(SIMULATED_PID) == NO_CONFIGURATION
                && probe("master sim:0000000000000001").equals("none"), () -> describe(SIMULATED_PID));
    }

    @Test
    void theRestApiIsServedOnTheHttpWhiteboardOnceConfigured() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Dictionary<String, Object> rest = new Hashtable<>();
        rest.put("maxBodyBytes", 4096);
        configuration(REST_PID).update(rest);
        try {
            awaitTrue(Duration.ofSeconds(30), () -> state(REST_PID) == ComponentConfigurationDTO.ACTIVE,
                    () -> describe(REST_PID));
            awaitTrue(Duration.ofSeconds(30), () -> get(http, "/cluster").statusCode() == 200);
            assertTrue(get(http, "/cluster").body().contains("\"id\":\"o1\""), get(http, "/cluster").body());

            String flow = "{\"priority\":40000,\"isPermanent\":true,\"deviceId\":\"" + DEVICE + "\","
                    + "\"treatment\":{\"instructions\":[{\"type\":\"OUTPUT\",\"port\":\"2\"}]},"
                    + "\"selector\":{\"criteria\":[{\"type\":\"ETH_TYPE\",\"ethType\":\"0x88cc\"}]}}";
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/flows/" + DEVICE + "?appId=org.rest"))
                    .POST(HttpRequest.BodyPublishers.ofString(flow)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String location = created.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("http://127.0.0.1:" + httpPort + "/onos/v1/flows/" + DEVICE + "/"), location);
            HttpResponse<String> read = get(http, location.substring(location.indexOf("/onos/v1") + 8));
            assertEquals(200, read.statusCode(), read.body());
            assertTrue(read.body().contains("\"ethType\":\"0x88cc\""), read.body());

            HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(uri("/flows?appId=org.rest"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, tooLarge.statusCode(), "maxBodyBytes from the component's configuration");
        } finally {
            configuration(REST_PID).delete();
        }
        awaitTrue(Duration.ofSeconds(20), () -> get(http, "/cluster").statusCode() == 404);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + "/onos/v1" + path);
    }

    private static HttpResponse<String> get(HttpClient http, String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void managerPropertiesChangeLiveOnTheSameInstance() throws Exception {
        long componentId = componentId(MANAGER_PID);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("pendingAddRetry", 1500);
        props.put("allowExtraneousRules", "true");
        props.put("fallbackFlowPollFrequency", -1);
        configuration(MANAGER_PID).update(props);
        awaitTrue(Duration.ofSeconds(10), () -> managerConfig().contains("pendingAddRetry=1500ms"));
        assertTrue(managerConfig().contains("allowExtraneousRules=true"), managerConfig());
        assertTrue(managerConfig().contains("fallbackFlowPollFrequency=30s"), "the refused value kept the default");
        assertEquals(componentId, componentId(MANAGER_PID));
        configuration(MANAGER_PID).delete();
        awaitTrue(Duration.ofSeconds(10), () -> managerConfig().contains("pendingAddRetry=5000ms")
                && managerConfig().contains("allowExtraneousRules=false"));
    }

    @Test
    void everyStorePropertyChangesLiveOnTheSameInstance() throws Exception {
        Object before = stores.waitForService(10_000);
        assertEquals("stored", probe("store " + CONFIG_DEVICE + " 0 10"));
        awaitTrue(Duration.ofSeconds(20), () -> probe("count " + CONFIG_DEVICE).equals("10"));
        long componentId = componentId(STORE_PID);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("msgHandlerPoolSize", 4);
        changes.put("backupEnabled", false);
        changes.put("backupCount", 2);
        changes.put("backupMode", "async");
        changes.put("backupPeriod", 250);
        changes.put("antiEntropyPeriod", 2000);
        Dictionary<String, Object> props = new Hashtable<>();
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            props.put(change.getKey(), change.getValue());
            configuration(STORE_PID).update(props);
            String expected = change.getKey() + "=" + change.getValue();
            awaitTrue(Duration.ofSeconds(10), () -> effectiveConfig().contains(expected));
        }
        assertSame(before, stores.getService(), "the same store instance (@Modified, no restart)");
        assertEquals(componentId, componentId(STORE_PID));

        // Refused values beside a valid one: once the valid one is in force, the update was applied.
        props.put("backupPeriod", -5);
        props.put("backupMode", "sometimes");
        props.put("antiEntropyPeriod", 3000);
        configuration(STORE_PID).update(props);
        awaitTrue(Duration.ofSeconds(10), () -> effectiveConfig().contains("antiEntropyPeriod=3000ms"));
        assertTrue(effectiveConfig().contains("backupPeriod=250ms"), effectiveConfig());
        assertTrue(effectiveConfig().contains("backupMode=async"), effectiveConfig());
        assertEquals(ComponentConfigurationDTO.ACTIVE, state(STORE_PID));

        configuration(STORE_PID).delete();
        awaitTrue(Duration.ofSeconds(10), () -> effectiveConfig().equals("msgHandlerPoolSize=8, backupEnabled=true, "
                + "backupCount=1, backupMode=sync, backupPeriod=100ms, antiEntropyPeriod=5000ms,"
                + " maxFlowsInFlightPerMaster=2000, maxWaitingFlows=250000, maxFlowsPerNode=0 (from the heap)"));
        assertSame(before, stores.getService());
        assertEquals("10", probe("count " + CONFIG_DEVICE), "flows kept across reconfiguration");
    }

    @SuppressWarnings("unchecked")
    private static String probe(String command) {
        Function<String, String> commands = (Function<String, String>) probe.getService();
        assertNotNull(commands, "probe service");
        return commands.apply(command);
    }

    /** A bundle holding {@link StoreProbe} (and its nested classes), importing what it uses. */
    private static Path probeBundle() throws IOException, URISyntaxException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, "org.flowstore.it.probe");
        a.putValue(Constants.BUNDLE_ACTIVATOR, StoreProbe.class.getName());
        a.putValue(Constants.IMPORT_PACKAGE, "org.osgi.framework, org.osgi.util.tracker, "
                + "org.flowstore.api;version=\"[1.1,2)\", org.flowstore.api.cluster;version=\"[1.2,2)\", "
                + "org.flowstore.api.flow;version=\"[2.0,3)\", org.flowstore.api.store;version=\"[1.0,2)\"");
        Path jar = work.resolve("probe.jar");
        String folder = StoreProbe.class.getPackageName().replace('.', '/');
        Path classes = Path.of(StoreProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(folder);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> files = Files.list(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                out.putNextEntry(new JarEntry(folder + "/" + file.getFileName()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The store's settings in force, as it reports them (StoreConfig is private to the bundle). */
    private static String effectiveConfig() {
        return configOf(stores.getService());
    }

    /** The manager's settings in force, as it reports them. */
    private static String managerConfig() {
        ServiceTracker<Object, Object> managers = new ServiceTracker<>(framework.getBundleContext(),
                "org.flowstore.api.flow.FlowRuleService", null);
        managers.open(true);
        try {
            return configOf(managers.getService());
        } finally {
            managers.close();
        }
    }

    private static String configOf(Object component) {
        try {
            return component.getClass().getMethod("config").invoke(component).toString();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Configuration configuration(String pid) throws IOException {
        return configAdmin.getService().getConfiguration(pid, "?");
    }

    private static ComponentConfigurationDTO configurationDto(String component) {
        ServiceComponentRuntime runtime = scr.getService();
        if (runtime == null) {
            return null;
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(flowstore)) {
            if (description.name.equals(component)) {
                return runtime.getComponentConfigurationDTOs(description).stream().findFirst().orElse(null);
            }
        }
        return null;
    }

    /** A component's state and, when it failed to activate, why; for failure messages. */
    private static String describe(String component) {
        ComponentConfigurationDTO dto = configurationDto(component);
        return dto == null ? component + " has no configuration" : component + " state " + dto.state
                + (dto.failure == null ? "" : ", failure: " + dto.failure);
    }

    /** A component's state, or {@link #NO_CONFIGURATION}. */
    private static int state(String component) {
        ComponentConfigurationDTO dto = configurationDto(component);
        return dto == null ? NO_CONFIGURATION : dto.state;
    }

    private static long componentId(String component) {
        return configurationDto(component).id;
    }

    private static <T> ServiceTracker<T, T> track(BundleContext context, Class<T> type) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open(true);
        return tracker;
    }

    private static List<File> bundleJars() throws IOException {
        List<File> jars = new ArrayList<>();
        for (String dir : List.of(System.getProperty("flowstore.lib"), System.getProperty("flowstore.osgiBundles"))) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                files.filter(p -> p.toString().endsWith(".jar"))
                        .filter(p -> NOT_INSTALLED.stream().noneMatch(n -> p.getFileName().toString().startsWith(n)))
                        .sorted().forEach(p -> jars.add(p.toFile()));
            }
        }
        return jars;
    }

    /**
     * The OSGi service APIs the test calls (Config Admin, SCR) and SLF4J, from the test's class path.
     * (In Karaf, the logging service provides SLF4J.)
     */
    private static String systemPackagesExtra() throws IOException {
        List<String> packages = new ArrayList<>(List.of(
                "org.osgi.service.component;version=1.5.1", "org.osgi.service.component.runtime;version=1.5.1",
                "org.osgi.service.component.runtime.dto;version=1.5.1", "org.osgi.util.promise;version=1.3.0",
                "org.osgi.util.function;version=1.2.0", "org.osgi.service.cm;version=1.6.1",
                // SLF4J from the test's class path (its logging goes to slf4j-simple), as 2.x and as 1.7 for Atomix.
                "org.slf4j;version=2.0.17", "org.slf4j.spi;version=2.0.17", "org.slf4j.event;version=2.0.17",
                "org.slf4j.helpers;version=2.0.17", "org.slf4j;version=1.7.36", "org.slf4j.helpers;version=1.7.36"));
        return String.join(",", packages);
    }

    private static String bundleStates() {
        return Stream.of(framework.getBundleContext().getBundles())
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .map(b -> b.getSymbolicName() + "=" + b.getState()).collect(Collectors.joining(", "));
    }
}
