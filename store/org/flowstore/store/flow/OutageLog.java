package org.flowstore.store.flow;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts failures per subject (a device, a standby) between successes, so that an outage is
 * logged once when it starts and once when it ends, not once per message: a master crash makes
 * every write of its devices fail until the failover, hundreds of them a second.
 *
 * <p>Thread-safe; the callers log.
 *
 * @param <K> what fails (e.g. a device)
 */
final class OutageLog<K> {

    private final ConcurrentMap<K, Integer> failures = new ConcurrentHashMap<>();

    /** Counts a failure of {@code key}; returns true if it starts an outage (log it as a warning). */
    boolean failed(K key) {
        return failures.merge(key, 1, Integer::sum) == 1;
    }

    /** Ends an outage of {@code key}; returns the failures it counted, 0 if there was none (then log nothing). */
    int succeeded(K key) {
        Integer counted = failures.remove(key);
        return counted == null ? 0 : counted;
    }
}
