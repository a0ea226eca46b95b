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
                "maxFlowsInFlightPerMaster", "3000", "maxWaitingFlows", 0));
        assertEquals(new StoreConfig(16, false, 2, BackupMode.ASYNC, Duration.ofMillis(250), Duration.ofMillis(1000),
                3000, 0), update.config());
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
        StoreConfig.Update update = previous.apply(bad);
        assertEquals(previous, update.config());
        assertEquals(8, update.rejected().size(), update.rejected().toString());
        assertTrue(update.rejected().contains("msgHandlerPoolSize='0' refused (must be 1..256); keeping 4"),
                update.rejected().toString());
        assertTrue(update.rejected().stream().anyMatch(r -> r.startsWith("backupMode='sometimes' refused")));
        assertTrue(update.rejected().contains("maxFlowsInFlightPerMaster='0' refused (must be 1..100000000); keeping"
                + " 2000"), update.rejected().toString());
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
                StoreConfig.DEFAULT_MAX_FLOWS_IN_FLIGHT_PER_MASTER, StoreConfig.DEFAULT_MAX_WAITING_FLOWS);
    }
}
