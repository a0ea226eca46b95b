package org.flowstore.store.flow;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.flowstore.api.NodeId;

/**
 * The store's threads, in one place:
 * <ul>
 *   <li>{@link #messages()}: requests from other nodes (reads, batches, completions), forwarded
 *   batches' outcomes and take-overs; {@code msgHandlerPoolSize} threads, resized live;</li>
 *   <li>{@link #replication()}: deltas, snapshots, digests and version questions arriving from
 *   masters, apart from the message handlers so copies keep moving when every handler waits on a
 *   client request;</li>
 *   <li>{@link #scheduler()}: one thread for the periodic rounds (backup flush, anti-entropy,
 *   orphaned batches).</li>
 * </ul>
 */
final class StoreExecutors {

    private static final Logger log = LoggerFactory.getLogger(StoreExecutors.class);

    /** Threads handling replication messages. */
    static final int REPLICATION_THREADS = 2;

    private final NodeId localNode;
    private final ThreadPoolExecutor messages;
    private final ExecutorService replication;
    private final ScheduledExecutorService scheduler;

    StoreExecutors(NodeId localNode, int messageThreads) {
        this.localNode = localNode;
        // Work handed over while the store stops (a late event, a reply) is dropped: nothing may act any more.
        messages = new ThreadPoolExecutor(messageThreads, messageThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemons("flowstore-msg-" + localNode + "-%d"),
                (task, pool) -> log.debug("Flow store of node {} is stopping: a task is dropped", localNode));
        replication = Executors.newFixedThreadPool(REPLICATION_THREADS, daemons("flowstore-replica-rx-" + localNode + "-%d"));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemons("flowstore-replication-" + localNode));
    }

    private static ThreadFactory daemons(String nameFormat) {
        return new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build();
    }

    ThreadPoolExecutor messages() {
        return messages;
    }

    ExecutorService replication() {
        return replication;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Resizes the message handlers; queued work is kept. */
    void resizeMessages(int size) {
        // Grow the maximum first and shrink the core first: core may never exceed maximum.
        if (size > messages.getMaximumPoolSize()) {
            messages.setMaximumPoolSize(size);
            messages.setCorePoolSize(size);
        } else {
            messages.setCorePoolSize(size);
            messages.setMaximumPoolSize(size);
        }
    }

    /** Stops the periodic rounds and replication at once, and lets handled requests finish within {@code grace}. */
    void shutdown(Duration grace) {
        scheduler.shutdownNow();
        replication.shutdownNow();
        messages.shutdown();
        try {
            if (!messages.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Message handlers of node {} did not finish within {} ms; interrupting them", localNode,
                        grace.toMillis());
                messages.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            messages.shutdownNow();
        }
    }
}
