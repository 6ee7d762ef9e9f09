package dev.latent.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    @TempDir
    Path dir;

    @Test
    void gridSizeFollowsTheDocumentedLayout() throws IOException {
        int scale = 3;
        List<ImageRow> rows = List.of(
                new ImageRow("gray", images(3, 4 * 5), 4, 5, 1),
                new ImageRow("rgb", images(2, 6 * 7 * 3), 6, 7, 3),
                new ImageRow("none", List.of(), 2, 2, 1));
        Path png = dir.resolve("grid.png");

        ImageGrid.write(png, "grid", rows, scale);

        BufferedImage image = read(png);
        int widest = Math.max(3 * 5 * scale + 2 * ImageGrid.IMAGE_GAP,
                2 * 7 * scale + ImageGrid.IMAGE_GAP);
        assertEquals(ImageGrid.LABEL_MARGIN + widest + ImageGrid.PADDING, image.getWidth());
        assertEquals(ImageGrid.TITLE_MARGIN + (4 + 6 + 2) * scale + 2 * ImageGrid.ROW_GAP
                + ImageGrid.PADDING, image.getHeight());
        // The values the Javadoc states.
        assertEquals(120, ImageGrid.LABEL_MARGIN);
        assertEquals(28, ImageGrid.TITLE_MARGIN);
        assertEquals(2, ImageGrid.IMAGE_GAP);
        assertEquals(4, ImageGrid.ROW_GAP);
        assertEquals(4, ImageGrid.PADDING);
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

        ImageGrid.write(png, "pixels", List.of(new ImageRow("px", images, 1, 1, 1)),
                scale);

        BufferedImage image = read(png);
        int[] expected = {0xFFFFFF, 0x000000, 0xFFFFFF, 0x000000, 0x000000, 0x808080};
        for (int i = 0; i < expected.length; i++) {
            int left = ImageGrid.LABEL_MARGIN + i * (scale + ImageGrid.IMAGE_GAP);
            // Every pixel of the scale x scale block, nearest neighbour.
            for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                    assertEquals(expected[i], rgb(image, left + dx, ImageGrid.TITLE_MARGIN + dy),
                            "image " + i + " at +" + dx + ",+" + dy);
                }
            }
        }
        // The gap after the black image is background, not image.
        assertEquals(0xFFFFFF, rgb(image, ImageGrid.LABEL_MARGIN + 2 * scale + scale,
                ImageGrid.TITLE_MARGIN));
    }

    @Test
    void imagesAreReadInKerasOrder() throws IOException {
        // 2x2 RGB, channels last: red, green / blue, white.
        float[] image = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        // 2x3 grayscale, row-major: the first row dark, the second light.
        float[] gray = {0, 0, 0, 1, 1, 1};
        Path png = dir.resolve("rgb.png");

        ImageGrid.write(png, "rgb", List.of(
                new ImageRow("rgb", List.of(image), 2, 2, 3),
                new ImageRow("gray", List.of(gray), 2, 3, 1)), 1);

        BufferedImage out = read(png);
        int x = ImageGrid.LABEL_MARGIN;
        int y = ImageGrid.TITLE_MARGIN;
        assertEquals(0xFF0000, rgb(out, x, y));
        assertEquals(0x00FF00, rgb(out, x + 1, y));
        assertEquals(0x0000FF, rgb(out, x, y + 1));
        assertEquals(0xFFFFFF, rgb(out, x + 1, y + 1));
        int grayTop = y + 2 + ImageGrid.ROW_GAP;
        assertEquals(0x000000, rgb(out, x + 2, grayTop));
        assertEquals(0xFFFFFF, rgb(out, x, grayTop + 1));
    }

    @Test
    void noRowsStillGiveAnImage() throws IOException {
        Path png = dir.resolve("empty.png");

        ImageGrid.write(png, null, List.of(), 3);

        BufferedImage image = read(png);
        assertEquals(ImageGrid.LABEL_MARGIN + ImageGrid.PADDING, image.getWidth());
        assertEquals(ImageGrid.TITLE_MARGIN + ImageGrid.PADDING, image.getHeight());
    }

    @Test
    void badShapesAndScalesAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new ImageRow("x", List.of(new float[3]), 2, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageRow("x", List.of(new float[8]), 2, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageRow("x", List.of(), 0, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(
                dir.resolve("x.png"), "x", List.of(new ImageRow("x", List.of(), 1, 1, 1)), 0));
        assertFalse(Files.exists(dir.resolve("x.png")));
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

}
