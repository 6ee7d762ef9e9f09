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
 * A line chart drawn by XChart and written as PNG (atomically, as {@link Charts} writes its
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

    /**
     * One series: the points with a finite y are drawn, joined in order.
     *
     * @param dashed drawn dashed and without markers: a baseline or reference, not a measurement
     * @param colour the line's colour; null for the chart's next one
     */
    public record Line(String name, double[] x, double[] y, boolean dashed, Color colour) {
        /** A line in the chart's next colour. */
        public Line(String name, double[] x, double[] y, boolean dashed) {
            this(name, x, y, dashed, null);
        }

        /**
         * A horizontal reference at {@code y} across epochs {@code first} to {@code last}, reaching a
         * quarter epoch beyond each so that a one-epoch run still shows it.
         */
        public static Line level(String name, double first, double last, double y, Color colour) {
            return new Line(name, new double[] {first - 0.25, last + 0.25}, new double[] {y, y}, true, colour);
        }

        public Line {
            Objects.requireNonNull(name, "name");
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

    /** A logarithmic y axis (y values must be positive): curves that span more than a decade. */
    public XyPlot logY() {
        this.logY = true;
        return this;
    }

    /** Draws the plot and writes it to {@code png}, replacing it whole or not at all. */
    public void write(Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        chart.getStyler().setYAxisDecimalPattern("0.####");
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setAntiAlias(true);
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
            if (line.dashed()) {
                series.setMarker(SeriesMarkers.NONE);
                series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {8f, 6f}, 0f));
            }
        }
        Charts.writePng(BitmapEncoder.getBufferedImage(chart), png);
    }
}
