package org.flowstore.store.flow;

import java.time.Duration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.flowstore.store.flow.StoreConfig.BackupMode;

class StoreConfigTest {

    @Test
    void absentPropertiesTakeTheContractDefaults() {
        StoreConfig.Update update = StoreConfig.DEFAULTS.apply(Map.of());
        assertEquals(config(8, true, 1, BackupMode.SYNC, 100, 5000), update.config());
        assertEquals(List.of(), update.rejected());
    }

    @Test
    void validValuesApplyWhateverTheirForm() {
        StoreConfig.Update update = StoreConfig.DEFAULTS.apply(Map.of(
                "msgHandlerPoolSize", "16", "backupEnabled", "FALSE", "backupCount", 2L,
                "backupMode", " Async ", "backupPeriod", 250, "antiEntropyPeriod", "1000",
                "maxFlowsInFlightPerMaster", "3000", "maxWaitingFlows", 0, "maxFlowsPerNode", "5000"));
        assertEquals(new StoreConfig(16, false, 2, BackupMode.ASYNC, Duration.ofMillis(250), Duration.ofMillis(1000),
                3000, 0, 5000), update.config());
        assertEquals(List.of(), update.rejected());
    }

    @Test
    void invalidValuesAreRefusedWithTheReasonAndThePreviousValueKept() {
        StoreConfig previous = config(4, false, 2, BackupMode.ASYNC, 50, 2000);
        Map<String, Object> bad = new HashMap<>();
        bad.put("msgHandlerPoolSize", 0);
        bad.put("backupEnabled", "yes");
        bad.put("backupCount", -1);
        bad.put("backupMode", "sometimes");
        bad.put("backupPeriod", "fast");
        bad.put("antiEntropyPeriod", 99_999_999_999L);
        bad.put("maxFlowsInFlightPerMaster", 0);
        bad.put("maxWaitingFlows", -1);
        bad.put("maxFlowsPerNode", "lots");
        StoreConfig.Update update = previous.apply(bad);
        assertEquals(previous, update.config());
        assertEquals(9, update.rejected().size(), update.rejected().toString());
        assertTrue(update.rejected().contains("msgHandlerPoolSize='0' refused (must be 1..256); keeping 4"),
                update.rejected().toString());
        assertTrue(update.rejected().stream().anyMatch(r -> r.startsWith("backupMode='sometimes' refused")));
        assertTrue(update.rejected().contains("maxFlowsInFlightPerMaster='0' refused (must be 1..100000000); keeping"
                + " 2000"), update.rejected().toString());
    }

    @Test
    void theMemoryBoundIsTheConfiguredOneOrDerivedFromTheHeap() {
        assertEquals(671_088, StoreConfig.DEFAULTS.maxFlowsPerNode(512L << 20));
        assertEquals(3_355_443, StoreConfig.DEFAULTS.maxFlowsPerNode(2048L << 20));
        assertEquals(1_000, StoreConfig.DEFAULTS.maxFlowsPerNode(100L << 20));
        StoreConfig bounded = StoreConfig.DEFAULTS.apply(Map.of("maxFlowsPerNode", 5000)).config();
        assertEquals(5000, bounded.maxFlowsPerNode(512L << 20));
        assertTrue(bounded.toString().endsWith("maxFlowsPerNode=5000"), bounded.toString());
        assertTrue(StoreConfig.DEFAULTS.toString().endsWith("maxFlowsPerNode=0 (from the heap)"));
    }

    @Test
    void theStoreAppliesChangesLiveAndKeepsValuesItRefuses() {
        StoreFixture fixture = new StoreFixture().start(Map.of("backupPeriod", 300));
        try {
            assertEquals(Duration.ofMillis(300), fixture.store.config().backupPeriod());
            fixture.store.modified(Map.of("backupPeriod", 40, "msgHandlerPoolSize", 2, "backupMode", "async"));
            assertEquals(config(2, true, 1, BackupMode.ASYNC, 40, 5000), fixture.store.config());
            fixture.store.modified(Map.of("backupPeriod", -5, "msgHandlerPoolSize", 12, "backupMode", "async"));
            assertEquals(config(12, true, 1, BackupMode.ASYNC, 40, 5000), fixture.store.config());
            fixture.store.modified(Map.of());
            assertEquals(StoreConfig.DEFAULTS, fixture.store.config());
        } finally {
            fixture.store.deactivate();
        }
    }

    private static StoreConfig config(int pool, boolean enabled, int count, BackupMode mode, int periodMs,
                                      int antiEntropyMs) {
        return new StoreConfig(pool, enabled, count, mode, Duration.ofMillis(periodMs), Duration.ofMillis(antiEntropyMs),
                StoreConfig.DEFAULT_MAX_FLOWS_IN_FLIGHT_PER_MASTER, StoreConfig.DEFAULT_MAX_WAITING_FLOWS,
                StoreConfig.DEFAULT_MAX_FLOWS_PER_NODE);
    }
}
