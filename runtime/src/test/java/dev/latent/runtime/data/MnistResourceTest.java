package dev.latent.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The first 1,000 real MNIST digits, shipped as a test resource (see MNIST-LICENSE.txt). */
class MnistResourceTest {
    private static final String IMAGES = "mnist-1k-images-idx3-ubyte.gz";
    private static final String LABELS = "mnist-1k-labels-idx1-ubyte.gz";

    private static InputStream open(String name) {
        InputStream in = MnistResourceTest.class.getResourceAsStream("/" + name);
        assertNotNull(in, name + " on the test classpath");
        return in;
    }

    @Test
    void imagesReadAsUnitScaledDigits() throws IOException {
        try (InputStream in = open(IMAGES)) {
            Dataset d = Datasets.fromIdx(in, IMAGES, DataRange.UNIT);
            assertEquals(1000, d.size());
            assertEquals(Shape.of(28, 28, 1), d.sampleShape());
            assertArrayEquals(new long[] {1000, 1, 28, 28}, d.features().shape());
            assertTrue(d.features().minNumber().doubleValue() >= 0);
            assertEquals(1.0, d.features().maxNumber().doubleValue(), 1e-6);
            // MNIST is mostly background: about 13% ink on average.
            assertEquals(0.13, d.features().meanNumber().doubleValue(), 0.01);
            assertEquals(IMAGES + " (1,000 images 28x28x1)", d.description());
        }
    }

    @Test
    void theRealFileReadsByPathAsVectorsForADenseModel() throws Exception {
        Path file = Path.of(MnistResourceTest.class.getResource("/" + IMAGES).toURI());
        Samples s = Datasets.read(file, Shape.of(784));
        assertEquals(1000, s.size());
        assertTrue(s.pixels());
        assertEquals(Shape.of(784), s.sampleShape());
        Samples.Split split = s.splitLast(0.2);
        Scaling scaling = Scaling.fit(split.train(), DataRange.UNIT);
        assertEquals(Scaling.Kind.PIXELS, scaling.kind());
        assertEquals(1.0, scaling.apply(split.validation()).features().maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void labelsReadAsRankOneDigits() throws IOException {
        try (InputStream in = open(LABELS)) {
            IdxArray labels = IdxReader.read(in, LABELS);
            assertEquals(IdxArray.Type.UNSIGNED_BYTE, labels.type());
            assertArrayEquals(new int[] {1000}, labels.dims());
            int[] perDigit = new int[10];
            for (float v : labels.values()) {
                assertEquals(Math.rint(v), v);
                perDigit[(int) v]++;
            }
            for (int digit = 0; digit < 10; digit++) {
                assertTrue(perDigit[digit] > 50, "digit " + digit + " appears " + perDigit[digit] + " times");
            }
        }
    }
}
