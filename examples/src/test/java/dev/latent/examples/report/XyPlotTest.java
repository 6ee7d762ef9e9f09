package dev.latent.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.nd4j.linalg.factory.Nd4j;

/** The plots' axes and lines, read from the chart XChart lays out. */
class XyPlotTest {

    @Test
    void anEpochAxisHasTicksAtWholeEpochsOnly() throws Exception {
        double[] epochs = {1, 2, 3};
        XyPlot plot = new XyPlot("loss", "epoch", "loss").integerX()
                .line(new XyPlot.Line("train", epochs, new double[] {0.08, 0.05, 0.04}, false))
                .line(XyPlot.Line.level("identity baseline", 1, 3, 0.05, null));

        List<String> labels = labels(plot.chart(), "getXAxis");
        assertEquals(List.of("1", "2", "3"), labels);
    }

    @Test
    void aLogAxisLabelsTicksBelowTheLowestCurve() throws Exception {
        // The seed study's spread: the conv model near 0.011, the noise-2.0 identity baseline at 0.36.
        double[] epochs = {1, 2, 3, 4};
        XyPlot plot = new XyPlot("study", "epoch", "MSE").logY().integerX()
                .line(new XyPlot.Line("conv validation", epochs, new double[] {0.03, 0.016, 0.0125, 0.0112}, false))
                .line(XyPlot.Line.level("noise 2.0 identity", 1, 4, 0.36, null));

        XYChart chart = plot.chart();
        assertEquals(0.01, chart.getStyler().getYAxisMin(), 1e-12);
        assertEquals(0.5, chart.getStyler().getYAxisMax(), 1e-12);
        List<Double> values = new ArrayList<>();
        for (String label : labels(chart, "getYAxis")) {
            values.add(Double.parseDouble(label));
        }
        assertTrue(values.contains(0.01), "a label below the lowest curve: " + values);
        assertTrue(values.containsAll(List.of(0.02, 0.05, 0.1, 0.2, 0.5)), "decades and their 2 and 5: " + values);
    }

    @Test
    void niceBoundsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0.01, XyPlot.niceBelow(0.0112), 1e-15);
        assertEquals(0.02, XyPlot.niceBelow(0.0399), 1e-15);
        assertEquals(0.05, XyPlot.niceBelow(0.05), 1e-15);
        assertEquals(0.5, XyPlot.niceAbove(0.36), 1e-15);
        assertEquals(1.0, XyPlot.niceAbove(0.51), 1e-15);
        assertEquals(0.2, XyPlot.niceAbove(0.2), 1e-15);
    }

    @Test
    void aSequencePlotGivesEachFeatureOneColourAndEachKindOneLineStyle() {
        // One sequence of 4 features over 6 steps: 12 lines.
        var clean = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 4, 6);
        XYChart chart = TrainingReport.sequencePlot(clean, clean.add(0.1), clean.add(0.01)).chart();

        assertEquals(12, chart.getSeriesMap().size());
        Set<Color> featureColours = new HashSet<>();
        for (int f = 1; f <= 4; f++) {
            XYSeries cleanLine = chart.getSeriesMap().get("feature " + f + " clean (solid)");
            XYSeries noisyLine = chart.getSeriesMap().get("feature " + f + " noisy (dashed)");
            XYSeries denoisedLine = chart.getSeriesMap().get("feature " + f + " denoised (dotted)");
            assertEquals(cleanLine.getLineColor(), noisyLine.getLineColor());
            assertEquals(cleanLine.getLineColor(), denoisedLine.getLineColor());
            featureColours.add(cleanLine.getLineColor());
            assertNotEquals(noisyLine.getLineStyle(), denoisedLine.getLineStyle());
            assertNotEquals(cleanLine.getLineStyle(), noisyLine.getLineStyle());
        }
        assertEquals(4, featureColours.size(), "one colour per feature");
        assertTrue(chart.getTitle().contains("colour = feature; clean solid, noisy dashed, denoised dotted"),
                chart.getTitle());
    }

    /** The non-empty tick labels XChart gives an axis once it has laid the chart out. */
    private static List<String> labels(XYChart chart, String axis) throws Exception {
        BitmapEncoder.getBufferedImage(chart);
        Method getAxis = Chart.class.getDeclaredMethod(axis);
        getAxis.setAccessible(true);
        Object found = getAxis.invoke(chart);
        Object calculator = found.getClass().getMethod("getAxisTickCalculator").invoke(found);
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) calculator.getClass().getMethod("getTickLabels").invoke(calculator);
        return labels.stream().filter(l -> !l.isEmpty()).toList();
    }
}
