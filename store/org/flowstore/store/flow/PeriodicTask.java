package org.flowstore.store.flow;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round of work repeated on the store's scheduler at a period read from the configuration, so a
 * change of period takes effect at the next {@link #schedule}. A round that throws is logged and
 * the next one runs as planned.
 */
final class PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Runnable round;
    private final Supplier<Duration> period;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> task;

    PeriodicTask(String name, Runnable round, Supplier<Duration> period, ScheduledExecutorService scheduler) {
        this.name = name;
        this.round = round;
        this.period = period;
        this.scheduler = scheduler;
    }

    /** Starts the rounds, or restarts them at the current period. */
    synchronized void schedule() {
        stop();
        long nanos = period.get().toNanos();
        task = scheduler.scheduleWithFixedDelay(this::runSafely, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    private void runSafely() {
        try {
            round.run();
        } catch (RuntimeException e) {
            log.warn("{} round failed", name, e);
        }
    }
}
