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

    @Test
    void blockMaskingHidesTheFractionAwayFromTheEdgesInWholeBlocks() {
        long[] shape = {200, 3, 28, 28};
        INDArray clean = Nd4j.valueArrayOf(shape, 0.5, DataType.FLOAT);
        StandardNoise noise = new StandardNoise(0, 0, 0, false).withBlockMasking(0.3, 7);
        INDArray noisy = noise.corrupt(clean, DataRange.UNIT, seeded(6));
        float[] v = values(noisy);
        int hiddenInterior = 0;
        int interior = 0;
        for (int s = 0; s < shape[0]; s++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int at = (int) ((s * 3L * 28 + y) * 28 + x);
                    float first = v[at];
                    assertTrue(first == 0f || first == 0.5f, "masked values are zero, kept ones untouched");
                    for (int c = 1; c < 3; c++) {
                        assertEquals(first, v[at + c * 28 * 28], "every channel of a pixel hidden together");
                    }
                    if (y >= 6 && y < 22 && x >= 6 && x < 22) {
                        interior++;
                        hiddenInterior += first == 0f ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(0.3, hiddenInterior / (double) interior, 0.01, "hidden share away from the edges");
        // Blocks, not pixels: a hidden pixel's right neighbour is hidden far more often than 30%.
        int hiddenPairs = 0;
        int hidden = 0;
        for (int row = 0; row < shape[0] * 28; row++) {
            for (int x = 0; x < 27; x++) {
                int at = (int) (((row / 28) * 3L * 28 + row % 28) * 28 + x);
                if (v[at] == 0f) {
                    hidden++;
                    hiddenPairs += v[at + 1] == 0f ? 1 : 0;
                }
            }
        }
        assertTrue(hiddenPairs / (double) hidden > 0.8, "neighbours of hidden pixels hidden: " + hiddenPairs / (double) hidden);
    }

    @Test
    void blockMaskingOnVectorsHidesSpans() {
        INDArray clean = Nd4j.valueArrayOf(new long[] {500, 200}, 1.0, DataType.FLOAT);
        float[] v = values(new StandardNoise(0, 0, 0, false).withBlockMasking(0.2, 10)
                .corrupt(clean, DataRange.UNIT, seeded(7)));
        int hidden = 0;
        int interior = 0;
        int shortRuns = 0;
        for (int s = 0; s < 500; s++) {
            int run = 0;
            for (int i = 0; i < 200; i++) {
                boolean zero = v[s * 200 + i] == 0f;
                if (i >= 10 && i < 190) {
                    interior++;
                    hidden += zero ? 1 : 0;
                }
                if (zero) {
                    run++;
                } else {
                    // A span cut by the edge may be short; one inside is at least 10 long.
                    shortRuns += run > 0 && run < 10 && i - run > 0 ? 1 : 0;
                    run = 0;
                }
            }
        }
        assertEquals(0.2, hidden / (double) interior, 0.01);
        assertEquals(0, shortRuns, "spans inside a vector are at least blockSize long");
    }

    @Test
    void blockMaskingOnSequencesHidesTimeSpansOfEveryFeature() {
        // 300 sequences of 3 features and 100 steps, as the engine holds them: [n, F, T].
        INDArray clean = Nd4j.valueArrayOf(new long[] {300, 3, 100}, 1.0, DataType.FLOAT);
        INDArray noisy = new StandardNoise(0, 0, 0, false).withBlockMasking(0.25, 6)
                .corrupt(clean, DataRange.UNIT, seeded(9));
        // Every feature of a step is hidden or kept together.
        INDArray perStep = noisy.sum(1);
        float[] counts = values(perStep);
        for (float c : counts) {
            assertTrue(c == 0f || c == 3f, "a step is hidden in all 3 features or none, found " + c);
        }
        int hidden = 0;
        int interior = 0;
        for (int s = 0; s < 300; s++) {
            for (int t = 6; t < 94; t++) {
                interior++;
                hidden += counts[s * 100 + t] == 0f ? 1 : 0;
            }
        }
        assertEquals(0.25, hidden / (double) interior, 0.02);
    }

    @Test
    void blockMaskingIsReproducibleAndFreshEachDraw() {
        INDArray clean = grey(0.5);
        StandardNoise noise = new StandardNoise(0, 0, 0, false).withBlockMasking(0.25, 4);
        Random random = seeded(8);
        INDArray first = noise.corrupt(clean, DataRange.UNIT, random);
        INDArray second = noise.corrupt(clean, DataRange.UNIT, random);
        assertNotEquals(first, second, "each draw hides other blocks");
        assertEquals(first, noise.corrupt(clean, DataRange.UNIT, seeded(8)), "same seed, same blocks");
    }
}
