package dev.latent.examples.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir
    Path dir;

    // ---- Loss curves ----

    @Test
    void lossChartHasItsSizeAndDrawsEachCurveInItsColour() throws IOException {
        List<Curve> curves = List.of(
                new Curve("a", decay(20, 0.10), decay(20, 0.12)),
                new Curve("b", decay(20, 0.05), decay(20, 0.06)));
        Path png = dir.resolve("loss.png");

        Charts.writeLossCurves(png, "Losses", curves);

        BufferedImage image = read(png);
        assertEquals(Charts.CHART_WIDTH, image.getWidth());
        assertEquals(Charts.CHART_HEIGHT, image.getHeight());
        assertEquals(900, image.getWidth());
        assertEquals(520, image.getHeight());
        // Inside the plot area only, so the legend's swatches do not count.
        assertTrue(countInPlot(image, Charts.colour(0)) > 50, "first curve drawn");
        assertTrue(countInPlot(image, Charts.colour(1)) > 50, "second curve drawn");
        assertEquals(0, countInPlot(image, Charts.colour(2)), "no third curve");
    }

    @Test
    void trainAloneIsDrawnDashedAndSoWithFewerPixelsThanSolidValidation() throws IOException {
        double[] losses = decay(20, 0.1);
        Path trainOnly = dir.resolve("train.png");
        Path validationOnly = dir.resolve("validation.png");

        Charts.writeLossCurves(trainOnly, "t", List.of(new Curve("m", losses, new double[0])));
        Charts.writeLossCurves(validationOnly, "v", List.of(new Curve("m", null, losses)));

        int dashed = countInPlot(read(trainOnly), Charts.colour(0));
        int solid = countInPlot(read(validationOnly), Charts.colour(0));
        assertTrue(dashed > 0, "train is drawn");
        assertTrue(dashed < solid * 0.9, "dashed " + dashed + " vs solid " + solid);
    }

    @Test
    void missingAndNonFiniteValuesAreSkipped() throws IOException {
        double[] train = {0.5, Double.NaN, 0.3, Double.POSITIVE_INFINITY, 0.2,
            Double.NEGATIVE_INFINITY, 0.15};
        List<Curve> curves = List.of(
                new Curve("gaps", train, new double[0]),
                new Curve("all missing", new double[] {Double.NaN, Double.NaN},
                        new double[] {Double.NaN}),
                new Curve("one point", new double[] {0.4}, new double[] {Double.NaN, 0.35}),
                new Curve("empty", new double[0], new double[0]));
        Path png = dir.resolve("gaps.png");

        Charts.writeLossCurves(png, "gaps", curves);

        BufferedImage image = read(png);
        assertEquals(Charts.CHART_WIDTH, image.getWidth());
        assertTrue(countInPlot(image, Charts.colour(0)) > 0, "finite points joined");
        assertEquals(0, countInPlot(image, Charts.colour(1)), "nothing finite, nothing drawn");
        assertTrue(countInPlot(image, Charts.colour(2)) > 0, "single points drawn as dots");
    }

    @Test
    void noCurvesAtAllStillGiveAChart() throws IOException {
        Path png = dir.resolve("none.png");

        Charts.writeLossCurves(png, null, List.of());

        assertEquals(Charts.CHART_HEIGHT, read(png).getHeight());
    }

    @Test
    void logScaleIsChosenWhenTheLossesSpanMoreThanTwentyFold() {
        assertTrue(Charts.useLogScale(List.of(new Curve("m", new double[] {2.0, 0.01},
                new double[0]))));
        // The ratio is over all curves and both series together.
        assertTrue(Charts.useLogScale(List.of(
                new Curve("a", new double[] {1.0}, new double[0]),
                new Curve("b", new double[0], new double[] {0.04}))));
        assertFalse(Charts.useLogScale(List.of(new Curve("m", new double[] {0.06, 0.03},
                new double[] {0.05}))));
        assertFalse(Charts.useLogScale(List.of(new Curve("m", new double[] {2.0, 0.1},
                new double[0]))), "exactly 20 is not more than 20");
        // Non-finite values are ignored, not taken as a huge range.
        assertFalse(Charts.useLogScale(List.of(new Curve("m",
                new double[] {0.1, Double.POSITIVE_INFINITY, Double.NaN, 0.05},
                new double[] {Double.NaN}))));
        // Zero and negative values cannot be placed on a log axis.
        assertFalse(Charts.useLogScale(List.of(new Curve("m", new double[] {1.0, 0.0},
                new double[0]))));
        assertFalse(Charts.useLogScale(List.of(new Curve("m", new double[] {100, -1},
                new double[0]))));
        assertFalse(Charts.useLogScale(List.of()));
        assertFalse(Charts.useLogScale(List.of(new Curve("m", new double[] {Double.NaN},
                null))));
    }

    @Test
    void logScaledChartIsWritten() throws IOException {
        Path png = dir.resolve("log.png");

        Charts.writeLossCurves(png, "log", List.of(new Curve("m", decay(40, 3.0),
                decay(40, 4.0))));

        assertTrue(countInPlot(read(png), Charts.colour(0)) > 50);
    }

    @Test
    void manyCurvesGetDistinctColours() throws IOException {
        List<Curve> curves = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            curves.add(new Curve("model " + i, decay(5, 0.1 + i * 0.01), decay(5, 0.1)));
            for (int j = 0; j < i; j++) {
                assertTrue(Charts.colour(i) != Charts.colour(j), i + " vs " + j);
            }
        }

        Charts.writeLossCurves(dir.resolve("many.png"), "many", curves);

        assertEquals(Charts.CHART_WIDTH, read(dir.resolve("many.png")).getWidth());
    }

    // ---- Image grid ----

    @Test
    void gridSizeFollowsTheDocumentedLayout() throws IOException {
        int scale = 3;
        List<ImageRow> rows = List.of(
                new ImageRow("gray", images(3, 4 * 5), 4, 5, 1),
                new ImageRow("rgb", images(2, 6 * 7 * 3), 6, 7, 3),
                new ImageRow("none", List.of(), 2, 2, 1));
        Path png = dir.resolve("grid.png");

        Charts.writeImageGrid(png, "grid", rows, scale);

        BufferedImage image = read(png);
        int widest = Math.max(3 * 5 * scale + 2 * Charts.IMAGE_GAP,
                2 * 7 * scale + Charts.IMAGE_GAP);
        assertEquals(Charts.LABEL_MARGIN + widest + Charts.PADDING, image.getWidth());
        assertEquals(Charts.TITLE_MARGIN + (4 + 6 + 2) * scale + 2 * Charts.ROW_GAP
                + Charts.PADDING, image.getHeight());
        // The values the Javadoc states.
        assertEquals(120, Charts.LABEL_MARGIN);
        assertEquals(28, Charts.TITLE_MARGIN);
        assertEquals(2, Charts.IMAGE_GAP);
        assertEquals(4, Charts.ROW_GAP);
        assertEquals(4, Charts.PADDING);
    }

    @Test
    void grayscaleValuesAreClampedAndScaled() throws IOException {
        int scale = 3;
        float[][] values = {{1.0f}, {0.0f}, {2.5f}, {-1f}, {Float.NaN}, {0.5f}};
        List<float[]> images = new ArrayList<>();
        for (float[] v : values) {
            images.add(v);
        }
        Path png = dir.resolve("pixels.png");

        Charts.writeImageGrid(png, "pixels", List.of(new ImageRow("px", images, 1, 1, 1)),
                scale);

        BufferedImage image = read(png);
        int[] expected = {0xFFFFFF, 0x000000, 0xFFFFFF, 0x000000, 0x000000, 0x808080};
        for (int i = 0; i < expected.length; i++) {
            int left = Charts.LABEL_MARGIN + i * (scale + Charts.IMAGE_GAP);
            // Every pixel of the scale x scale block, nearest neighbour.
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    assertEquals(expected[i], rgb(image, left + dx, Charts.TITLE_MARGIN + dy),
                            "image " + i + " at +" + dx + ",+" + dy);
                }
            }
        }
        // The gap after the black image is background, not image.
        assertEquals(0xFFFFFF, rgb(image, Charts.LABEL_MARGIN + 2 * scale + scale,
                Charts.TITLE_MARGIN));
    }

    @Test
    void imagesAreReadInKerasOrder() throws IOException {
        // 2x2 RGB, channels last: red, green / blue, white.
        float[] image = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        // 2x3 grayscale, row-major: the first row dark, the second light.
        float[] gray = {0, 0, 0, 1, 1, 1};
        Path png = dir.resolve("rgb.png");

        Charts.writeImageGrid(png, "rgb", List.of(
                new ImageRow("rgb", List.of(image), 2, 2, 3),
                new ImageRow("gray", List.of(gray), 2, 3, 1)), 1);

        BufferedImage out = read(png);
        int x = Charts.LABEL_MARGIN;
        int y = Charts.TITLE_MARGIN;
        assertEquals(0xFF0000, rgb(out, x, y));
        assertEquals(0x00FF00, rgb(out, x + 1, y));
        assertEquals(0x0000FF, rgb(out, x, y + 1));
        assertEquals(0xFFFFFF, rgb(out, x + 1, y + 1));
        int grayTop = y + 2 + Charts.ROW_GAP;
        assertEquals(0x000000, rgb(out, x + 2, grayTop));
        assertEquals(0xFFFFFF, rgb(out, x, grayTop + 1));
    }

    @Test
    void noRowsStillGiveAnImage() throws IOException {
        Path png = dir.resolve("empty.png");

        Charts.writeImageGrid(png, null, List.of(), 3);

        BufferedImage image = read(png);
        assertEquals(Charts.LABEL_MARGIN + Charts.PADDING, image.getWidth());
        assertEquals(Charts.TITLE_MARGIN + Charts.PADDING, image.getHeight());
    }

    @Test
    void badShapesAndScalesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ImageRow("x", List.of(new float[3]), 2, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageRow("x", List.of(new float[8]), 2, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageRow("x", List.of(), 0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Charts.writeImageGrid(
                dir.resolve("x.png"), "x", List.of(new ImageRow("x", List.of(), 1, 1, 1)), 0));
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    // ---- Files and text ----

    @Test
    void parentsAreCreatedAnExistingFileIsReplacedAndNoTemporaryFileRemains()
            throws IOException {
        Path png = dir.resolve("a/b/c/chart.png");

        Charts.writeLossCurves(png, "first", List.of());
        Files.writeString(png, "not a png");
        Charts.writeImageGrid(png, "second", List.of(), 2);

        BufferedImage image = read(png);
        assertEquals(Charts.TITLE_MARGIN + Charts.PADDING, image.getHeight());
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList());
        }
    }

    @Test
    void textThatFailsHalfwayLeavesNoTrace() {
        int[] pixels = new int[20 * 10];
        java.util.Arrays.fill(pixels, 0xFFFFFF);
        int[] before = pixels.clone();

        boolean drawn = Charts.paintText(pixels, 20, 10, g -> {
            g.fillRect(0, 0, 20, 10);
            // What a JDK without fontconfig throws from drawString or getFontMetrics.
            throw new InternalError("Probable fatal error: No fonts found.");
        });

        assertFalse(drawn);
        assertArrayEquals(before, pixels);
    }

    @Test
    void textThatSucceedsIsBlendedIn() {
        int[] pixels = new int[20 * 10];
        java.util.Arrays.fill(pixels, 0xFFFFFF);
        int[] before = pixels.clone();

        boolean drawn = Charts.paintText(pixels, 20, 10, g -> {
            g.setColor(java.awt.Color.BLACK);
            g.fillRect(0, 0, 5, 5);
        });

        if (!drawn) {
            // This JVM cannot draw through AWT at all (say DISPLAY names an unreachable server):
            // then the charts must simply go without text.
            assertArrayEquals(before, pixels);
        }
        assumeTrue(drawn, "AWT cannot draw in this JVM");
        assertEquals(0x000000, pixels[0]);
        assertEquals(0xFFFFFF, pixels[10 * 20 - 1]);
    }

    // ---- Helpers ----

    private static double[] decay(int epochs, double start) {
        double[] losses = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            losses[i] = start * Math.exp(-i / 5.0) + 0.01;
        }
        return losses;
    }

    private static List<float[]> images(int count, int length) {
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] image = new float[length];
            for (int j = 0; j < length; j++) {
                image[j] = (i + j) % 7 / 6f;
            }
            images.add(image);
        }
        return images;
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "readable PNG: " + png);
        return image;
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    private static int countInPlot(BufferedImage image, int colour) {
        int count = 0;
        for (int y = Charts.PLOT_TOP + 1; y < Charts.PLOT_BOTTOM - 1; y++) {
            for (int x = Charts.PLOT_LEFT + 1; x < Charts.PLOT_RIGHT - 1; x++) {
                if (rgb(image, x, y) == colour) {
                    count++;
                }
            }
        }
        return count;
    }
}
