package org.flowstore.store.flow;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.flowstore.api.DeviceId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.cluster.MastershipService;
import org.flowstore.api.store.FlowRuleStoreException;

/**
 * The device tables this node holds, as master or as standby, created on first use.
 *
 * <p>A master writes to a table only in the term the table was activated for: the first write
 * (or the mastership event) in a new term starts the activation, which brings the table up to
 * date from the most advanced standby, and writes wait for it, at most {@link #ACTIVATION_WAIT}.
 * Thread-safe.
 */
final class FlowTables {

    /** Longest a write waits for its table to be activated in a new term. */
    static final Duration ACTIVATION_WAIT = Duration.ofSeconds(10);

    private record Activation(long term, CompletableFuture<Void> done) {
    }

    private final ConcurrentMap<DeviceId, DeviceFlowTable> tables = new ConcurrentHashMap<>();
    private final ConcurrentMap<DeviceId, Activation> activations = new ConcurrentHashMap<>();
    private final MastershipService mastership;
    private volatile BiFunction<DeviceId, MastershipInfo, CompletableFuture<Void>> activator =
            (deviceId, info) -> CompletableFuture.completedFuture(null);

    FlowTables(MastershipService mastership) {
        this.mastership = mastership;
    }

    /** Sets what brings a table up to date when this node becomes its master. */
    void setActivator(BiFunction<DeviceId, MastershipInfo, CompletableFuture<Void>> activator) {
        this.activator = activator;
    }

    /**
     * Returns a device's table for a write by its master, activated for the current term.
     *
     * @throws FlowRuleStoreException if the activation does not finish in time
     */
    DeviceFlowTable forWrite(DeviceId deviceId) {
        try {
            return whenActive(deviceId).join();
        } catch (CompletionException e) {
            throw (FlowRuleStoreException) e.getCause();
        }
    }

    /**
     * Returns, without blocking, when a device's table is active in the current term (starting its
     * activation if needed); fails after {@link #ACTIVATION_WAIT}.
     */
    CompletableFuture<DeviceFlowTable> whenActive(DeviceId deviceId) {
        MastershipInfo info = mastership.getMastershipFor(deviceId);
        DeviceFlowTable table = tables.computeIfAbsent(deviceId, DeviceFlowTable::new);
        if (table.activeTerm() == info.term()) {
            return CompletableFuture.completedFuture(table);
        }
        return activate(deviceId, info).copy().orTimeout(ACTIVATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((v, e) -> {
                    if (e == null) {
                        return table;
                    }
                    Throwable cause = Causes.of(e);
                    throw new FlowRuleStoreException(deviceId, "the table of " + deviceId + " is not yet taken over by"
                            + " its new master (" + (cause instanceof TimeoutException ? "still being brought up to date"
                            + " after " + ACTIVATION_WAIT.toSeconds() + " s" : cause.getMessage()) + "); try again", cause);
                });
    }

    /**
     * Starts (once per term) bringing a device's table up to date for this node's mastership.
     *
     * @return completes when the table is active in the term
     */
    CompletableFuture<Void> activate(DeviceId deviceId, MastershipInfo info) {
        boolean[] created = {false};
        Activation activation = activations.compute(deviceId, (d, current) -> {
            if (current != null && current.term() == info.term()) {
                return current;
            }
            created[0] = true;
            return new Activation(info.term(), new CompletableFuture<>());
        });
        if (created[0]) {
            CompletableFuture<Void> sync;
            try {
                sync = activator.apply(deviceId, info);
            } catch (RuntimeException e) {
                sync = CompletableFuture.failedFuture(e);
            }
            // A failed take-over leaves the table closed: serving a copy that may miss acknowledged
            // writes would lose them. The activator logged why; the next write or retry starts again.
            sync.whenComplete((ok, e) -> {
                if (e != null) {
                    activations.remove(deviceId, activation);
                    activation.done().completeExceptionally(e);
                } else {
                    replica(deviceId).activate(info.term());
                    activation.done().complete(null);
                }
            });
        }
        return activation.done();
    }

    /** Returns a device's table, created if needed, without activation: for copies kept as a standby. */
    DeviceFlowTable replica(DeviceId deviceId) {
        return tables.computeIfAbsent(deviceId, DeviceFlowTable::new);
    }

    /** Returns a device's table, or null when this node holds none. */
    DeviceFlowTable existing(DeviceId deviceId) {
        return tables.get(deviceId);
    }

    /** Drops this node's copy of a device's table. */
    void drop(DeviceId deviceId) {
        tables.remove(deviceId);
        activations.remove(deviceId);
    }

    Collection<DeviceFlowTable> all() {
        return tables.values();
    }

    void clear() {
        tables.clear();
        activations.clear();
    }

}
