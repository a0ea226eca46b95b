package org.flowstore.app.bench;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What one bench run reports: a {@code metric=<name> value=<v> unit=<u>} line per figure as it is
 * measured (the contract other scripts read), and at the end, under
 * {@code <base>/<mode>-<yyyyMMdd-HHmmss>/}, {@code report.json} (every metric, the run's settings
 * and per-configuration details) and PNG plots: latency percentiles from HdrHistogram histograms,
 * throughput over time, and bar charts.
 *
 * <p>Plots need a font (headless Java renders text through fontconfig): where none is installed
 * the report says so, skips them and the run still succeeds. Not thread-safe: one thread reports.
 */
public final class BenchReport {

    /** Latency is recorded in microseconds, up to a minute. */
    public static final long MAX_LATENCY_MICROS = 60_000_000L;
    /** The log axis's floor: a latency under a microsecond is drawn as one. */
    private static final double MIN_PLOTTED_MILLIS = 0.001;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** One plot's series, in the order added. */
    private record Plot(String title, String xTitle, String yTitle, boolean logX, boolean logY,
                        Map<String, double[][]> series) {
    }

    private record Bars(String title, String yTitle, Map<String, Double> values) {
    }

    private final String mode;
    private final Path dir;
    private final PrintStream out;
    private final ObjectNode root = JSON.createObjectNode();
    private final ObjectNode metrics;
    private final Map<String, Plot> plots = new LinkedHashMap<>();
    private final List<Bars> bars = new ArrayList<>();

    /**
     * Starts a report.
     *
     * @param mode the bench mode ({@code local}, {@code cluster}, ...)
     * @param base the folder reports go under ({@code target/bench})
     * @param out where metric lines go
     */
    public BenchReport(String mode, Path base, PrintStream out) {
        this.mode = mode;
        this.dir = base.resolve(mode + "-" + LocalDateTime.now().format(STAMP));
        this.out = out;
        root.put("mode", mode);
        root.put("started", LocalDateTime.now().toString());
        root.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        metrics = root.putObject("metrics");
    }

    /** Returns the folder the report is written to. */
    public Path dir() {
        return dir;
    }

    /** Returns the JSON object for the run's settings and details, written into the report. */
    public ObjectNode json() {
        return root;
    }

    /**
     * Reports a figure: prints its metric line and keeps it for the JSON report.
     *
     * @param name metric name ({@code [a-z0-9_]+})
     * @param value the value
     * @param unit its unit
     */
    public void metric(String name, double value, String unit) {
        String text = value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.1f" : "%.3f", value);
        out.println("metric=" + name + " value=" + text + " unit=" + unit);
        out.flush();
        ObjectNode m = metrics.putObject(name);
        m.put("value", value);
        m.put("unit", unit);
    }

    /**
     * Adds a latency series to a percentile plot (x: 1/(1-p) on a log axis, so p90, p99, p99.9
     * are evenly spaced; y: ms).
     *
     * @param plot the plot's title (and file name)
     * @param series the series' name
     * @param histogram latencies in microseconds
     */
    public void latency(String plot, String series, Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return;
        }
        List<double[]> points = new ArrayList<>();
        for (HistogramIterationValue v : histogram.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            if (p >= 1.0) {
                break;
            }
            points.add(new double[] {1 / (1 - p), Math.max(MIN_PLOTTED_MILLIS, v.getValueIteratedTo() / 1000.0)});
        }
        points.add(new double[] {1 / (1 - 0.999_99), Math.max(MIN_PLOTTED_MILLIS, histogram.getMaxValue() / 1000.0)});
        plots.computeIfAbsent(plot, t -> new Plot(t, "percentile as 1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9",
                "latency (ms)", true, true, new LinkedHashMap<>())).series().put(series, columns(points));
    }

    /**
     * Adds a throughput-over-time series to a plot.
     *
     * @param plot the plot's title
     * @param series the series' name
     * @param perInterval what was done in each interval
     * @param intervalSeconds the interval
     * @param unit what was done ({@code flows})
     */
    public void throughput(String plot, String series, long[] perInterval, double intervalSeconds, String unit) {
        if (perInterval.length == 0) {
            return;
        }
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < perInterval.length; i++) {
            points.add(new double[] {(i + 1) * intervalSeconds, perInterval[i] / intervalSeconds});
        }
        plots.computeIfAbsent(plot, t -> new Plot(t, "time (s)", unit + "/s", false, false, new LinkedHashMap<>()))
                .series().put(series, columns(points));
    }

    /**
     * Adds a bar chart.
     *
     * @param title its title (and file name)
     * @param yTitle the values' unit
     * @param values one bar each, in order
     */
    public void bars(String title, String yTitle, Map<String, Double> values) {
        bars.add(new Bars(title, yTitle, new LinkedHashMap<>(values)));
    }

    /**
     * Writes {@code report.json} and the plots, and prints where they are.
     *
     * @return the report's folder
     * @throws IOException if the report cannot be written
     */
    public Path finish() throws IOException {
        Files.createDirectories(dir);
        root.put("finished", LocalDateTime.now().toString());
        ArrayNode files = root.putArray("plots");
        String skipped = writePlots(files);
        if (skipped != null) {
            root.put("plotsSkipped", skipped);
            out.println("bench: plots skipped: " + skipped);
        }
        JSON.writeValue(dir.resolve("report.json").toFile(), root);
        out.println("bench: " + mode + " report in " + dir + " (report.json, " + files.size() + " plots)");
        out.flush();
        return dir;
    }

    /** Writes every plot; returns why they were skipped, or null. */
    private String writePlots(ArrayNode files) {
        System.setProperty("java.awt.headless", "true");
        try {
            if (GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length == 0) {
                return "no font is installed (install fontconfig and fonts-dejavu-core)";
            }
            for (Plot plot : plots.values()) {
                XYChart chart = new XYChartBuilder().width(1000).height(600).title(plot.title())
                        .xAxisTitle(plot.xTitle()).yAxisTitle(plot.yTitle()).build();
                chart.getStyler().setXAxisLogarithmic(plot.logX()).setYAxisLogarithmic(plot.logY());
                chart.getStyler().setLegendVisible(plot.series().size() > 1);
                plot.series().forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.NONE));
                files.add(save(chart, plot.title()));
            }
            for (Bars b : bars) {
                CategoryChart chart = new CategoryChartBuilder().width(1000).height(600).title(b.title())
                        .yAxisTitle(b.yTitle()).build();
                chart.getStyler().setLegendVisible(false);
                chart.addSeries(b.yTitle(), new ArrayList<>(b.values().keySet()), new ArrayList<>(b.values().values()));
                files.add(save(chart, b.title()));
            }
            return null;
        } catch (IOException | RuntimeException | LinkageError | InternalError e) {
            // Headless Java without fontconfig fails in font set-up with errors of every kind.
            return "the plots could not be drawn: " + e;
        }
    }

    private String save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, String title) throws IOException {
        String file = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "") + ".png";
        BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }

    private static double[][] columns(List<double[]> points) {
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }

    /** Returns a new latency histogram in microseconds, 3 significant digits. */
    public static Histogram latencyHistogram() {
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }
}
