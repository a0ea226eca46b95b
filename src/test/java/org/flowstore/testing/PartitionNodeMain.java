package org.flowstore.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.flowstore.api.DeviceId;
import org.flowstore.api.NodeId;
import org.flowstore.api.cluster.MastershipInfo;
import org.flowstore.api.flow.CompletedBatchOperation;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleBatchEvent;
import org.flowstore.api.flow.FlowRuleOperation;
import org.flowstore.store.NodeStack;
import org.flowstore.store.cluster.AtomixMastership;
import org.flowstore.api.cluster.ClusterMember;
import org.flowstore.store.cluster.ClusterSettings;
import org.flowstore.store.cluster.DeviceInventory;
import org.flowstore.store.flow.DistributedFlowRuleStore;
import org.flowstore.store.flow.LocalCopies;

/**
 * One cluster node in its own JVM (and, in partition tests, its own network namespace), driven
 * through standard input, answering on standard output. The delegate acts as an instant device.
 *
 * <p>Arguments: {@code <id> <members> <data dir> <devices> <first batch id> [property=value ...]}.
 * Commands, one per line: {@code WRITE} starts one writer per device that sends
 * {@value #RULES_PER_BATCH}-rule batches through this node (at most 4 in flight per device), printing
 * {@code ACK <batch> <device> <millis>} or {@code NACK <batch> <device> <millis> <reason>} for
 * each; {@code STOP} stops it and prints {@code STOPPED} once nothing is in flight;
 * {@code YIELD} hands every device this node masters to its first standby and prints
 * {@code YIELDED} (balancing does not take them back); {@code DUMP} prints {@code COPY <device> master=<m> term=<t> backups=<b> <copy>} per device
 * (see {@link LocalCopies}) and then {@code END}. Prints {@code READY <id>} once it serves.
 */
public final class PartitionNodeMain {

    /** Rules in each batch; batch b holds rules b*N .. b*N+N-1 of its device. */
    public static final int RULES_PER_BATCH = 5;
    private static final int IN_FLIGHT = 4;

    private PartitionNodeMain() {
    }

    /**
     * Returns the rules of one batch.
     *
     * @param device the device written to
     * @param batch the batch id
     * @return its rules
     */
    public static List<FlowRule> rules(DeviceId device, long batch) {
        return TestFlows.batchRules(device, batch, RULES_PER_BATCH);
    }

    public static void main(String[] args) throws Exception {
        NodeId id = NodeId.nodeId(args[0]);
        ClusterSettings settings = ClusterSettings.of(id, ClusterMember.parseList(args[1]), Path.of(args[2]));
        int devices = Integer.parseInt(args[3]);
        long firstBatch = Long.parseLong(args[4]);
        Map<String, Object> properties = NodeProcessMain.properties(args, 5);
        NodeStack stack = new NodeStack(settings);
        try {
            stack.start(properties);
        } catch (RuntimeException e) {
            // Said once, and the process ends: the test sees a start that gave up.
            e.printStackTrace(System.out);
            System.exit(1);
        }
        AtomixMastership mastership = stack.mastership();
        DeviceInventory inventory = stack.inventory();
        DistributedFlowRuleStore store = stack.store();
        Map<DeviceId, Semaphore> inFlight = new ConcurrentHashMap<>();
        Map<Long, DeviceId> deviceOf = new ConcurrentHashMap<>();
        store.setDelegate(event -> {
            if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_REQUESTED) {
                store.batchOperationComplete(FlowRuleBatchEvent.completed(event.subject(),
                        CompletedBatchOperation.succeeded(event.deviceId())));
            } else if (event.type() == FlowRuleBatchEvent.Type.BATCH_OPERATION_COMPLETED) {
                DeviceId device = deviceOf.remove(event.batchId());
                if (device == null) {
                    return;
                }
                print(event.result().success()
                        ? "ACK " + event.batchId() + " " + device + " " + System.currentTimeMillis()
                        : "NACK " + event.batchId() + " " + device + " " + System.currentTimeMillis() + " "
                          + event.result().reason().replace('\n', ' '));
                inFlight.get(device).release();
            }
        });
        List<DeviceId> ids = new ArrayList<>();
        for (int d = 1; d <= devices; d++) {
            ids.add(TestFlows.device(d));
            inventory.deviceConnected(TestFlows.device(d)).get(60, TimeUnit.SECONDS);
        }
        print("READY " + id);
        ids.forEach(d -> inFlight.put(d, new Semaphore(IN_FLIGHT)));
        AtomicBoolean writing = new AtomicBoolean();
        AtomicLong nextBatch = new AtomicLong(firstBatch);
        List<Thread> writers = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = in.readLine()) != null; ) {
            String[] words = command.trim().split(" ");
            switch (words[0]) {
                case "WRITE" -> {
                    writing.set(true);
                    // One writer per device: a device whose master is unreachable holds up only its own writes.
                    for (DeviceId device : ids) {
                        Thread writer = new Thread(() -> {
                            Semaphore slots = inFlight.get(device);
                            while (writing.get()) {
                                slots.acquireUninterruptibly();
                                long batch = nextBatch.getAndIncrement();
                                deviceOf.put(batch, device);
                                store.storeBatch(TestFlows.batch(batch, FlowRuleOperation.ADD, rules(device, batch)));
                                try {
                                    Thread.sleep(10);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        }, "writer-" + id + "-" + device);
                        writers.add(writer);
                        writer.start();
                    }
                }
                case "STOP" -> {
                    writing.set(false);
                    for (Thread writer : writers) {
                        writer.join();
                    }
                    writers.clear();
                    for (Semaphore slots : inFlight.values()) {
                        slots.acquire(IN_FLIGHT);
                        slots.release(IN_FLIGHT);
                    }
                    print("STOPPED");
                }
                case "YIELD" -> {
                    for (DeviceId d : ids) {
                        if (mastership.getMastershipFor(d).isMaster(id)) {
                            mastership.relinquishMastership(d).get(10, TimeUnit.SECONDS);
                        }
                    }
                    print("YIELDED");
                }
                case "DUMP" -> {
                    StringBuilder out = new StringBuilder();
                    for (DeviceId d : ids) {
                        MastershipInfo info = mastership.getMastershipFor(d);
                        out.append("COPY ").append(d).append(" master=").append(info.master().map(NodeId::id).orElse("none"))
                                .append(" term=").append(info.term()).append(" backups=")
                                .append(info.backups().stream().map(NodeId::id).toList().toString().replace(" ", ""))
                                .append(' ').append(LocalCopies.describe(store, d)).append('\n');
                    }
                    out.append("END");
                    print(out.toString());
                }
                default -> print("UNKNOWN " + command);
            }
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
