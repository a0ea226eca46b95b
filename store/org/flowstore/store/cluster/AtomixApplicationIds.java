package org.flowstore.store.cluster;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.atomix.core.counter.AsyncAtomicCounter;
import io.atomix.core.map.AsyncAtomicMap;
import io.atomix.primitive.partition.Partitioner;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.utils.time.Versioned;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;

/**
 * Application ids kept in a Raft-backed Atomix map (name to id) with a Raft counter handing out
 * new ids: the first node to register a name fixes its id for the whole cluster. Ids, once
 * given, never change, so each node caches them.
 */
@Component(service = ApplicationIdService.class)
public final class AtomixApplicationIds implements ApplicationIdService {

    private static final Logger log = LoggerFactory.getLogger(AtomixApplicationIds.class);

    private final AtomixCluster cluster;
    private final Map<String, ApplicationId> cache = new ConcurrentHashMap<>();
    private volatile AsyncAtomicMap<String, Integer> ids;
    private volatile AsyncAtomicCounter counter;

    /**
     * Creates the registry on a started cluster node; {@link #start} opens it.
     *
     * @param cluster the node
     */
    @Activate
    public AtomixApplicationIds(@Reference(name = "cluster") AtomixCluster cluster) {
        this.cluster = cluster;
    }

    /** Opens the map and the counter. */
    @Activate
    public void start() {
        MultiRaftProtocol protocol = AtomixCluster.dataProtocol(Partitioner.MURMUR3);
        ids = cluster.open(cluster.atomix().<String, Integer>atomicMapBuilder("flowstore-application-ids")
                .withProtocol(protocol).buildAsync(), "the application id map").async();
        counter = cluster.open(cluster.atomix().atomicCounterBuilder("flowstore-application-id-counter")
                .withProtocol(protocol).buildAsync(), "the application id counter").async();
    }

    /** Closes the map and the counter. */
    @Deactivate
    public void stop() {
        ids = null;
        counter = null;
        cache.clear();
    }

    @Override
    public ApplicationId registerApplication(String name) {
        requireNonNull(name, "application name");
        checkArgument(!name.isBlank() && name.length() <= 255, "application name must have 1 to 255 characters");
        Optional<ApplicationId> known = getAppId(name);
        if (known.isPresent()) {
            return known.get();
        }
        long next = call(counter().incrementAndGet(), "allocate an id for application " + name);
        if (next > ApplicationId.MAX_ID) {
            throw new IllegalStateException("every application id (1.." + ApplicationId.MAX_ID + ") is taken");
        }
        Versioned<Integer> raced = call(map().putIfAbsent(name, (int) next), "register application " + name);
        if (raced == null) {
            log.info("Node {} registered application {} with id {}", cluster.getLocalNode(), name, next);
        }
        ApplicationId appId = ApplicationId.of(raced != null ? raced.value() : (int) next, name);
        cache.put(name, appId);
        return appId;
    }

    @Override
    public Optional<ApplicationId> getAppId(String name) {
        requireNonNull(name, "application name");
        ApplicationId cached = cache.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Versioned<Integer> existing = call(map().get(name), "read the id of application " + name);
        if (existing == null) {
            return Optional.empty();
        }
        ApplicationId appId = ApplicationId.of(existing.value(), name);
        cache.put(name, appId);
        return Optional.of(appId);
    }

    private AsyncAtomicMap<String, Integer> map() {
        AsyncAtomicMap<String, Integer> map = ids;
        if (map == null) {
            throw new IllegalStateException("the application registry of node " + cluster.getLocalNode() + " is closed");
        }
        return map;
    }

    private AsyncAtomicCounter counter() {
        AsyncAtomicCounter c = counter;
        if (c == null) {
            throw new IllegalStateException("the application registry of node " + cluster.getLocalNode() + " is closed");
        }
        return c;
    }

    private <T> T call(CompletableFuture<T> future, String what) {
        try {
            return cluster.await(future, what);
        } catch (IllegalStateException e) {
            log.warn("{}: {}", e.getMessage(), String.valueOf(e.getCause()));
            throw e;
        }
    }
}
