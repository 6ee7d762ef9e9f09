package dev.latent.examples.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG charts for the training report: loss curves and grids of images.
 *
 * <p>Everything but text is drawn by this class into a plain pixel array, not through
 * {@link Graphics2D}. Asking AWT for a graphics context initialises the platform's graphics
 * environment, which fails when {@code DISPLAY} names an X server that cannot be reached and
 * {@code java.awt.headless} is not set; drawing the pixels ourselves keeps the charts independent
 * of any display and of global settings, which this class never changes. Only text needs AWT's
 * fonts; it is drawn on a separate transparent layer that is merged in only if all of it could be
 * drawn, so on a machine without fonts (or without a display) the chart comes out whole, just
 * without text.
 *
 * <p>Files are written atomically: the PNG is encoded in memory, written to a temporary file
 * beside the target, forced to disk and then moved over the target, so a crash leaves either the
 * old file or the new one, never half of one.
 */
public final class Charts {

    // ---- Loss chart layout, in pixels. Package-private so the test can find the plot area. ----

    /** The loss chart's width. */
    static final int CHART_WIDTH = 900;
    /** The loss chart's height. */
    static final int CHART_HEIGHT = 520;
    /** The plot area's left edge: room for the y tick labels. */
    static final int PLOT_LEFT = 80;
    /** The plot area's top edge: room for the title and the y axis name. */
    static final int PLOT_TOP = 52;
    /** The plot area's right edge (exclusive): the legend sits to its right. */
    static final int PLOT_RIGHT = 650;
    /** The plot area's bottom edge (exclusive): room for x tick labels and the x axis name. */
    static final int PLOT_BOTTOM = 460;
    /** Horizontal inset of the first and last epoch, so their points do not sit on the frame. */
    private static final int X_INSET = 12;
    private static final int LEGEND_LEFT = PLOT_RIGHT + 18;
    private static final int LEGEND_ROW = 18;
    private static final int LEGEND_SWATCH = 30;
    private static final double LINE_WIDTH = 2.0;
    /** Train is dashed: on, off lengths along the line. Round caps lengthen each dash by the width. */
    private static final double[] DASH = {7, 6};
    /** Above this ratio of largest to smallest value, a linear axis squeezes the tail flat. */
    private static final double LOG_RATIO = 20;

    // ---- Image grid layout, in pixels. ----

    /** Width of the label column at the grid's left; images start at this x. */
    static final int LABEL_MARGIN = 120;
    /** Height of the title band at the grid's top; the first row starts at this y. */
    static final int TITLE_MARGIN = 28;
    /** Gap between neighbouring images in a row. */
    static final int IMAGE_GAP = 2;
    /** Gap between rows. */
    static final int ROW_GAP = 4;
    /** Blank border to the right of the widest row and below the last row. */
    static final int PADDING = 4;

    // ---- Colours, as 0xRRGGBB. ----

    private static final int WHITE = 0xFFFFFF;
    private static final int GRID = 0xE6E6E6;
    private static final int AXIS = 0x404040;
    private static final int MINOR_TICK = 0x909090;
    private static final int TEXT = 0x202020;
    /** Matplotlib's "tab10": distinct, familiar, and readable on white. */
    private static final int[] PALETTE = {
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
        0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    };

    private Charts() {
    }

    // =============================================================================================
    // Loss curves
    // =============================================================================================

    /**
     * Writes a line chart of the models' losses per epoch as a 900x520 PNG.
     *
     * <p>The x axis is the epoch, from 1 to the longest array's length. The y axis is logarithmic
     * when the largest finite loss is more than 20 times the smallest (and all are positive),
     * otherwise linear; either way it spans the finite values with a small margin. Each curve gets
     * its own colour; its validation loss is a solid line and its training loss a dashed one.
     * {@code NaN} and infinite values are skipped, the line joining the finite points around them;
     * a series with a single finite point is drawn as a dot. The legend at the right names each
     * series that has a finite point, as "{@code <label> train}" and "{@code <label> validation}".
     *
     * <p>If the platform cannot draw text (no fonts, or no usable display), the chart is written
     * without title, tick labels and legend text rather than not at all.
     *
     * @param png the file to write; its parent directories are created, an existing file replaced
     * @param title the chart's title; null for none
     * @param curves the models' losses; may be empty
     * @throws IOException if the file cannot be written
     */
    public static void writeLossCurves(Path png, String title, List<Curve> curves)
            throws IOException {
        Objects.requireNonNull(png, "png");
        writePng(renderLossCurves(title == null ? "" : title, List.copyOf(curves)), png);
    }

