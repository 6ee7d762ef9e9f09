package dev.latent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.data.DataFileException;
import dev.latent.runtime.data.Scaling;
import dev.latent.runtime.settings.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --data: every source, the split, and a scaling fitted on the training part alone. */
class DataSourcesTest {
    @TempDir
    Path dir;

    /** A CSV of one column, 0 to n - 1. */
    private Path ramp(int n) throws IOException {
        StringBuilder text = new StringBuilder("value\n");
        for (int i = 0; i < n; i++) {
            text.append(i).append('\n');
        }
        return Files.writeString(dir.resolve("ramp.csv"), text);
    }

    @Test
    void aCsvPathSplitsFromTheEndAndScalesByTheTrainingPartOnly() throws IOException {
        DataSources.TrainTest data = DataSources.load(ramp(10).toString(), DataRange.UNIT, Shape.of(1), 0.2,
                DataSources.Windows.DEFAULT);
        assertEquals(8, data.train().size());
        assertEquals(Scaling.Kind.MIN_MAX, data.train().scaling().kind());
        assertEquals(1, data.train().features().maxNumber().doubleValue(), 1e-6);
        // 8 and 9 lie beyond the training maximum 7: they scale beyond 1, not squeezed into it.
        assertArrayEquals(new float[] {8 / 7f, 9 / 7f}, data.test().features().ravel().toFloatVector(), 1e-6f);

        DataSources.TrainTest all = DataSources.load(ramp(10).toString(), DataRange.UNIT, Shape.of(1), 0,
                DataSources.Windows.DEFAULT);
        assertEquals(10, all.train().size());
        assertNull(all.test());
    }

    @Test
    void aCsvPathIsCutIntoWindowsForASequenceModel() throws IOException {
        DataSources.TrainTest data = DataSources.load(ramp(10).toString(), DataRange.UNBOUNDED, Shape.of(4, 1), 0,
                new DataSources.Windows(2, List.of("value")));
        assertEquals(4, data.train().size()); // windows starting at rows 0, 2, 4, 6
        assertEquals(Scaling.Kind.STANDARD, data.train().scaling().kind());
    }

    @Test
    void aFolderOfImagesIsReadAtTheModelsSize() throws IOException {
        for (int i = 0; i < 5; i++) {
            BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setSample(i, i, 0, 255);
            ImageIO.write(image, "png", dir.resolve("digit" + i + ".png").toFile());
        }
        DataSources.TrainTest data = DataSources.load(dir.toString(), DataRange.UNIT, Shape.of(28, 28, 1), 0.2,
                DataSources.Windows.DEFAULT);
        assertEquals(4, data.train().size());
        assertEquals(1, data.test().size());
        assertEquals(Scaling.Kind.PIXELS, data.train().scaling().kind());
    }

    @Test
    void theEmbeddedDigitsTakeTheModelsLayout() {
        DataSources.TrainTest data = DataSources.load("mnist", DataRange.UNIT, Shape.of(784), 0.5,
                DataSources.Windows.DEFAULT);
        assertEquals(DataSources.MNIST_TRAIN, data.train().size());
        assertEquals(Shape.of(784), data.test().sampleShape());
    }

    @Test
    void fashionMnistIsReadFromItsFolderOrTheInstallCommandIsNamed() throws IOException {
        DataFileException missing = assertThrows(DataFileException.class,
                () -> DataSources.fashionMnist(dir, DataRange.UNIT, Shape.of(28, 28, 1)));
        assertEquals(dir.resolve("train-images-idx3-ubyte.gz") + ": not found; install Fashion-MNIST with "
                + "'apt-get install -y dataset-fashion-mnist'", missing.getMessage());

        byte[] digits = embeddedDigits();
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzipped());
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), digits);
        DataSources.TrainTest data = DataSources.fashionMnist(dir, DataRange.SYMMETRIC, Shape.of(28, 28, 1));
        assertEquals(10_000, data.train().size());
        assertEquals(10_000, data.test().size());
        assertEquals(-1, data.test().features().minNumber().doubleValue(), 1e-6);
    }

    @Test
    void aFileLargerThanAQuarterOfTheHeapIsStreamed() throws IOException {
        // Four 2x2 images of unsigned bytes: 16 bytes of header, 16 of pixels.
        byte[] idx = {0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        Path file = Files.write(dir.resolve("small-idx3-ubyte"), idx);
        Shape shape = Shape.of(2, 2, 1);

        assertEquals(4, DataSources.streamIfLarge(file.toString(), DataRange.UNIT, shape, 64).orElseThrow().size());
        assertTrue(DataSources.streamIfLarge(file.toString(), DataRange.UNIT, shape, 4 * 32).isEmpty(),
                "a quarter of the heap or less is read whole");
        assertTrue(DataSources.streamIfLarge(ramp(100).toString(), DataRange.UNIT, Shape.of(1), 64).isEmpty(), "CSV");
        assertTrue(DataSources.streamIfLarge("mnist", DataRange.UNIT, shape, 64).isEmpty());

        Path gz = Files.write(dir.resolve("big-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0});
        DataFileException e = assertThrows(DataFileException.class,
                () -> DataSources.streamIfLarge(gz.toString(), DataRange.UNIT, shape, 8));
        assertTrue(e.getMessage().contains("gunzip it first"), e.getMessage());
    }

    @Test
    void dataThatDoesNotFitTheModelIsOneClearMessage() throws IOException {
        Path csv = ramp(10);
        DataFileException e = assertThrows(DataFileException.class, () -> DataSources.load(csv.toString(),
                DataRange.UNIT, Shape.of(28, 28, 1), 0, DataSources.Windows.DEFAULT));
        assertEquals(csv + ": samples of {1} (1 values) do not fit the model's input {28, 28, 1} (784 values)",
                e.getMessage());
    }

    private static byte[] gzipped() throws IOException {
        try (InputStream in = DataSourcesTest.class.getResourceAsStream("/dev/latent/examples/mnist/mnist-10k-images-idx3-ubyte.gz")) {
            return in.readAllBytes();
        }
    }

    private static byte[] embeddedDigits() throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped()))) {
            return in.readAllBytes();
        }
    }
}
