package org.flowstore.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.flowstore.testing.TestPorts;

/**
 * A short chaos run as the suite's smoke of {@code tools/flowstore chaos}: three node processes
 * under writes from every node, one round of each fault (kill -9 and restart, SIGSTOP and
 * SIGCONT, a link cut and healed where network namespaces can be made, a graceful stop and
 * restart); every acknowledged write found once on its master, the standbys' copies equal to the
 * masters', the contract line last and everything stopped and removed. The long runs (100 rounds
 * and more) are the tool's, on the command line.
 */
@Timeout(420)
class ChaosCommandTest {

    private static final Pattern ROUND = Pattern.compile(
            "round (\\d)/\\d: fault=(kill|stop|cut|leave) victim=n\\d devices=\\d+ raft_leader=(yes|no)"
                    + " failover_ms=(-?\\d+) acked=(\\d+) lost=(\\d+) dup=(\\d+) replicas=(\\S+) .*");
    private static final Pattern LAST_LINE = Pattern.compile(
            "chaos: rounds=(\\d+) acked=(\\d+) lost=(\\d+) dup=(\\d+) failover_ms_median=(-?\\d+) failover_ms_max=(-?\\d+)");

    @Test
    void oneRoundOfEachFaultLosesAndDuplicatesNothing() throws Exception {
        Path runDir = Files.createTempDirectory("flowstore-chaos");
        int restBase = TestPorts.freeRange(3);
        int clusterBase = TestPorts.freeRange(3);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        // Namespaces where they can be made (root, iproute2), so the cut fault is in the rotation.
        boolean cut = NetworkNamespaces.unavailableReason() == null;
        List<String> faults = cut ? List.of("kill", "stop", "cut", "leave") : List.of("kill", "stop", "leave");
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = FlowstoreCommand.commandLine().execute("chaos", "--rounds", String.valueOf(faults.size()),
                    "--faults", String.join(",", faults), "--devices", "4",
                    "--writes-before-fault", "500", "--run-dir", runDir.toString(), "--rest-port-base",
                    String.valueOf(restBase), "--cluster-port-base", String.valueOf(clusterBase));
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        List<String> lines = output.lines().toList();

        List<Matcher> rounds = lines.stream().map(ROUND::matcher).filter(Matcher::matches).toList();
        assertEquals(faults.size(), rounds.size(), "one line per round");
        assertEquals(faults, rounds.stream().map(m -> m.group(2)).toList());
        long acked = 0;
        for (Matcher r : rounds) {
            assertEquals("0", r.group(6), "lost in " + r.group());
            assertEquals("0", r.group(7), "duplicated in " + r.group());
            assertEquals("ok", r.group(8), "the standbys hold the masters' tables: " + r.group());
            assertTrue(Long.parseLong(r.group(4)) >= 0, "the victim's devices took writes again: " + r.group());
            assertTrue(Long.parseLong(r.group(5)) > 0, "writes were acknowledged: " + r.group());
            acked += Long.parseLong(r.group(5));
        }
        Matcher last = LAST_LINE.matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), "last line: " + lines.get(lines.size() - 1));
        assertEquals(String.valueOf(faults.size()), last.group(1));
        assertEquals(acked, Long.parseLong(last.group(2)));
        assertEquals("0", last.group(3));
        assertEquals("0", last.group(4));
        assertEquals(0, exit);
        assertFalse(Files.exists(runDir.resolve("chaos").resolve("cluster.json")), "cluster state removed");
        for (int i = 0; i < 3; i++) {
            try (ServerSocket free = new ServerSocket(restBase + i)) {
                assertTrue(free.isBound(), "REST port of n" + (i + 1) + " released");
            }
        }
        if (cut) {
            String left = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8);
            String prefix = "fs" + ProcessHandle.current().pid() % 100000;
            assertFalse(left.lines().anyMatch(l -> l.startsWith(prefix)), "namespaces removed: " + left);
        }
    }
}
