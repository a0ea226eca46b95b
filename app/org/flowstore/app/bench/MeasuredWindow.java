package org.flowstore.app.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a write load measures between {@link #open} and {@link #close}: the calls that completed
 * within the window (acknowledged ones with their latency, flows and interval; failed ones with
 * the first reason), never those of the warm-up before it or the drain after it. The in-node load
 * generator and the REST benchmark both keep their figures here.
 *
 * <p>Threads: completions are recorded from any thread; one thread opens and closes the window.
 */
public final class MeasuredWindow {

    private static final int MAX_REASON_CHARS = 300;

    private final Recorder latency = new Recorder(BenchReport.MAX_LATENCY_MICROS, 3);
    private final AtomicLong ackedFlows = new AtomicLong();
    private final AtomicLong ackedCalls = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>("");
    private final AtomicLongArray perInterval;
    private volatile long from = Long.MAX_VALUE;
    private volatile long to = Long.MAX_VALUE;

    /**
     * @param duration how long the window will stay open (sizes the throughput series)
     */
    public MeasuredWindow(Duration duration) {
        this.perInterval = new AtomicLongArray((int) (duration.toMillis() / LoadGenerator.INTERVAL_MILLIS) + 1);
    }

    /** What the window measured. */
    public record Figures(double seconds, long ackedFlows, long ackedCalls, long failedCalls, String firstFailure,
                          Histogram latency, long[] ackedPerInterval) {
    }

    /** Starts counting completions now. */
    public void open() {
        latency.reset();
        from = System.nanoTime();
    }

    /**
     * Stops counting completions now.
     *
     * @return what was counted since {@link #open}
     */
    public Figures close() {
        long end = System.nanoTime();
        to = end;
        Histogram measured = latency.getIntervalHistogram();
        long[] series = new long[(int) Math.min(perInterval.length(),
                (end - from) / 1_000_000 / LoadGenerator.INTERVAL_MILLIS)];
        for (int i = 0; i < series.length; i++) {
            series[i] = perInterval.get(i);
        }
        return new Figures((end - from) / 1e9, ackedFlows.get(), ackedCalls.get(), failedCalls.get(),
                firstFailure.get(), measured, series);
    }

    /** Returns true once the window closed: the writers stop issuing. */
    public boolean isClosed() {
        return System.nanoTime() >= to;
    }

    /**
     * Counts an acknowledged call, if it completed within the window.
     *
     * @param startNanos when the call was issued ({@link System#nanoTime})
     * @param flows the flows it wrote
     */
    public void acknowledged(long startNanos, int flows) {
        long now = System.nanoTime();
        if (now >= from && now < to) {
            latency.recordValue(Math.min(BenchReport.MAX_LATENCY_MICROS, (now - startNanos) / 1000));
            ackedFlows.addAndGet(flows);
            ackedCalls.incrementAndGet();
            int interval = (int) ((now - from) / 1_000_000 / LoadGenerator.INTERVAL_MILLIS);
            if (interval < perInterval.length()) {
                perInterval.addAndGet(interval, flows);
            }
        }
    }

    /**
     * Counts a failed call, if it completed within the window; the first one's reason is kept.
     *
     * @param why what failed
     */
    public void failed(String why) {
        long now = System.nanoTime();
        if (now >= from && now < to) {
            failedCalls.incrementAndGet();
            firstFailure.compareAndSet("", why.substring(0, Math.min(why.length(), MAX_REASON_CHARS)));
        }
    }
}
