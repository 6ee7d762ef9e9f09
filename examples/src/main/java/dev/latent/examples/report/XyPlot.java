package dev.latent.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart drawn by XChart and written as PNG (atomically, as {@link PngFile} writes
 * files): the loss curves of a training report with its baselines, and the noise sweep.
 */
public final class XyPlot {
    /** Width of every plot, in pixels. */
    static final int WIDTH = 900;
    /** Height of every plot, in pixels. */
    static final int HEIGHT = 520;

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Line> lines = new ArrayList<>();
    private boolean logX;
    private boolean logY;
    private boolean integerX;

    /** How a line is drawn. */
    public enum Style {
        /** Solid, with a marker at each point: a measurement. */
        SOLID,
        /** Dashed, without markers: a baseline, a reference, or the noisy input. */
        DASHED,
        /** Dotted, without markers: a second kind of line beside the solid and dashed ones. */
        DOTTED
    }

    /**
     * One series: the points with a finite y are drawn, joined in order.
     *
     * @param style how it is drawn
     * @param colour the line's colour; null for the chart's next one
     */
    public record Line(String name, double[] x, double[] y, Style style, Color colour) {
        /** A line in the chart's next colour. */
        public Line(String name, double[] x, double[] y, boolean dashed) {
            this(name, x, y, dashed, null);
        }

        /** A solid line with markers, or a dashed one without ({@code dashed}: a baseline or reference). */
        public Line(String name, double[] x, double[] y, boolean dashed, Color colour) {
            this(name, x, y, dashed ? Style.DASHED : Style.SOLID, colour);
        }

        /**
         * A horizontal reference at {@code y} across epochs {@code first} to {@code last}, a point at
         * each epoch so that an epoch axis gets no ticks between epochs; a one-epoch run shows it as
         * a marker.
         */
        public static Line level(String name, double first, double last, double y, Color colour) {
            int n = (int) Math.max(1, Math.round(last - first) + 1);
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = first + i;
                ys[i] = y;
            }
            return new Line(name, xs, ys, Style.DASHED, colour);
        }

        public Line {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(style, "style");
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values and " + y.length + " y values");
            }
        }
    }

    public XyPlot(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Adds a series. */
    public XyPlot line(Line line) {
        lines.add(line);
        return this;
    }

    /** A logarithmic x axis (x values must be positive). */
    public XyPlot logX() {
        this.logX = true;
        return this;
    }

    /**
     * A logarithmic y axis (y values must be positive): curves that span more than a decade. The
     * axis runs from a 1, 2 or 5 times a power of ten at or below the lowest value to one at or
     * above the highest, so the lowest and highest curves have labelled ticks beyond them, and
     * every 1 to 9 times a power of ten between is labelled.
     */
    public XyPlot logY() {
        this.logY = true;
        return this;
    }

    /**
     * Ticks on the x axis only at whole numbers among the x values (epochs), never at 1.5; the x
     * values themselves must be whole numbers.
     */
    public XyPlot integerX() {
        this.integerX = true;
        return this;
    }

    /** Draws the plot and writes it to {@code png}, replacing it whole or not at all. */
    public void write(Path png) throws IOException {
        PngFile.write(BitmapEncoder.getBufferedImage(chart()), png);
    }

    /** The chart as XChart draws it. */
    XYChart chart() {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setYAxisDecimalPattern("0.####");
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setAntiAlias(true);
        if (integerX) {
            // With a formatter, XChart puts the ticks at the series' x values: whole epochs only.
            chart.getStyler().setxAxisTickLabelsFormattingFunction(
                    v -> v == Math.rint(v) ? Long.toString(Math.round(v)) : "");
        }
        if (logY) {
            double[] range = positiveRange();
            if (range != null) {
                chart.getStyler().setYAxisMin(niceBelow(range[0]));
                chart.getStyler().setYAxisMax(niceAbove(range[1]));
            }
        }
        for (Line line : lines) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < line.x().length; i++) {
                if (Double.isFinite(line.y()[i]) && Double.isFinite(line.x()[i])) {
                    xs.add(line.x()[i]);
                    ys.add(line.y()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue; // XChart refuses an empty series; a curve without finite points has nothing to show
            }
            XYSeries series = chart.addSeries(line.name(), xs, ys);
            if (line.colour() != null) {
                series.setLineColor(line.colour());
                series.setMarkerColor(line.colour());
            }
            if (line.style() != Style.SOLID) {
                // A single point has no line to dash: it shows as a marker.
                series.setMarker(xs.size() == 1 ? SeriesMarkers.DIAMOND : SeriesMarkers.NONE);
                float[] pattern = line.style() == Style.DASHED ? new float[] {8f, 6f} : new float[] {2f, 4f};
                series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        pattern, 0f));
            }
        }
        return chart;
    }

    /** The lowest and highest finite positive y of all lines; null if there is none. */
    private double[] positiveRange() {
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (Line line : lines) {
            for (double v : line.y()) {
                if (Double.isFinite(v) && v > 0) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        return high > 0 ? new double[] {low, high} : null;
    }

    /** The largest 1, 2 or 5 times a power of ten at or below {@code v}. */
    static double niceBelow(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {5, 2, 1}) {
            if (m * decade <= v * (1 + 1e-9)) {
                return m * decade;
            }
        }
        return decade;
    }

    /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}. */
    static double niceAbove(double v) {
        double decade = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * decade >= v * (1 - 1e-9)) {
                return m * decade;
            }
        }
        return 10 * decade;
    }
}
