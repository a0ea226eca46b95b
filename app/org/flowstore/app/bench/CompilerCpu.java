package org.flowstore.app.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of this JVM's JIT compiler threads, from Linux's per-thread accounting
 * ({@code /proc/self/task}). The JVM's own figure ({@code CompilationMXBean}) is elapsed time,
 * which on a saturated machine is mostly compilations waiting for a core: three nodes on 2 cores
 * reported 120 to 230 % of the wall time, with a compile queue of five methods.
 */
final class CompilerCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** Linux reports thread times in ticks of USER_HZ, 100 per second on every architecture it runs on here. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CompilerCpu() {
    }

    /** Returns the compiler threads' CPU time so far, or -1 where the system does not tell. */
    static long nanos() {
        if (!Files.isDirectory(TASKS)) {
            return -1;
        }
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                ticks += compilerTicks(task);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return ticks * NANOS_PER_TICK;
    }

    /** User and system ticks of a thread if it is a JIT compiler ("C2 CompilerThre", "C1 CompilerThre"), else 0. */
    private static long compilerTicks(Path task) {
        try {
            if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                return 0;
            }
            String stat = Files.readString(task.resolve("stat"));
            // After the parenthesised name: state is field 3; utime and stime are fields 14 and 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException threadEnded) {
            return 0; // a compiler thread the JVM stopped meanwhile: its time is not counted
        }
    }
}
