package org.flowstore.store.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one kind of event of a service. Events are posted on the service's event
 * executor, so a slow listener never stalls the thread that saw the change; a listener that
 * throws is logged and the others still hear the event.
 *
 * @param <E> the event type
 */
final class Listeners<E> {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private final List<Consumer<E>> listeners = new CopyOnWriteArrayList<>();
    private final Executor executor;
    private final String owner;

    /**
     * @param executor runs the listeners, one event after the other if it is single-threaded
     * @param owner names the service and node in logs
     */
    Listeners(Executor executor, String owner) {
        this.executor = executor;
        this.owner = owner;
    }

    void add(Consumer<E> listener) {
        listeners.add(listener);
    }

    void remove(Consumer<E> listener) {
        listeners.remove(listener);
    }

    void post(E event) {
        try {
            executor.execute(() -> {
                for (Consumer<E> listener : listeners) {
                    try {
                        listener.accept(event);
                    } catch (RuntimeException e) {
                        log.warn("A listener of {} failed on {}", owner, event, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // The service stopped (its executor is shut down) while Atomix still delivered a change.
            log.debug("{} stopped; {} not delivered", owner, event);
        }
    }
}
