package dev.latent.runtime.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latent.dsl.DataRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

class StandardNoiseTest {
    // 100,000 elements: sampling error of a fraction near 0.3 is about 0.0015.
    private static final long[] BATCH = {125, 1, 20, 40};

    private static Random seeded(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    private static INDArray grey(double value) {
        return Nd4j.valueArrayOf(BATCH, value, DataType.FLOAT);
    }

    /** Values 0 to 1 spread over the batch, so clipping has edges to act on. */
    private static INDArray ramp() {
        long n = BATCH[0] * BATCH[1] * BATCH[2] * BATCH[3];
        return Nd4j.linspace(0, 1, n, DataType.FLOAT).reshape('c', BATCH);
    }

    private static float[] values(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    @Test
    void clippedOutputStaysInTheRange() {
        StandardNoise noise = new StandardNoise(0.5, 0.2, 0.1, true);
        INDArray unit = noise.corrupt(ramp(), DataRange.UNIT, seeded(1));
        assertTrue(unit.minNumber().doubleValue() >= 0);
        assertTrue(unit.maxNumber().doubleValue() <= 1);
        INDArray symmetric = noise.corrupt(ramp().mul(2).subi(1), DataRange.SYMMETRIC, seeded(1));
        assertTrue(symmetric.minNumber().doubleValue() >= -1);
        assertTrue(symmetric.maxNumber().doubleValue() <= 1);
        // Strong noise on unbounded data is not clipped.
        INDArray unbounded = new StandardNoise(0.5, 0, 0, true).corrupt(ramp(), DataRange.UNBOUNDED, seeded(1));
        assertTrue(unbounded.maxNumber().doubleValue() > 1.5);
    }

    @Test
    void cleanInputIsUnchanged() {
        INDArray clean = ramp();
        INDArray copy = clean.dup();
        INDArray noisy = new StandardNoise(0.3, 0.3, 0.3, true).corrupt(clean, DataRange.UNIT, seeded(2));
        assertEquals(copy, clean);
        assertNotEquals(clean, noisy);
    }

    @Test
    void sameSeedSameNoiseOtherSeedOtherNoise() {
        StandardNoise noise = new StandardNoise(0.2, 0.1, 0.05, true);
        INDArray a = noise.corrupt(ramp(), DataRange.UNIT, seeded(42));
        INDArray b = noise.corrupt(ramp(), DataRange.UNIT, seeded(42));
        INDArray c = noise.corrupt(ramp(), DataRange.UNIT, seeded(43));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void gaussianHasTheRequestedStandardDeviation() {
        INDArray clean = grey(0.5);
        INDArray diff = new StandardNoise(0.1, 0, 0, false).corrupt(clean, DataRange.UNIT, seeded(3)).sub(clean);
        assertEquals(0.1, diff.stdNumber().doubleValue(), 0.002);
        assertEquals(0.0, diff.meanNumber().doubleValue(), 0.002);
    }

    @Test
    void maskingZeroesTheRequestedFraction() {
        float[] noisy = values(new StandardNoise(0, 0.3, 0, false).corrupt(grey(0.5), DataRange.UNIT, seeded(4)));
        int zeros = 0;
        for (float v : noisy) {
            assertTrue(v == 0f || v == 0.5f, "masking only zeroes: " + v);
            zeros += v == 0f ? 1 : 0;
        }
        assertEquals(0.3, zeros / (double) noisy.length, 0.01);
    }

    @Test
    void saltAndPepperSetsTheRequestedFractionToTheRangeBounds() {
        for (DataRange range : new DataRange[] {DataRange.UNIT, DataRange.SYMMETRIC}) {
            float mid = (float) ((range.min() + range.max()) / 2 + 0.25);
            float[] noisy = values(new StandardNoise(0, 0, 0.2, false).corrupt(grey(mid), range, seeded(5)));
            int low = 0;
            int high = 0;
            for (float v : noisy) {
                assertTrue(v == mid || v == (float) range.min() || v == (float) range.max(), range + ": " + v);
                low += v == (float) range.min() ? 1 : 0;
                high += v == (float) range.max() ? 1 : 0;
            }
            assertEquals(0.2, (low + high) / (double) noisy.length, 0.01, range.toString());
            assertEquals(0.5, low / (double) (low + high), 0.03, range + ": pepper and salt equally likely");
        }
    }
}
