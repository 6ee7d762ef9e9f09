package dev.latent.runtime.data;

import static dev.latent.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.runtime.settings.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of PNG and JPEG images, resized to the model's input, in gray or RGB. */
class ImageFolderTest {
    @TempDir
    Path dir;

    /** A w x h image of one colour. */
    private Path image(String name, String format, int w, int h, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), format + " writer");
        return file;
    }

    @Test
    void imagesAreResizedAndReadInNameOrder() throws IOException {
        image("b.png", "png", 8, 6, 0x804020);
        image("a.png", "png", 3, 3, 0xFFFFFF);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Samples rgb = Datasets.read(dir, Shape.of(4, 4, 3));
        assertEquals(2, rgb.size());
        assertTrue(rgb.pixels());
        assertArrayEquals(new long[] {2, 3, 4, 4}, rgb.features().shape());
        assertEquals(255, rgb.features().getFloat(0, 0, 2, 2), 0f); // a.png first: white
        assertEquals(0x80, rgb.features().getFloat(1, 0, 1, 1), 0f);
        assertEquals(0x40, rgb.features().getFloat(1, 1, 1, 1), 0f);
        assertEquals(0x20, rgb.features().getFloat(1, 2, 1, 1), 0f);

        Samples gray = Datasets.read(dir, Shape.of(2, 2, 1));
        assertEquals(Math.round(0.299f * 0x80 + 0.587f * 0x40 + 0.114f * 0x20), gray.features().getFloat(1, 0, 0, 0), 0f);
        assertTrue(gray.description().endsWith("(2 images resized to 2x2x1)"), gray.description());
    }

    @Test
    void jpegIsRead() throws IOException {
        image("photo.jpg", "jpg", 5, 5, 0x808080);
        float v = Datasets.read(dir, Shape.of(5, 5, 1)).features().getFloat(0, 0, 2, 2);
        assertEquals(0x80, v, 3f); // JPEG is lossy
    }

    @Test
    void emptyFolderAndFolderWithoutImagesAreReported() throws IOException {
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.read(dir, Shape.of(2, 2, 1)));
        assertEquals(dir + ": empty folder, expected PNG or JPEG images", e.getMessage());
        Files.writeString(dir.resolve("a.txt"), "x");
        e = assertThrows(DataFileException.class, () -> Datasets.read(dir, Shape.of(2, 2, 1)));
        assertEquals(dir + ": no PNG or JPEG images (.png, .jpg, .jpeg) among its 1 files", e.getMessage());
    }

    @Test
    void corruptImageIsNamed() throws IOException {
        image("a.png", "png", 2, 2, 0);
        Path bad = write(dir, "b.png", new byte[] {1, 2, 3, 4});
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.read(dir, Shape.of(2, 2, 1)));
        assertEquals(bad + ": not a PNG or JPEG image: no image reader recognises it", e.getMessage());
    }

    @Test
    void aModelThatTakesNoImagesIsReported() throws IOException {
        image("a.png", "png", 2, 2, 0);
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.read(dir, Shape.of(4)));
        assertEquals(dir + ": a folder of images needs a model that takes images {H, W, 1} or {H, W, 3}; "
                + "this one takes {4}", e.getMessage());
    }
}
