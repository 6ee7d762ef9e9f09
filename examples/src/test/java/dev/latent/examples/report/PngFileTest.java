package dev.latent.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngFileTest {

    @TempDir
    Path dir;

    @Test
    void parentsAreCreatedAnExistingFileIsReplacedAndNoTemporaryFileRemains()
            throws IOException {
        Path png = dir.resolve("a/b/c/picture.png");

        PngFile.write(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB), png);
        Files.writeString(png, "not a png");
        PngFile.write(new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB), png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "readable PNG");
        assertEquals(5, image.getWidth());
        assertEquals(4, image.getHeight());
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList());
        }
    }
}
