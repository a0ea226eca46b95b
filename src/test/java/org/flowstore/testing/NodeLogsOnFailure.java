package org.flowstore.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the end of each node process's log when a multi-process test fails: CI keeps only what
 * the build printed, not the files under {@code target/}, and a failure of a cluster of processes
 * is explained by what the nodes logged just before it.
 */
public final class NodeLogsOnFailure implements TestWatcher {

    private static final int LINES = 40;

    private final Supplier<List<Path>> logs;
    private final Predicate<String> noise;

    /**
     * @param logs the logs of the failed test's nodes, asked for once it failed
     * @param noise lines left out of the tail (a node's own output of what it acknowledged, say)
     */
    public NodeLogsOnFailure(Supplier<List<Path>> logs, Predicate<String> noise) {
        this.logs = logs;
        this.noise = noise;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (Path log : logs.get()) {
            System.out.printf("---- the last %d lines of %s (%s failed) ----%n%s%n", LINES, log,
                    context.getDisplayName(), tail(log));
        }
    }

    private String tail(Path log) {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        Deque<String> last = new ArrayDeque<>(LINES);
        try (Stream<String> lines = Files.lines(log)) {
            lines.filter(noise.negate()).forEach(line -> {
                if (last.size() == LINES) {
                    last.removeFirst();
                }
                last.addLast(line);
            });
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
        return String.join(System.lineSeparator(), last);
    }
}
