package org.flowstore.store.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

import org.flowstore.api.NodeId;

/**
 * Admission of the batches this node issues to their masters, so that an overloaded master slows
 * its callers down instead of timing them out: at most {@code window} flows sent from here to one
 * master may await its answer; a batch past that waits, in issue order, until answers make room.
 * A lane with nothing in flight admits one batch of any size, so a batch larger than the window
 * still goes (alone). A batch that would make more than {@code maxWaiting} flows wait on this
 * node is refused at once: waiting longer than that would only turn into timeouts.
 *
 * <p>The master's work for one issuer is bounded by the window, and so its work in all by the
 * number of issuers times the window, without any coordination between the issuers.
 *
 * <p>Thread-safe: each master's lane is guarded by its own monitor. Nothing here runs a batch:
 * {@link #offer} says whether the caller may send it now, and {@link #release} and
 * {@link #expire} hand back the batches that may go, or have waited too long, to their caller.
 *
 * @param <T> what waits (a batch)
 */
final class MasterAdmission<T> {

    /** What became of an offered batch. */
    enum Outcome {
        /** Send it now; {@link #release} once its master answered. */
        ADMITTED,
        /** It waits: {@link #release} or {@link #expire} hands it back. */
        WAITING,
        /** Too many flows wait already: fail it. */
        REFUSED
    }

    /** A batch waiting for room, since when. */
    private record Waiting<T>(T batch, int flows, long sinceNanos) {
    }

    /** One master's batches from this node. Guarded by its own monitor. */
    private static final class Lane<T> {
        private long inFlight;
        private final ArrayDeque<Waiting<T>> waiting = new ArrayDeque<>();
    }

    private final IntSupplier window;
    private final IntSupplier maxWaiting;
    private final ConcurrentMap<NodeId, Lane<T>> lanes = new ConcurrentHashMap<>();
    private final AtomicLong waitingFlows = new AtomicLong();

    /**
     * @param window flows in flight per master, read at each decision (it is a live setting)
     * @param maxWaiting flows waiting on this node for all masters together
     */
    MasterAdmission(IntSupplier window, IntSupplier maxWaiting) {
        this.window = window;
        this.maxWaiting = maxWaiting;
    }

    /**
     * Offers a batch for a master: admitted if nothing waits for that master and the batch fits in
     * its window, else waiting, unless too many flows wait already.
     */
    Outcome offer(NodeId master, int flows, T batch) {
        Lane<T> lane = lanes.computeIfAbsent(master, m -> new Lane<>());
        synchronized (lane) {
            if (lane.waiting.isEmpty() && (lane.inFlight == 0 || lane.inFlight + flows <= window.getAsInt())) {
                lane.inFlight += flows;
                return Outcome.ADMITTED;
            }
            if (waitingFlows.get() + flows > maxWaiting.getAsInt()) {
                return Outcome.REFUSED;
            }
            lane.waiting.addLast(new Waiting<>(batch, flows, System.nanoTime()));
            waitingFlows.addAndGet(flows);
            return Outcome.WAITING;
        }
    }

    /**
     * Returns the room of an admitted batch whose master answered (or failed to), and hands back
     * the waiting batches that fit now, in order: the caller sends them, and releases each in turn.
     */
    List<T> release(NodeId master, int flows) {
        Lane<T> lane = lanes.get(master);
        if (lane == null) {
            return List.of();
        }
        synchronized (lane) {
            lane.inFlight = Math.max(0, lane.inFlight - flows);
            if (lane.waiting.isEmpty()) {
                return List.of(); // the common case: no list per answered batch
            }
            List<T> admitted = new ArrayList<>();
            int limit = window.getAsInt();
            while (!lane.waiting.isEmpty()) {
                Waiting<T> next = lane.waiting.peekFirst();
                if (lane.inFlight > 0 && lane.inFlight + next.flows() > limit) {
                    break;
                }
                lane.waiting.removeFirst();
                waitingFlows.addAndGet(-next.flows());
                lane.inFlight += next.flows();
                admitted.add(next.batch());
            }
            return admitted;
        }
    }

    /**
     * Removes the batches that have waited longer than {@code maxWaitNanos} (all of them, for a
     * negative wait) and hands each to {@code onExpired} with its master, outside every lane's lock.
     */
    void expire(long maxWaitNanos, BiConsumer<NodeId, T> onExpired) {
        long now = System.nanoTime();
        List<Map.Entry<NodeId, T>> expired = new ArrayList<>(0);
        lanes.forEach((master, lane) -> {
            synchronized (lane) {
                for (Iterator<Waiting<T>> it = lane.waiting.iterator(); it.hasNext(); ) {
                    Waiting<T> w = it.next();
                    if (maxWaitNanos >= 0 && now - w.sinceNanos() <= maxWaitNanos) {
                        break; // in order of arrival: the rest waited less
                    }
                    it.remove();
                    waitingFlows.addAndGet(-w.flows());
                    expired.add(Map.entry(master, w.batch()));
                }
            }
        });
        expired.forEach(e -> onExpired.accept(e.getKey(), e.getValue()));
    }

    /** Flows waiting on this node for any master. */
    long waitingFlows() {
        return waitingFlows.get();
    }

    /** Flows sent to a master and not yet answered. */
    long inFlight(NodeId master) {
        Lane<T> lane = lanes.get(master);
        if (lane == null) {
            return 0;
        }
        synchronized (lane) {
            return lane.inFlight;
        }
    }
}
