package org.flowstore.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops what a tool started on a local cluster exactly once: when the tool is done, or when its
 * JVM exits first (Ctrl-C), through a shutdown hook registered for that.
 */
final class ClusterShutdown implements AutoCloseable {

    private final LocalCluster cluster;
    private final PrintStream out;
    private final String tool;
    private final Runnable also;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook;

    /**
     * Registers the shutdown hook.
     *
     * @param cluster the cluster to stop
     * @param out where to report
     * @param tool the tool's name, for messages
     * @param also what else to stop after the nodes (bridges, say)
     */
    ClusterShutdown(LocalCluster cluster, PrintStream out, String tool, Runnable also) {
        this.cluster = cluster;
        this.out = out;
        this.tool = tool;
        this.also = also;
        this.hook = new Thread(this::stopOnce, "flowstore-" + tool + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Stops the nodes and the rest, unless done already, and removes the hook. */
    @Override
    public void close() {
        stopOnce();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down (Ctrl-C): the hook is running.
        }
    }

    private void stopOnce() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        try {
            out.println("stopping the cluster");
            cluster.stop(out);
        } catch (IOException e) {
            System.err.println(tool + ": could not stop every node: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        also.run();
    }
}
