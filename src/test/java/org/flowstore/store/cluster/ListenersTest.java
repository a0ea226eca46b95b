package org.flowstore.store.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** How a service's listeners hear its events, including once the service has stopped. */
class ListenersTest {

    @Test
    void aFailingListenerDoesNotKeepTheEventFromTheOthers() {
        List<String> heard = new CopyOnWriteArrayList<>();
        Listeners<String> listeners = new Listeners<>(Runnable::run, "test service");
        listeners.add(e -> {
            throw new IllegalStateException("broken listener");
        });
        listeners.add(heard::add);
        listeners.post("up");
        assertEquals(List.of("up"), heard);
    }

    @Test
    void anEventAfterTheServiceStoppedIsDroppedQuietly() throws InterruptedException {
        List<String> heard = new CopyOnWriteArrayList<>();
        ExecutorService events = Executors.newSingleThreadExecutor();
        Listeners<String> listeners = new Listeners<>(events, "test service");
        listeners.add(heard::add);
        listeners.post("before");
        events.shutdown();
        events.awaitTermination(5, TimeUnit.SECONDS);
        listeners.post("after the stop");
        assertEquals(List.of("before"), heard);
    }
}
