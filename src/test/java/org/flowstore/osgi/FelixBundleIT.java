package org.flowstore.osgi;

import static org.flowstore.testing.Conditions.awaitTrue;
import static org.flowstore.testing.TestPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
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
    private static final String DEVICE = "of:0000000000000001";
    /** The device the reconfiguration test stores on. */
    private static final String CONFIG_DEVICE = "of:0000000000000002";
    /** Jars of target/lib that are not installed: not bundles, the standalone node's libraries, Guava 33, SLF4J. */
    private static final Set<String> NOT_INSTALLED = Set.of("logback", "jackson", "picocli", "guava-33", "failureaccess",
            "listenablefuture", "j2objc", "jspecify", "error_prone", "slf4j-api");

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
        devices.put("devices", new String[] {DEVICE, CONFIG_DEVICE});
        configuration(DEVICES_PID).update(devices);
        awaitTrue(Duration.ofSeconds(120), () -> state(STORE_PID) == ComponentConfigurationDTO.ACTIVE,
                FelixBundleIT::bundleStates);
        awaitTrue(Duration.ofSeconds(60), () -> probe("master " + DEVICE).equals("o1") && probe("master "
                + CONFIG_DEVICE).equals("o1"), FelixBundleIT::bundleStates);
    }

    @AfterAll
    static void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(60_000);
        }
    }

    @Test
    void theStoreAndTheClusterComponentsAreActiveOnceTheClusterIsConfigured() {
        assertEquals(Bundle.ACTIVE, flowstore.getState(), "flowstore bundle state");
        for (String component : List.of(CLUSTER_PID, "org.flowstore.store.cluster.AtomixMessaging",
                "org.flowstore.store.cluster.AtomixMastership", DEVICES_PID, STORE_PID)) {
            assertEquals(ComponentConfigurationDTO.ACTIVE, state(component), component);
        }
    }

    @Test
    void flowsAreStoredAndReadThroughTheOsgiService() throws Exception {
        assertNotNull(stores.waitForService(10_000));
        assertEquals("stored", probe("store " + DEVICE + " 0 25"));
        awaitTrue(Duration.ofSeconds(20), () -> probe("count " + DEVICE).equals("25"));
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
                + "backupCount=1, backupMode=sync, backupPeriod=100ms, antiEntropyPeriod=5000ms"));
        assertSame(before, stores.getService());
        assertEquals("10", probe("count " + CONFIG_DEVICE), "flows kept across reconfiguration");
    }

    @SuppressWarnings("unchecked")
    private static String probe(String command) {
        Function<String, String> commands = (Function<String, String>) probe.getService();
        assertNotNull(commands, "probe service");
        return commands.apply(command);
    }

    /** A bundle holding {@link StoreProbe}, importing what it uses. */
    private static Path probeBundle() throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, "org.flowstore.it.probe");
        a.putValue(Constants.BUNDLE_ACTIVATOR, StoreProbe.class.getName());
        a.putValue(Constants.IMPORT_PACKAGE, "org.osgi.framework, org.osgi.util.tracker, "
                + "org.flowstore.api;version=\"[1.0,2)\", org.flowstore.api.cluster;version=\"[1.0,2)\", "
                + "org.flowstore.api.flow;version=\"[1.0,2)\", org.flowstore.api.store;version=\"[1.0,2)\"");
        Path jar = work.resolve("probe.jar");
        String entry = StoreProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry(entry));
            try (var in = StoreProbe.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
        return jar;
    }

    /** The store's settings in force, as it reports them (StoreConfig is private to the bundle). */
    private static String effectiveConfig() {
        try {
            Object store = stores.getService();
            return store.getClass().getMethod("config").invoke(store).toString();
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

    private static int state(String component) {
        ComponentConfigurationDTO dto = configurationDto(component);
        return dto == null ? -1 : dto.state;
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
