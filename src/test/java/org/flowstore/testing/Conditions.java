package org.flowstore.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The one way tests wait for something to happen: polls a condition (Awaitility) every
 * {@value #POLL_MILLIS} ms until it holds, or fails the test at the deadline. Tests never sleep
 * to let something happen, and never sleep before checking that something did not happen: they
 * wait for a later event that proves the earlier one was handled.
 */
public final class Conditions {

    private static final long POLL_MILLIS = 10;
    /** The deadline of {@link #awaitTrue(BooleanSupplier)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Conditions() {
    }

    /** Waits until a condition holds, at most {@link #DEFAULT_TIMEOUT}. */
    public static void awaitTrue(BooleanSupplier condition) {
        awaitTrue(DEFAULT_TIMEOUT, condition);
    }

    /** Waits until a condition holds, at most {@code timeout}. */
    public static void awaitTrue(Duration timeout, BooleanSupplier condition) {
        awaitTrue(timeout, condition, () -> "");
    }

    /**
     * Waits until a condition holds, at most {@code timeout}; a failure says what {@code context}
     * tells at the deadline (say, which bundles are not active).
     */
    public static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> context) {
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(POLL_MILLIS))
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            String detail = context.get();
            throw new AssertionError("condition not met within " + timeout.toMillis() + " ms"
                    + (detail.isEmpty() ? "" : "; " + detail), e);
        }
    }
}