    /**
     * Whether the loss chart uses a logarithmic y axis: when the finite values are all positive
     * and the largest is more than 20 times the smallest. Losses that fall by orders of magnitude
     * are unreadable on a linear axis; a zero or negative value cannot be placed on a log one.
     */
    static boolean useLogScale(List<Curve> curves) {
        double[] range = finiteRange(curves);
        return range != null && range[0] > 0 && range[1] / range[0] > LOG_RATIO;
    }

    /** The colour, as 0xRRGGBB, of the curve at this index in the list. */
    static int colour(int index) {
        if (index < PALETTE.length) {
            return PALETTE[index];
        }
        // Past the palette, step round the hue circle by the golden ratio: neighbours stay apart.
        float hue = (float) ((index * 0.6180339887) % 1.0);
        return Color.HSBtoRGB(hue, 0.75f, 0.8f) & 0xFFFFFF;
    }

    /** Smallest and largest finite value over all series, or null when there is none. */
    private static double[] finiteRange(List<Curve> curves) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Curve curve : curves) {
            for (double[] series : new double[][] {curve.train(), curve.validation()}) {
                for (double v : series) {
                    if (Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        return min <= max ? new double[] {min, max} : null;
    }

    static BufferedImage renderLossCurves(String title, List<Curve> curves) {
        Canvas canvas = new Canvas(CHART_WIDTH, CHART_HEIGHT, WHITE);
        int epochs = 0;
        for (Curve curve : curves) {
            epochs = Math.max(epochs, Math.max(curve.train().length, curve.validation().length));
        }
        XAxis x = new XAxis(Math.max(2, epochs));
        YAxis y = YAxis.of(curves);

        // Grid lines first, so that curves and the frame draw over them.
        for (Tick tick : y.ticks) {
            if (tick.label != null) {
                canvas.fillRect(PLOT_LEFT, (int) Math.floor(y.pixel(tick.value)),
                        PLOT_RIGHT - PLOT_LEFT, 1, GRID);
            }
        }
        for (int epoch : x.ticks) {
            canvas.fillRect((int) Math.floor(x.pixel(epoch)), PLOT_TOP, 1,
                    PLOT_BOTTOM - PLOT_TOP, GRID);
        }

        // The series, clipped to the plot area; validation last so it stays on top of train.
        List<LegendEntry> legend = new ArrayList<>();
        canvas.clip(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM);
        for (boolean validation : new boolean[] {false, true}) {
            for (int c = 0; c < curves.size(); c++) {
                Curve curve = curves.get(c);
                double[] values = validation ? curve.validation() : curve.train();
                if (drawSeries(canvas, x, y, values, colour(c), validation ? null : DASH)) {
                    legend.add(new LegendEntry(c, curve.label(),
                            validation ? " validation" : " train", colour(c), !validation));
                }
            }
        }
        canvas.unclip();
        // Group the legend by model (train above validation), in the order of the list.
        legend.sort((a, b) -> a.curve != b.curve ? Integer.compare(a.curve, b.curve)
                : Boolean.compare(!a.dashed, !b.dashed));

        // Frame and ticks.
        canvas.fillRect(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT - PLOT_LEFT, 1, AXIS);
        canvas.fillRect(PLOT_LEFT, PLOT_BOTTOM - 1, PLOT_RIGHT - PLOT_LEFT, 1, AXIS);
        canvas.fillRect(PLOT_LEFT, PLOT_TOP, 1, PLOT_BOTTOM - PLOT_TOP, AXIS);
        canvas.fillRect(PLOT_RIGHT - 1, PLOT_TOP, 1, PLOT_BOTTOM - PLOT_TOP, AXIS);
        for (Tick tick : y.ticks) {
            int py = (int) Math.floor(y.pixel(tick.value));
            boolean major = tick.label != null;
            canvas.fillRect(PLOT_LEFT - (major ? 5 : 3), py, major ? 5 : 3, 1,
                    major ? AXIS : MINOR_TICK);
        }
        for (int epoch : x.ticks) {
            canvas.fillRect((int) Math.floor(x.pixel(epoch)), PLOT_BOTTOM, 1, 5, AXIS);
        }

        // Legend swatches; the names are text and come below.
        int rows = (PLOT_BOTTOM - PLOT_TOP) / LEGEND_ROW;
        int shown = legend.size() <= rows ? legend.size() : rows - 1;
        for (int i = 0; i < shown; i++) {
            LegendEntry entry = legend.get(i);
            double cy = PLOT_TOP + i * LEGEND_ROW + LEGEND_ROW / 2.0;
            canvas.stroke(new double[] {LEGEND_LEFT + 2, LEGEND_LEFT + LEGEND_SWATCH - 2},
                    new double[] {cy, cy}, 2, LINE_WIDTH, entry.colour,
                    entry.dashed ? DASH : null);
        }

        canvas.text(g -> drawLossText(g, title, x, y, legend, shown));
        return canvas.toImage();
    }

    /**
     * Draws one series as a polyline through its finite points, or a dot if it has only one.
     *
     * @return whether anything was drawn, that is whether the series belongs in the legend
     */
    private static boolean drawSeries(Canvas canvas, XAxis x, YAxis y, double[] values,
            int colour, double[] dash) {
        double[] xs = new double[values.length];
        double[] ys = new double[values.length];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i]) && y.shows(values[i])) {
                xs[n] = x.pixel(i + 1);
                ys[n] = y.pixel(y.toAxis(values[i]));
                n++;
            }
        }
        if (n == 1) {
            canvas.disc(xs[0], ys[0], 3.0, colour);
        } else if (n > 1) {
            canvas.stroke(xs, ys, n, LINE_WIDTH, colour, dash);
        }
        return n > 0;
    }

    private static void drawLossText(Graphics2D g, String title, XAxis x, YAxis y,
            List<LegendEntry> legend, int shown) {
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 15);

        g.setColor(new Color(TEXT));
        g.setFont(bold);
        FontMetrics fm = g.getFontMetrics();
        String t = fit(fm, title, CHART_WIDTH - 20);
        g.drawString(t, (CHART_WIDTH - fm.stringWidth(t)) / 2, 26);

        g.setFont(plain);
        fm = g.getFontMetrics();
        int half = (fm.getAscent() - fm.getDescent()) / 2;
        for (Tick tick : y.ticks) {
            if (tick.label != null) {
                int py = (int) Math.floor(y.pixel(tick.value));
                g.drawString(tick.label, PLOT_LEFT - 8 - fm.stringWidth(tick.label), py + half);
            }
        }
        for (int epoch : x.ticks) {
            String label = Integer.toString(epoch);
            int px = (int) Math.floor(x.pixel(epoch));
            g.drawString(label, px - fm.stringWidth(label) / 2, PLOT_BOTTOM + 8 + fm.getAscent());
        }
        String xName = "epoch";
        g.drawString(xName, (PLOT_LEFT + PLOT_RIGHT - fm.stringWidth(xName)) / 2,
                PLOT_BOTTOM + 36);
        g.drawString(y.log ? "loss (log scale)" : "loss", PLOT_LEFT, PLOT_TOP - 8);

        int textLeft = LEGEND_LEFT + LEGEND_SWATCH + 6;
        for (int i = 0; i < shown; i++) {
            int cy = PLOT_TOP + i * LEGEND_ROW + LEGEND_ROW / 2;
            // Shorten the model's name, never the series: "train" and "validation" must stay.
            LegendEntry entry = legend.get(i);
            int room = CHART_WIDTH - 6 - textLeft - fm.stringWidth(entry.series);
            g.drawString(fit(fm, entry.label, room) + entry.series, textLeft, cy + half);
        }
        if (legend.isEmpty()) {
            String none = "no finite losses to plot";
            g.drawString(none, (PLOT_LEFT + PLOT_RIGHT - fm.stringWidth(none)) / 2,
                    (PLOT_TOP + PLOT_BOTTOM) / 2);
        }
        if (shown < legend.size()) {
            int cy = PLOT_TOP + shown * LEGEND_ROW + LEGEND_ROW / 2;
            g.drawString("+" + (legend.size() - shown) + " more", textLeft, cy + half);
        }
    }

    private record LegendEntry(int curve, String label, String series, int colour,
            boolean dashed) {
    }

    /** A y tick at this value; an unlabelled one is a minor tick of a log axis. */
    private record Tick(double value, String label) {
    }

    /** Epochs 1 to {@code last}, mapped into the plot area with a small inset at either end. */
    private static final class XAxis {
        final int last;
        final List<Integer> ticks = new ArrayList<>();

        XAxis(int last) {
            this.last = last;
            // The first 1-2-5 step that gives at most ten labels; epoch 1 is always labelled.
            long step = 1;
            search:
            for (long mag = 1; ; mag *= 10) {
                for (long m : new long[] {1, 2, 5}) {
                    step = m * mag;
                    if ((last + step - 1) / step <= 10) {
                        break search;
                    }
                }
            }
            ticks.add(1);
            for (long e = step; e <= last; e += step) {
                if (e > 1) {
                    ticks.add((int) e);
                }
            }
        }

        double pixel(double epoch) {
            double span = PLOT_RIGHT - PLOT_LEFT - 2.0 * X_INSET;
            return PLOT_LEFT + X_INSET + (epoch - 1) / (last - 1) * span;
        }
    }

    /** The loss axis, linear or log10, over the finite values plus a 5% margin either side. */
    private static final class YAxis {
        final boolean log;
        /** The axis's ends, in log10 units on a log axis. */
        final double lo;
        final double hi;
        final List<Tick> ticks;

        private YAxis(boolean log, double lo, double hi, List<Tick> ticks) {
            this.log = log;
            this.lo = lo;
            this.hi = hi;
            this.ticks = ticks;
        }

        static YAxis of(List<Curve> curves) {
            double[] range = finiteRange(curves);
            if (range == null) {
                return linear(0, 1);
            }
            if (useLogScale(curves)) {
                double a = Math.log10(range[0]);
                double b = Math.log10(range[1]);
                double pad = 0.05 * (b - a);
                return logarithmic(a - pad, b + pad);
            }
            double a = range[0];
            double b = range[1];
            double span = b - a;
            if (span == 0) {
                // A flat curve: centre it in a band of +-10% (or +-1 around zero).
                double d = Math.abs(a) * 0.1;
                if (!(d > 0) || !Double.isFinite(d)) {
                    d = 1;
                }
                return linear(a - d, b + d);
            }
            if (!Double.isFinite(span)) {
                return linear(a, b);
            }
            return linear(a - 0.05 * span, b + 0.05 * span);
        }

        private static YAxis linear(double lo, double hi) {
            List<Tick> ticks = new ArrayList<>();
            double step = niceStep((hi - lo) / 6);
            if (step > 0 && Double.isFinite(step)) {
                long first = (long) Math.ceil(lo / step);
                long last = (long) Math.floor(hi / step);
                double biggest = Math.max(Math.abs(lo), Math.abs(hi));
                for (long k = first; k <= last && ticks.size() < 50; k++) {
                    double v = k * step;
                    ticks.add(new Tick(v, formatLinear(v, step, biggest)));
                }
            }
            return new YAxis(false, lo, hi, ticks);
        }

        private static YAxis logarithmic(double lo, double hi) {
            double decades = hi - lo;
            // Label 1, 2 and 5 of each decade while there is room, else only the powers of ten,
            // and past eight decades only every few of them.
            int[] labelled = decades <= 4 ? new int[] {1, 2, 5} : new int[] {1};
            int stride = decades <= 8 ? 1 : (int) Math.ceil(decades / 8);
            boolean minor = decades <= 6;
            List<Tick> ticks = new ArrayList<>();
            for (int k = (int) Math.floor(lo); k <= (int) Math.ceil(hi); k++) {
                for (int m = 1; m <= 9; m++) {
                    double lv = k + Math.log10(m);
                    if (lv < lo || lv > hi) {
                        continue;
                    }
                    boolean major = contains(labelled, m)
                            && (m != 1 || Math.floorMod(k, stride) == 0);
                    if (major) {
                        ticks.add(new Tick(lv, formatPower(m, k)));
                    } else if (minor) {
                        ticks.add(new Tick(lv, null));
                    }
                }
            }
            return new YAxis(true, lo, hi, ticks);
        }

        private static boolean contains(int[] values, int value) {
            for (int v : values) {
                if (v == value) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the value can be placed on this axis: not zero or negative on a log one. */
        boolean shows(double v) {
            return !log || v > 0;
        }

        /** A loss in axis units: its log10 on a log axis. */
        double toAxis(double v) {
            return log ? Math.log10(v) : v;
        }

        /** The pixel row (centre) of a value in axis units, as {@link Tick#value} is. */
        double pixel(double axisValue) {
            double t = (axisValue - lo) / (hi - lo);
            return PLOT_BOTTOM - 0.5 - t * (PLOT_BOTTOM - PLOT_TOP - 1);
        }
    }

    /**
     * The first of 1, 2, 5 times a power of ten that is at least {@code raw}, so tick values are
     * round numbers.
     */
    private static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return Double.NaN;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double m = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
        return m * mag;
    }

    /** A linear tick label with as many decimals as the step needs; very small or large in e-notation. */
    private static String formatLinear(double v, double step, double biggest) {
        if (Math.abs(v) < step * 1e-6) {
            return "0";
        }
        int stepExp = (int) Math.floor(Math.log10(step) + 1e-9);
        if (step < 1e-4 || biggest >= 1e6) {
            int exp = (int) Math.floor(Math.log10(biggest));
            int decimals = Math.max(0, exp - stepExp);
            return String.format(Locale.ROOT, "%." + decimals + "f", v / Math.pow(10, exp))
                    + "e" + exp;
        }
        return String.format(Locale.ROOT, "%." + Math.max(0, -stepExp) + "f", v);
    }

    /** The label of {@code m * 10^k} on a log axis: plain where short, else like "2e-7". */
    private static String formatPower(int m, int k) {
        if (k >= -4 && k <= 5) {
            return String.format(Locale.ROOT, "%." + Math.max(0, -k) + "f", m * Math.pow(10, k));
        }
        return m + "e" + k;
    }

    // =============================================================================================
    // Image grid
    // =============================================================================================

    /**
     * Writes a grid of images as a PNG: one row per {@link ImageRow}, its label at the left, its
     * images side by side, each pixel drawn as a {@code scale x scale} block (nearest neighbour).
     * One-channel images are grayscale, three-channel ones RGB; values are clamped to
     * {@code [0, 1]} with {@code NaN} drawn as 0, so 0 is black and 1 is white.
     *
     * <p>The layout, in pixels, for rows {@code r} with {@code n_r} images of
     * {@code h_r x w_r}:
     * <ul>
     *   <li>width = {@code 120 + max_r(n_r * w_r * scale + (n_r - 1) * 2) + 4}: a 120-pixel label
     *       column, the widest row with 2-pixel gaps between images, a 4-pixel border (a row
     *       without images counts as 0 wide);
     *   <li>height = {@code 28 + sum_r(h_r * scale) + (rows - 1) * 4 + 4}: a 28-pixel title band,
     *       the rows 4 pixels apart, a 4-pixel border (no rows: just the band and border);
     *   <li>image {@code i} of row {@code r} has its top-left corner at x =
     *       {@code 120 + i * (w_r * scale + 2)}, y = {@code 28 + sum_{q<r}(h_q * scale + 4)}.
     * </ul>
     * The background is white. Labels too long for their column are cut short with an ellipsis.
     * If the platform cannot draw text, the grid is written without the title and labels.
     *
     * @param png the file to write; its parent directories are created, an existing file replaced
     * @param title the grid's title; null for none
     * @param rows the rows, top to bottom; may be empty
     * @param scale how many output pixels each image pixel becomes along each axis, at least 1
     * @throws IllegalArgumentException if {@code scale} is below 1 or the grid would be too large
     *     for one image
     * @throws IOException if the file cannot be written
     */
    public static void writeImageGrid(Path png, String title, List<ImageRow> rows, int scale)
            throws IOException {
        Objects.requireNonNull(png, "png");
        writePng(renderImageGrid(title == null ? "" : title, List.copyOf(rows), scale), png);
    }

    static BufferedImage renderImageGrid(String title, List<ImageRow> rows, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        long width = 0;
        long height = TITLE_MARGIN + PADDING;
        for (int r = 0; r < rows.size(); r++) {
            ImageRow row = rows.get(r);
            int n = row.images().size();
            long rowWidth = n == 0 ? 0 : n * (long) row.width() * scale + (n - 1L) * IMAGE_GAP;
            width = Math.max(width, rowWidth);
            height += (long) row.height() * scale + (r > 0 ? ROW_GAP : 0);
        }
        width += LABEL_MARGIN + PADDING;
        // A BufferedImage is backed by one int array; refuse before allocation fails obscurely.
        if (width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("grid of " + width + "x" + height
                    + " pixels is too large; use a smaller scale or fewer images");
        }
        final int gridWidth = (int) width;
        Canvas canvas = new Canvas(gridWidth, (int) height, WHITE);

        int[] rowTop = new int[rows.size()];
        int y = TITLE_MARGIN;
        for (int r = 0; r < rows.size(); r++) {
            ImageRow row = rows.get(r);
            rowTop[r] = y;
            int x = LABEL_MARGIN;
            for (float[] image : row.images()) {
                drawImage(canvas, image, row, x, y, scale);
                x += row.width() * scale + IMAGE_GAP;
            }
            y += row.height() * scale + ROW_GAP;
        }

        canvas.text(g -> {
            Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 14);
            Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            g.setColor(new Color(TEXT));
            g.setFont(bold);
            FontMetrics fm = g.getFontMetrics();
            // Keep text inside its margins: it must never touch an image's pixels.
            g.setClip(0, 0, gridWidth, TITLE_MARGIN);
            g.drawString(fit(fm, title, gridWidth - 12), 6,
                    (TITLE_MARGIN + fm.getAscent() - fm.getDescent()) / 2);
            g.setFont(plain);
            fm = g.getFontMetrics();
            for (int r = 0; r < rows.size(); r++) {
                int rowHeight = rows.get(r).height() * scale;
                g.setClip(0, rowTop[r], LABEL_MARGIN - 4, rowHeight);
                g.drawString(fit(fm, rows.get(r).label(), LABEL_MARGIN - 12), 6,
                        rowTop[r] + (rowHeight + fm.getAscent() - fm.getDescent()) / 2);
            }
        });
        return canvas.toImage();
    }

    private static void drawImage(Canvas canvas, float[] image, ImageRow row, int left, int top,
            int scale) {
        int w = row.width();
        int c = row.channels();
        for (int py = 0; py < row.height(); py++) {
            for (int px = 0; px < w; px++) {
                int base = (py * w + px) * c;
                int rgb;
                if (c == 1) {
                    int v = toByte(image[base]);
                    rgb = v << 16 | v << 8 | v;
                } else {
                    rgb = toByte(image[base]) << 16 | toByte(image[base + 1]) << 8
                            | toByte(image[base + 2]);
                }
                canvas.fillRect(left + px * scale, top + py * scale, scale, scale, rgb);
            }
        }
    }

    /** Maps an intensity to 0..255: clamped to [0, 1], NaN as 0 (a diverged model's output). */
    private static int toByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }

    // =============================================================================================
    // Shared: text, pixels, files
    // =============================================================================================

    /** The longest prefix of {@code s} (with an ellipsis if cut) no wider than {@code max}. */
    private static String fit(FontMetrics fm, String s, int max) {
        if (fm.stringWidth(s) <= max) {
            return s;
        }
        String ellipsis = "\u2026";
        int end = s.length();
        while (end > 0 && fm.stringWidth(s.substring(0, end) + ellipsis) > max) {
            end--;
        }
        return end == 0 ? "" : s.substring(0, end) + ellipsis;
    }

    /**
     * Draws text over {@code rgb} (0xRRGGBB pixels, row by row) with {@code painter}, all or
     * nothing. The painter draws on a transparent layer that is blended in only if it returns:
     * text needs fonts and AWT's graphics environment, and without them (no fontconfig, an
     * unreachable {@code DISPLAY}) drawing fails with an {@link Error} or a runtime exception in
     * the middle. A chart without text is still worth writing, and a chart with half its text
     * would mislead, so any failure here is swallowed and the pixels are left as they were.
     *
     * @return whether the text was drawn
     */
    static boolean paintText(int[] rgb, int width, int height, Consumer<Graphics2D> painter) {
        int[] layer;
        try {
            BufferedImage overlay = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = overlay.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
                        RenderingHints.VALUE_FRACTIONALMETRICS_ON);
                painter.accept(g);
            } finally {
                g.dispose();
            }
            layer = overlay.getRGB(0, 0, width, height, null, 0, width);
        } catch (Throwable noText) {
            // Deliberately broad: font failures surface as InternalError, UnsatisfiedLinkError,
            // NoClassDefFoundError, AWTError or NullPointerException depending on the JDK.
            return false;
        }
        for (int i = 0; i < layer.length; i++) {
            int alpha = layer[i] >>> 24;
            if (alpha != 0) {
                rgb[i] = blend(rgb[i], layer[i] & 0xFFFFFF, alpha / 255f);
            }
        }
        return true;
    }

    private static int blend(int under, int over, float alpha) {
        if (alpha >= 1f) {
            return over;
        }
        float keep = 1f - alpha;
        int r = Math.round(((under >> 16) & 0xFF) * keep + ((over >> 16) & 0xFF) * alpha);
        int g = Math.round(((under >> 8) & 0xFF) * keep + ((over >> 8) & 0xFF) * alpha);
        int b = Math.round((under & 0xFF) * keep + (over & 0xFF) * alpha);
        return r << 16 | g << 8 | b;
    }

    /**
     * An RGB pixel array with the few shapes the charts need: rectangles, and antialiased round-
     * capped strokes and discs. Drawing here rather than through {@link Graphics2D} keeps the
     * charts independent of the display (see the class comment) and makes their pixels exact.
     */
    private static final class Canvas {
        final int width;
        final int height;
        final int[] rgb;
        /** Coverage of the stroke being drawn, so overlapping segments blend once, not twice. */
        private float[] cover;
        private int clipLeft;
        private int clipTop;
        private int clipRight;
        private int clipBottom;

        Canvas(int width, int height, int background) {
            this.width = width;
            this.height = height;
            this.rgb = new int[width * height];
            Arrays.fill(rgb, background);
            unclip();
        }

        /** Limits drawing to {@code [left, right) x [top, bottom)}. */
        void clip(int left, int top, int right, int bottom) {
            clipLeft = Math.max(0, left);
            clipTop = Math.max(0, top);
            clipRight = Math.min(width, right);
            clipBottom = Math.min(height, bottom);
        }

        void unclip() {
            clip(0, 0, width, height);
        }

        void fillRect(int x, int y, int w, int h, int colour) {
            int x0 = Math.max(x, clipLeft);
            int y0 = Math.max(y, clipTop);
            int x1 = Math.min(x + w, clipRight);
            int y1 = Math.min(y + h, clipBottom);
            for (int row = y0; row < y1; row++) {
                if (x0 < x1) {
                    Arrays.fill(rgb, row * width + x0, row * width + x1, colour);
                }
            }
        }

        /**
         * Strokes the polyline through the first {@code n} points, {@code lineWidth} wide with
         * round caps and joins, solid or with a {@code {on, off}} dash pattern that runs on
         * across the points.
         */
        void stroke(double[] xs, double[] ys, int n, double lineWidth, int colour,
                double[] dash) {
            Dirty dirty = new Dirty();
            double half = lineWidth / 2;
            double phase = 0; // distance into the current on+off period
            for (int i = 0; i + 1 < n; i++) {
                double ax = xs[i];
                double ay = ys[i];
                double bx = xs[i + 1];
                double by = ys[i + 1];
                if (dash == null) {
                    cover(ax, ay, bx, by, half, dirty);
                    continue;
                }
                double length = Math.hypot(bx - ax, by - ay);
                double at = 0;
                while (at < length) {
                    boolean on = phase < dash[0];
                    double left = on ? dash[0] - phase : dash[0] + dash[1] - phase;
                    double to = Math.min(length, at + left);
                    if (on && length > 0) {
                        double f0 = at / length;
                        double f1 = to / length;
                        cover(ax + (bx - ax) * f0, ay + (by - ay) * f0,
                                ax + (bx - ax) * f1, ay + (by - ay) * f1, half, dirty);
                    }
                    phase = (phase + (to - at)) % (dash[0] + dash[1]);
                    at = to;
                }
            }
            flush(colour, dirty);
        }

        /** A filled antialiased disc. */
        void disc(double cx, double cy, double radius, int colour) {
            Dirty dirty = new Dirty();
            cover(cx, cy, cx, cy, radius, dirty);
            flush(colour, dirty);
        }

        /**
         * Adds the coverage of the segment a-b thickened by {@code half} on every side. A pixel
         * is covered by how far its centre lies inside that shape, up to one: a one-pixel ramp
         * that antialiases the edge, while pixels well inside get the exact colour.
         */
        private void cover(double ax, double ay, double bx, double by, double half, Dirty dirty) {
            if (cover == null) {
                cover = new float[width * height];
            }
            int x0 = Math.max(clipLeft, (int) Math.floor(Math.min(ax, bx) - half - 1));
            int x1 = Math.min(clipRight, (int) Math.ceil(Math.max(ax, bx) + half + 1));
            int y0 = Math.max(clipTop, (int) Math.floor(Math.min(ay, by) - half - 1));
            int y1 = Math.min(clipBottom, (int) Math.ceil(Math.max(ay, by) + half + 1));
            double dx = bx - ax;
            double dy = by - ay;
            double lengthSquared = dx * dx + dy * dy;
            for (int py = y0; py < y1; py++) {
                for (int px = x0; px < x1; px++) {
                    double cx = px + 0.5 - ax;
                    double cy = py + 0.5 - ay;
                    double t = lengthSquared == 0 ? 0
                            : Math.max(0, Math.min(1, (cx * dx + cy * dy) / lengthSquared));
                    double d = Math.hypot(cx - t * dx, cy - t * dy);
                    float c = (float) Math.min(1, half + 0.5 - d);
                    if (c > 0) {
                        int i = py * width + px;
                        if (c > cover[i]) {
                            cover[i] = c;
                        }
                        dirty.add(px, py);
                    }
                }
            }
        }

        /** Blends the accumulated coverage in {@code colour} and clears it for the next shape. */
        private void flush(int colour, Dirty dirty) {
            for (int py = dirty.top; py <= dirty.bottom; py++) {
                for (int px = dirty.left; px <= dirty.right; px++) {
                    int i = py * width + px;
                    if (cover[i] > 0) {
                        rgb[i] = blend(rgb[i], colour, cover[i]);
                        cover[i] = 0;
                    }
                }
            }
        }

        void text(Consumer<Graphics2D> painter) {
            paintText(rgb, width, height, painter);
        }

        BufferedImage toImage() {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            image.setRGB(0, 0, width, height, rgb, 0, width);
            return image;
        }
    }

    /** The bounding box of the pixels a shape touched, so flushing need not scan the canvas. */
    private static final class Dirty {
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = -1;
        int bottom = -1;

        void add(int x, int y) {
            left = Math.min(left, x);
            top = Math.min(top, y);
            right = Math.max(right, x);
            bottom = Math.max(bottom, y);
        }
    }

    /**
     * Encodes the image as PNG in memory, then writes it to a fresh file beside the target, forces
     * it to disk and moves it over the target, so that readers and crashes see the old file or
     * the whole new one. The temporary file is removed if anything fails.
     */
    static void writePng(BufferedImage image, Path png) throws IOException {
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        byte[] bytes = encodePng(image);

        // Not Files.createTempFile: on POSIX it makes the file owner-only (0600), and the move
        // would give the report that mode instead of the usual umask-based one.
        Path temp = null;
        FileChannel channel = null;
        for (int attempt = 0; channel == null; attempt++) {
            temp = dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 10) {
                    throw taken;
                }
            }
        }
        boolean moved = false;
        try {
            try (FileChannel out = channel) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The original failure is the one worth reporting; a stray temp file is not.
                }
            }
        }
    }

    /**
     * PNG bytes of the image. Uses an in-memory stream so that ImageIO's disk cache (a global
     * setting, and a temp directory that may not be writable) is not involved.
     */
    private static byte[] encodePng(BufferedImage image) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("this JDK has no PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
