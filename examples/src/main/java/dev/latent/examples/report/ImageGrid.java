package dev.latent.examples.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A PNG of labelled rows of images: a model's clean inputs, their noisy copies and its
 * reconstructions, side by side.
 */
public final class ImageGrid {

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

    private static final Color TEXT = new Color(0x202020);

    private ImageGrid() {
    }

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
     *
     * @param png the file to write; its parent directories are created, an existing file replaced
     * @param title the grid's title; null for none
     * @param rows the rows, top to bottom; may be empty
     * @param scale how many output pixels each image pixel becomes along each axis, at least 1
     * @throws IllegalArgumentException if {@code scale} is below 1 or the grid would be too large
     *     for one image
     * @throws IOException if the file cannot be written
     */
    public static void write(Path png, String title, List<ImageRow> rows, int scale)
            throws IOException {
        Objects.requireNonNull(png, "png");
        PngFile.write(render(title == null ? "" : title, List.copyOf(rows), scale), png);
    }

    static BufferedImage render(String title, List<ImageRow> rows, int scale) {
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
        BufferedImage grid = new BufferedImage((int) width, (int) height,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            // Each image pixel becomes a sharp block: no smoothing between neighbours.
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            int[] rowTop = new int[rows.size()];
            int y = TITLE_MARGIN;
            for (int r = 0; r < rows.size(); r++) {
                ImageRow row = rows.get(r);
                rowTop[r] = y;
                int x = LABEL_MARGIN;
                for (float[] image : row.images()) {
                    g.drawImage(toImage(image, row), x, y, row.width() * scale,
                            row.height() * scale, null);
                    x += row.width() * scale + IMAGE_GAP;
                }
                y += row.height() * scale + ROW_GAP;
            }
            drawText(g, title, rows, rowTop, scale, grid.getWidth());
        } finally {
            g.dispose();
        }
        return grid;
    }

    private static void drawText(Graphics2D g, String title, List<ImageRow> rows, int[] rowTop,
            int scale, int gridWidth) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS,
                RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(TEXT);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        FontMetrics fm = g.getFontMetrics();
        // Keep text inside its margins: it must never touch an image's pixels.
        g.setClip(0, 0, gridWidth, TITLE_MARGIN);
        g.drawString(fit(fm, title, gridWidth - 12), 6,
                (TITLE_MARGIN + fm.getAscent() - fm.getDescent()) / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        for (int r = 0; r < rows.size(); r++) {
            int rowHeight = rows.get(r).height() * scale;
            g.setClip(0, rowTop[r], LABEL_MARGIN - 4, rowHeight);
            g.drawString(fit(fm, rows.get(r).label(), LABEL_MARGIN - 12), 6,
                    rowTop[r] + (rowHeight + fm.getAscent() - fm.getDescent()) / 2);
        }
    }

    /** One image of the row at its own size, one grid pixel per value. */
    private static BufferedImage toImage(float[] values, ImageRow row) {
        int w = row.width();
        int h = row.height();
        int c = row.channels();
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            int base = i * c;
            if (c == 1) {
                int v = toByte(values[base]);
                rgb[i] = v << 16 | v << 8 | v;
            } else {
                rgb[i] = toByte(values[base]) << 16 | toByte(values[base + 1]) << 8
                        | toByte(values[base + 2]);
            }
        }
        // RGB even for gray images: a gray colour space would be converted, and change the values.
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, w, h, rgb, 0, w);
        return image;
    }

    /** Maps an intensity to 0..255: clamped to [0, 1], NaN as 0 (a diverged model's output). */
    private static int toByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }

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
}
