package dev.latent.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {
    private static final Shape IMAGE = Shape.of(2, 3, 4); // H 2, W 3, C 4: every axis a different size

    /** {@code n} images whose element (s, c, h, w) is s*1000 + c*100 + h*10 + w. */
    private static Dataset images(int n) {
        INDArray f = Nd4j.create(DataType.FLOAT, IMAGE.batchShape(n));
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < 4; c++) {
                for (int h = 0; h < 2; h++) {
                    for (int w = 0; w < 3; w++) {
                        f.putScalar(new long[] {s, c, h, w}, s * 1000 + c * 100 + h * 10 + w);
                    }
                }
            }
        }
        return Dataset.of(f, IMAGE, DataRange.UNBOUNDED, "test");
    }

    @Test
    void reshapeToVectorWalksHeightWidthChannelAndBack() {
        Dataset image = images(3);
        Dataset vector = image.reshape(Shape.of(24));
        assertArrayEquals(new long[] {3, 24}, vector.features().shape());
        for (int s = 0; s < 3; s++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 3; w++) {
                    for (int c = 0; c < 4; c++) {
                        assertEquals(image.features().getDouble(s, c, h, w),
                                vector.features().getDouble(s, h * 12 + w * 4 + c), "s" + s + " h" + h + " w" + w + " c" + c);
                    }
                }
            }
        }
        Dataset back = vector.reshape(IMAGE);
        assertEquals(IMAGE, back.sampleShape());
        assertEquals(image.features(), back.features());
        assertSame(image, image.reshape(IMAGE));
        assertThrows(IllegalArgumentException.class, () -> image.reshape(Shape.of(25)));
    }

    @Test
    void splitLastHoldsOutTheLastFraction() {
        Dataset d = images(10);
        Dataset.Split split = d.splitLast(0.2);
        assertEquals(8, split.train().size());
        assertEquals(2, split.validation().size());
        assertEquals(8000, split.validation().features().getDouble(0, 0, 0, 0));
        assertEquals(7000, split.train().features().getDouble(7, 0, 0, 0));
        assertEquals(IMAGE, split.validation().sampleShape());
        assertEquals(3, d.splitLast(0.25).validation().size()); // 2.5 rounds up
        assertThrows(IllegalArgumentException.class, () -> d.splitLast(0.01));
        assertThrows(IllegalArgumentException.class, () -> d.splitLast(1));
    }

    @Test
    void sliceHeadAndTail() {
        Dataset d = images(5);
        Dataset middle = d.slice(1, 3);
        assertArrayEquals(new long[] {2, 4, 2, 3}, middle.features().shape());
        assertEquals(2112, middle.features().getDouble(1, 1, 1, 2)); // sample 2, c 1, h 1, w 2
        assertEquals(0, d.head(1).features().getDouble(0, 0, 0, 0));
        assertEquals(4000, d.tail(1).features().getDouble(0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> d.slice(3, 3));
    }

    @Test
    void meanIsTheMeanSample() {
        INDArray mean = images(3).mean();
        assertArrayEquals(new long[] {1, 4, 2, 3}, mean.shape());
        assertEquals(1000 + 312, mean.getDouble(0, 3, 1, 2), 1e-3); // mean of 0, 1000, 2000 plus 312
    }

    @Test
    void ofRejectsAnArrayOfAnotherShape() {
        INDArray vectors = Nd4j.zeros(DataType.FLOAT, 2, 24);
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(vectors, IMAGE, DataRange.UNIT, "x"));
        Dataset d = Dataset.of(Nd4j.zeros(DataType.DOUBLE, 2, 24), Shape.of(24), DataRange.UNIT, "x");
        assertEquals(DataType.FLOAT, d.features().dataType());
    }
}
