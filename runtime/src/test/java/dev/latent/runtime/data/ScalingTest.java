package dev.latent.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import dev.latent.runtime.settings.Shape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Scalings: fitted on training samples only, applied to new data the same way, inverted exactly. */
class ScalingTest {
    private static Samples samples(boolean pixels, Shape shape, float... values) {
        return Samples.of(values, (int) (values.length / shape.size()), shape, pixels, "test.csv", "test");
    }

    @Test
    void minMaxIsFittedOnTrainingSamplesOnly() {
        // Two features; the last sample (held out) lies beyond the training extremes.
        Samples all = samples(false, Shape.of(2), 0, 10, 2, 30, 4, 50, 8, 90);
        Samples.Split split = all.splitLast(0.25);
        Scaling unit = Scaling.fit(split.train(), DataRange.UNIT);
        assertEquals(Scaling.Kind.MIN_MAX, unit.kind());
        assertArrayEquals(new float[] {0, 0, 0.5f, 0.5f, 1, 1}, unit.apply(split.train()).features().ravel().toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {2, 2}, unit.apply(split.validation()).features().ravel().toFloatVector(), 1e-6f);
        Scaling symmetric = Scaling.fit(split.train(), DataRange.SYMMETRIC);
        assertArrayEquals(new float[] {-1, -1, 0, 0, 1, 1},
                symmetric.apply(split.train()).features().ravel().toFloatVector(), 1e-6f);
    }

    @Test
    void standardisationIsPerFeature() {
        Samples train = samples(false, Shape.of(2), 1, 100, 3, 100);
        Scaling s = Scaling.fit(train, DataRange.UNBOUNDED);
        assertEquals(Scaling.Kind.STANDARD, s.kind());
        // The constant feature is centred, not divided by zero.
        assertArrayEquals(new float[] {-1, 0, 1, 0}, s.apply(train).features().ravel().toFloatVector(), 1e-5f);
    }

    @Test
    void pixelsScaleByAFixedRuleAndDataInRangeIsKept() {
        Samples pixels = samples(true, Shape.of(2), 0, 51, 255, 255);
        assertEquals(Scaling.Kind.PIXELS, Scaling.fit(pixels, DataRange.UNIT).kind());
        assertArrayEquals(new float[] {-1, 51 / 127.5f - 1, 1, 1},
                Scaling.fit(pixels, DataRange.SYMMETRIC).apply(pixels).features().ravel().toFloatVector(), 1e-6f);
        Samples inRange = samples(false, Shape.of(2), 0.2f, 0.4f, 0.6f, 0.8f);
        Dataset kept = Scaling.fitAndApply(inRange, DataRange.UNIT);
        assertEquals(Scaling.Kind.IDENTITY, kept.scaling().kind());
        assertArrayEquals(new float[] {0.2f, 0.4f, 0.6f, 0.8f}, kept.features().ravel().toFloatVector());
    }

    @Test
    void invertUndoesApplyAndTextRoundTripsExactly() {
        Samples images = samples(false, Shape.of(2, 1, 3), 0.1f, -7, 3, 1e-3f, 5, 9, 4, 2, 1, 8, 6, 0.5f);
        for (DataRange range : DataRange.values()) {
            Scaling s = Scaling.fit(images, range);
            INDArray scaled = s.apply(images.features());
            assertArrayEquals(images.features().ravel().toFloatVector(), s.invert(scaled).ravel().toFloatVector(), 1e-5f);
            Scaling parsed = Scaling.parse(s.toText());
            assertEquals(s, parsed);
            assertArrayEquals(scaled.ravel().toFloatVector(), parsed.apply(images.features()).ravel().toFloatVector(), 0f);
        }
    }

    @Test
    void imagesAndSequencesTakeStatisticsPerChannel() {
        // Two 1x2x2 images: channel 0 holds 0, 20, 4, 60 (width 60); channel 1 holds 1, 30, 5, 70 (width 69).
        Samples images = samples(false, Shape.of(1, 2, 2), 0, 1, 20, 30, 4, 5, 60, 70);
        Dataset d = Scaling.fitAndApply(images, DataRange.UNIT);
        assertArrayEquals(new float[] {0, 0, 20 / 60f, 29 / 69f, 4 / 60f, 4 / 69f, 1, 1},
                Layouts.reshape(d.features(), d.sampleShape(), Shape.of(4)).ravel().toFloatVector(), 1e-6f);
        Samples sequence = samples(false, Shape.of(3, 2), 1, 10, 2, 10, 3, 10);
        Dataset s = Scaling.fitAndApply(sequence, DataRange.UNBOUNDED);
        float a = (float) Math.sqrt(1.5);
        // Column 1 never varies: centred and divided by the data's overall spread, not by almost nothing.
        assertArrayEquals(new float[] {-a, 0, 0, 0, a, 0},
                Layouts.reshape(s.features(), s.sampleShape(), Shape.of(6)).ravel().toFloatVector(), 1e-5f);
        // In the engine's layout [n, F, T], a row per feature.
        assertArrayEquals(new float[] {-a, 0, a, 0, 0, 0}, s.features().ravel().toFloatVector(), 1e-5f);
    }

    @Test
    void aReshapedDataSetCarriesTheSameScalingReshaped() {
        Samples images = samples(false, Shape.of(1, 2, 2), 0, 1, 20, 30, 4, 5, 60, 70);
        Dataset reshaped = Scaling.fitAndApply(images, DataRange.UNIT).reshape(Shape.of(4));
        assertEquals(Shape.of(4), reshaped.scaling().sampleShape());
        assertArrayEquals(reshaped.features().ravel().toFloatVector(),
                reshaped.scaling().apply(images.fitTo(Shape.of(4)).features()).ravel().toFloatVector(), 1e-6f);
    }

    @Test
    void malformedTextIsReportedByKey() {
        String text = Scaling.fit(samples(false, Shape.of(2), 0, 5, 2, 9), DataRange.UNIT).toText();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Scaling.parse(text.replaceAll("(?m)^scale=.*$", "")));
        assertEquals("missing scale", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Scaling.parse(text.replaceAll("(?m)^scale=.*$", "scale=1,0")));
        assertTrue(e.getMessage().startsWith("scale 0.0, expected positive"), e.getMessage());
    }

    @Test
    void aShapeThatDoesNotFitTheModelIsReported() {
        Samples s = samples(false, Shape.of(3), 1, 2, 3);
        DataFileException e = assertThrows(DataFileException.class, () -> s.fitTo(Shape.of(2, 2, 1)));
        assertEquals("test.csv: samples of {3} (3 values) do not fit the model's input {2, 2, 1} (4 values)",
                e.getMessage());
    }
}
