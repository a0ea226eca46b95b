package org.flowstore.store.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An outage starts with its first failure, counts the rest, and ends with a success. */
class OutageLogTest {

    @Test
    void onlyTheFirstFailureOfAnOutageStartsItAndTheSuccessEndingItCountsThemAll() {
        OutageLog<String> outages = new OutageLog<>();
        assertEquals(0, outages.succeeded("d1"), "no outage yet");
        assertTrue(outages.failed("d1"));
        assertFalse(outages.failed("d1"));
        assertFalse(outages.failed("d1"));
        assertTrue(outages.failed("d2"), "outages are per subject");
        assertEquals(3, outages.succeeded("d1"));
        assertEquals(0, outages.succeeded("d1"), "ended once");
        assertTrue(outages.failed("d1"), "a new outage");
        assertEquals(1, outages.succeeded("d2"));
    }
}
