package org.flowstore.store.flow;

import java.time.Duration;

/**
 * How a request is sent again after a node answered that it is not (or no longer) the device's
 * master: this node's view of the mastership, or the other's, lags behind an election, so the
 * request waits for the views to catch up, each wait twice the last, a bounded number of times.
 * One policy for reads and batches alike.
 *
 * @param retries how many times a request is sent again
 * @param firstDelay the wait before the first retry
 */
record RetryPolicy(int retries, Duration firstDelay) {

    /** The policy for "not the master" answers: 5 retries after 50, 100, 200, 400 and 800 ms. */
    static final RetryPolicy NOT_MASTER = new RetryPolicy(5, Duration.ofMillis(50));

    /** Returns true when a request that failed {@code attempt} times before (0: the first try) may be sent again. */
    boolean allows(int attempt) {
        return attempt < retries;
    }

    /** Returns the wait before retry number {@code attempt} (0-based). */
    Duration delay(int attempt) {
        return firstDelay.multipliedBy(1L << attempt);
    }

    /** Returns the sum of every wait: the longest a request spends waiting between its attempts. */
    Duration totalDelay() {
        Duration total = Duration.ZERO;
        for (int i = 0; i < retries; i++) {
            total = total.plus(delay(i));
        }
        return total;
    }
}
