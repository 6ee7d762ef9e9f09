package dev.latent.runtime.data;

import static dev.latent.runtime.data.IdxFiles.idx;
import static dev.latent.runtime.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Shape;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class DatasetsTest {
    private static final double EPS = 1e-6;

    @TempDir
    Path dir;

    /** The value at sample s, row h, column w, channel c of two 2x2x3 images: all 24 distinct. */
    private static double keras(int s, int h, int w, int c) {
        return s * 12 + h * 6 + w * 3 + c;
    }

    private static double[] twoTinyImages() {
        double[] v = new double[24];
        int i = 0;
        for (int s = 0; s < 2; s++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 2; w++) {
                    for (int c = 0; c < 3; c++) {
                        v[i++] = keras(s, h, w, c);
                    }
                }
            }
        }
        return v;
    }

    @Test
    void channelsLastBecomesChannelsFirstElementByElement() {
        Path file = write(dir, "tiny.idx", idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {2, 2, 2, 3}, twoTinyImages()));
        Dataset d = Datasets.fromIdx(file, DataRange.UNIT);
        assertEquals(Shape.of(2, 2, 3), d.sampleShape());
        assertArrayEquals(new long[] {2, 3, 2, 2}, d.features().shape());
        assertEquals(DataType.FLOAT, d.features().dataType());
        for (int s = 0; s < 2; s++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 2; w++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(keras(s, h, w, c) / 255.0, d.features().getDouble(s, c, h, w), EPS,
                                "sample " + s + " h " + h + " w " + w + " c " + c);
                    }
                }
            }
        }
        assertEquals("tiny.idx (2 images 2x2x3)", d.description());
    }

    @Test
    void fromFloatsTakesKerasOrder() {
        double[] v = twoTinyImages();
        float[] values = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            values[i] = (float) v[i];
        }
        Dataset d = Datasets.fromFloats(values, 2, Shape.of(2, 2, 3), DataRange.UNBOUNDED, "tiny");
        assertEquals("tiny", d.description());
        for (int s = 0; s < 2; s++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 2; w++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(keras(s, h, w, c), d.features().getDouble(s, c, h, w), EPS);
                    }
                }
            }
        }
        Dataset vectors = Datasets.fromFloats(values, 4, Shape.of(6), DataRange.UNBOUNDED, "vectors");
        assertArrayEquals(new long[] {4, 6}, vectors.features().shape());
        assertEquals(13, vectors.features().getDouble(2, 1), EPS);
        assertThrows(IllegalArgumentException.class,
                () -> Datasets.fromFloats(values, 3, Shape.of(6), DataRange.UNBOUNDED, "short"));
    }

    @Test
    void ranksTwoAndThreeGiveVectorsAndSingleChannelImages() {
        double[] v = {0, 51, 102, 153, 204, 255};
        Dataset vectors = Datasets.fromIdx(write(dir, "v.idx", idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {2, 3}, v)),
                DataRange.UNIT);
        assertEquals(Shape.of(3), vectors.sampleShape());
        assertEquals("v.idx (2 vectors of 3)", vectors.description());
        assertEquals(0.6, vectors.features().getDouble(1, 0), EPS);

        Dataset images = Datasets.fromIdx(write(dir, "i.idx", idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {1, 2, 3}, v)),
                DataRange.UNIT);
        assertEquals(Shape.of(2, 3, 1), images.sampleShape());
        assertArrayEquals(new long[] {1, 1, 2, 3}, images.features().shape());
        assertEquals("i.idx (1 image 2x3x1)", images.description());
        assertEquals(0.8, images.features().getDouble(0, 0, 1, 1), EPS);
    }

    @Test
    void pixelsScaleToUnitAndSymmetric() {
        byte[] file = idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {1, 4}, 0, 51, 127, 255);
        INDArray unit = Datasets.fromIdx(new ByteArrayInputStream(file), "p", DataRange.UNIT).features();
        assertArrayEquals(new float[] {0f, 0.2f, 127 / 255f, 1f}, unit.toFloatVector(), 1e-6f);
        INDArray sym = Datasets.fromIdx(new ByteArrayInputStream(file), "p", DataRange.SYMMETRIC).features();
        assertArrayEquals(new float[] {-1f, 51 / 127.5f - 1, 127 / 127.5f - 1, 1f}, sym.toFloatVector(), 1e-6f);
    }

    @Test
    void pixelsStandardisePerFeatureWhenUnbounded() {
        // Feature 0 varies (10, 20, 30, 40), feature 1 is always 7: it is centred, not blown up.
        byte[] file = idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {4, 2}, 10, 7, 20, 7, 30, 7, 40, 7);
        INDArray f = Datasets.fromIdx(new ByteArrayInputStream(file), "p", DataRange.UNBOUNDED).features();
        INDArray first = f.getColumn(0);
        assertEquals(0, first.meanNumber().doubleValue(), 1e-6);
        assertEquals(1, first.std(false, 0).getDouble(0), 1e-5);
        assertEquals(-3 / Math.sqrt(5), first.getDouble(0), 1e-5); // (10 - 25) / sqrt(125)
        assertArrayEquals(new float[] {0, 0, 0, 0}, f.getColumn(1).toFloatVector(), 0f);
    }

    @Test
    void imagesStandardisePerChannel() {
        Path file = write(dir, "tiny.idx", idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {2, 2, 2, 3}, twoTinyImages()));
        INDArray f = Datasets.fromIdx(file, DataRange.UNBOUNDED).features();
        assertArrayEquals(new long[] {2, 3, 2, 2}, f.shape());
        // Each channel, over both samples and every pixel, to mean 0 and standard deviation 1.
        for (int c = 0; c < 3; c++) {
            INDArray channel = f.get(NDArrayIndex.all(), NDArrayIndex.point(c));
            assertEquals(0, channel.meanNumber().doubleValue(), 1e-5);
            assertEquals(1, channel.stdNumber().doubleValue() * Math.sqrt(7 / 8.0), 1e-5); // population std
        }
        // Channel 2 holds 2, 5, 8, 11, 14, 17, 20, 23: mean 12.5, population std sqrt(47.25).
        assertEquals((2 - 12.5) / Math.sqrt(47.25), f.getDouble(0, 2, 0, 0), 1e-5);
    }

    @Test
    void otherTypesAreTakenAsGivenWhenInABoundedRange() {
        byte[] file = idx(IdxArray.Type.FLOAT, new int[] {1, 3}, -1, 0.5, 1);
        Dataset d = Datasets.fromIdx(new ByteArrayInputStream(file), "f", DataRange.SYMMETRIC);
        assertArrayEquals(new float[] {-1f, 0.5f, 1f}, d.features().toFloatVector());
        assertEquals(Scaling.Kind.IDENTITY, d.scaling().kind());
    }

    @Test
    void otherTypesOutsideABoundedRangeAreMinMaxScaledPerFeature() {
        byte[] file = idx(IdxArray.Type.FLOAT, new int[] {2, 3}, -0.5, 0.25, 3.5, 1.5, 0.25, 7.5);
        Dataset d = Datasets.fromIdx(new ByteArrayInputStream(file), "scaled.idx", DataRange.UNIT);
        assertEquals(Scaling.Kind.MIN_MAX, d.scaling().kind());
        // Feature 1 never varies: it maps to the range's lower end, not to NaN.
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 1}, d.features().ravel().toFloatVector(), 1e-6f);
    }

    @Test
    void otherTypesStandardiseWhenUnbounded() {
        byte[] shorts = idx(IdxArray.Type.SHORT, new int[] {2, 2}, -300, 300, 100, 500);
        Dataset d = Datasets.fromIdx(new ByteArrayInputStream(shorts), "s", DataRange.UNBOUNDED);
        assertArrayEquals(new float[] {-1, -1, 1, 1}, d.features().ravel().toFloatVector(), 1e-5f);
    }

    @Test
    void valuesOutsideABoundedRangeAreReportedForGivenFloats() {
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.fromFloats(new float[] {-2, 0}, 1, Shape.of(2),
                DataRange.SYMMETRIC, "csv"));
        assertTrue(e.getMessage().startsWith("csv: values from -2.0 to 0.0 lie outside DataRange.SYMMETRIC [-1, 1]"));
    }

    @Test
    void nonFiniteValuesAreReported() {
        byte[] file = idx(IdxArray.Type.DOUBLE, new int[] {1, 2}, 0, Double.NaN);
        DataFileException e = assertThrows(DataFileException.class,
                () -> Datasets.fromIdx(new ByteArrayInputStream(file), "nan.idx", DataRange.UNBOUNDED));
        assertEquals("nan.idx: value NaN at sample 1, element 2: expected finite numbers", e.getMessage());
    }

    @Test
    void otherRanksAreReported() {
        Path labels = write(dir, "labels.idx", idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {3}, 1, 2, 3));
        DataFileException e = assertThrows(DataFileException.class, () -> Datasets.fromIdx(labels, DataRange.UNIT));
        assertEquals(labels + ": rank 1 (dimensions 3), expected images [n, H, W] or [n, H, W, C], "
                + "or vectors [n, N]; a rank-1 file usually holds labels", e.getMessage());
        Path five = write(dir, "five.idx", idx(IdxArray.Type.UNSIGNED_BYTE, new int[] {1, 1, 1, 1, 2}, 1, 2));
        e = assertThrows(DataFileException.class, () -> Datasets.fromIdx(five, DataRange.UNIT));
        assertTrue(e.getMessage().contains("rank 5 (dimensions 1 x 1 x 1 x 1 x 2)"), e.getMessage());
    }
}
