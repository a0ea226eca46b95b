package org.flowstore.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.flowstore.testing.TestPorts;

/**
 * The demo end to end, smaller than on the command line: three node processes, a few thousand
 * flows over REST, SIGKILL of a master, every flow found again, everything stopped. Its last
 * line is the contract line.
 */
@Timeout(240)
class DemoCommandTest {

    private static final Pattern LAST_LINE = Pattern.compile("demo: flows=(\\d+) lost=(\\d+) failover_ms=(\\d+)");
    private static final Pattern OVS_LAST_LINE =
            Pattern.compile("demo: flows=(\\d+) lost=(\\d+) failover_ms=(\\d+) switch_flows=(\\d+)");

    /** What a demo run printed, and its exit status. */
    private record Run(int exit, String output, Matcher last) {
    }

    /** Runs the demo in this JVM, its output captured; the last line must match {@code lastLine}. */
    private static Run demo(Pattern lastLine, String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = FlowstoreCommand.commandLine().execute(args);
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        List<String> lines = output.lines().toList();
        Matcher last = lastLine.matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), "last line: " + lines.get(lines.size() - 1));
        return new Run(exit, output, last);
    }

    @Test
    void theDemoLosesNothingAndStopsEverythingItStarted() throws Exception {
        Path runDir = Files.createTempDirectory("flowstore-demo");
        int restBase = TestPorts.freeRange(3);
        int clusterBase = TestPorts.freeRange(3);
        Run run = demo(LAST_LINE, "demo", "--flows", "4000", "--devices", "4", "--batch", "500", "--run-dir",
                runDir.toString(), "--rest-port-base", String.valueOf(restBase), "--cluster-port-base",
                String.valueOf(clusterBase));
        assertEquals("4000", run.last().group(1));
        assertEquals("0", run.last().group(2), "flows lost");
        assertTrue(Long.parseLong(run.last().group(3)) > 0);
        assertEquals(0, run.exit());
        assertTrue(run.output().contains("mastership:"));
        assertFalse(Files.exists(runDir.resolve("demo").resolve("cluster.json")), "cluster state removed");
        for (int i = 0; i < 3; i++) {
            try (ServerSocket free = new ServerSocket(restBase + i)) {
                assertTrue(free.isBound(), "REST port of n" + (i + 1) + " released");
            }
        }
    }

    @Test
    void onOpenVSwitchEveryFlowIsInTheBridgesAfterTheFailover(@TempDir Path runDir) {
        Optional<String> unavailable = LocalSwitches.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        Run run = demo(OVS_LAST_LINE, "demo", "--switches", "ovs", "--flows", "4000", "--devices", "4", "--batch",
                "500", "--run-dir", runDir.toString(), "--rest-port-base", String.valueOf(TestPorts.freeRange(3)),
                "--cluster-port-base", String.valueOf(TestPorts.freeRange(3)),
                "--openflow-port-base", String.valueOf(TestPorts.freeRange(3)));
        assertEquals("4000", run.last().group(1));
        assertEquals("0", run.last().group(2), "flows lost");
        assertEquals("4000", run.last().group(4), "flows in the bridges after the failover");
        assertEquals(0, run.exit());
        assertTrue(run.output().contains("Open vSwitch stopped"));
    }
}
