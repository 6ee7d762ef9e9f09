package dev.latent.runtime.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GaussianDrawTest {
    private static final int DRAWS = 2_000_000;

    private static Random seeded(long seed) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed);
    }

    /** Standard normal's distribution function, from the error function's series-free approximation (error < 1.5e-7). */
    private static double normalCdf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        double erf = 1 - poly * Math.exp(-x * x / 2);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    @Test
    void drawsFollowTheStandardNormalIncludingItsTails() {
        // The values noise uses, two from each 64-bit word, with a last one from a word of its own.
        float[] drawn = new float[DRAWS - 1];
        new GaussianDraw.Stream(dev.latent.runtime.random.Xoroshiro128.mix(7)).addNormals(drawn, drawn.length, 1f);
        double[] z = new double[DRAWS];
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        for (int i = 0; i < DRAWS; i++) {
            z[i] = i < drawn.length ? drawn[i] : new GaussianDraw.Stream(3).normal();
            sum += z[i];
            squares += z[i] * z[i];
            fourth += z[i] * z[i] * z[i] * z[i];
        }
        double mean = sum / DRAWS;
        double variance = squares / DRAWS - mean * mean;
        assertEquals(0, mean, 0.003);
        assertEquals(1, variance, 0.004);
        assertEquals(3, fourth / DRAWS, 0.03, "kurtosis");
        Arrays.sort(z);
        // Kolmogorov-Smirnov distance to the normal: 1.63 / sqrt(n) is its 1% critical value.
        double distance = 0;
        for (int i = 0; i < DRAWS; i += 97) {
            double cdf = normalCdf(z[i]);
            distance = Math.max(distance, Math.max(Math.abs(cdf - (double) i / DRAWS), Math.abs(cdf - (i + 1.0) / DRAWS)));
        }
        assertTrue(distance < 1.63 / Math.sqrt(DRAWS), "KS distance " + distance);
        // The tail past the ziggurat's base strip (3.44) is drawn by its own branch: 2 x 2.9e-4 of draws.
        long beyond = Arrays.stream(z).filter(v -> Math.abs(v) > 3.5).count();
        double expected = 2 * (1 - normalCdf(3.5)) * DRAWS;
        assertEquals(expected, beyond, 4 * Math.sqrt(expected), "values beyond 3.5 sigma");
        assertTrue(z[0] < -4.5 && z[DRAWS - 1] > 4.5, "extremes " + z[0] + ", " + z[DRAWS - 1]);
    }

    @Test
    void addsScaledNoiseAndClipsWhenAsked() {
        INDArray clean = Nd4j.linspace(0, 1, 50_000, DataType.FLOAT).reshape('c', 50, 1, 25, 40);
        INDArray noise = GaussianDraw.addTo(clean, 0.3, false, 0, 1, seeded(1), null).sub(clean);
        assertEquals(0.3, noise.stdNumber().doubleValue(), 0.005);
        assertEquals(0, noise.meanNumber().doubleValue(), 0.005);
        INDArray clipped = GaussianDraw.addTo(clean, 0.3, true, 0, 1, seeded(1), null);
        assertEquals(0, clipped.minNumber().doubleValue());
        assertEquals(1, clipped.maxNumber().doubleValue());
        assertArrayEquals(clean.shape(), clipped.shape());
        // The same draws, clipped.
        INDArray unclipped = GaussianDraw.addTo(clean, 0.3, false, 0, 1, seeded(1), null);
        assertEquals(Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.clip.ClipByValue(
                unclipped, 0, 1))[0], clipped);
    }

    @Test
    void aViewIsReadFromItsOwnValues() {
        INDArray whole = Nd4j.rand(DataType.FLOAT, 10, 1, 28, 28);
        INDArray view = whole.get(NDArrayIndex.interval(3, 7));
        INDArray copy = view.dup('c');
        assertEquals(GaussianDraw.addTo(copy, 0.5, false, 0, 1, seeded(5), null),
                GaussianDraw.addTo(view, 0.5, false, 0, 1, seeded(5), null));
        // A zero level returns the values themselves.
        assertEquals(copy, GaussianDraw.addTo(view, 0, false, 0, 1, seeded(5), null));
    }

    @Test
    void eachDrawMovesTheGeneratorOnAndItsStateReplaysIt() {
        INDArray clean = Nd4j.zeros(DataType.FLOAT, 64, 784);
        Random random = seeded(11);
        INDArray first = GaussianDraw.addTo(clean, 1, false, 0, 0, random, null);
        long root = random.rootState();
        long node = random.nodeState();
        INDArray second = GaussianDraw.addTo(clean, 1, false, 0, 0, random, null);
        assertFalse(first.equals(second));
        // Successive batches are independent: no correlation between them.
        double correlation = first.mul(second).meanNumber().doubleValue();
        assertEquals(0, correlation, 0.02);
        Random restored = seeded(99);
        restored.setStates(root, node);
        assertEquals(second, GaussianDraw.addTo(clean, 1, false, 0, 0, restored, null));
        assertEquals(first, GaussianDraw.addTo(clean, 1, false, 0, 0, seeded(11), null));
    }

    @Test
    void aBatchDrawnInSlicesIntoAReusedArrayHasTheValuesOfOnePass() {
        // Three slices and an odd tail, so the last value comes from a word of its own.
        int length = 3 * 4096 + 3;
        INDArray clean = Nd4j.rand(DataType.FLOAT, length).reshape('c', 1, length);
        Random random = seeded(21);
        long root = random.rootState();
        long node = random.nodeState();
        float[] expected = clean.toFloatVector();
        new GaussianDraw.Stream(dev.latent.runtime.random.Xoroshiro128.mix(
                root * dev.latent.runtime.random.Xoroshiro128.GOLDEN_GAMMA ^ dev.latent.runtime.random.Xoroshiro128.mix(node)))
                .addNormals(expected, length, 0.7f);

        INDArray reuse = Nd4j.zeros(DataType.FLOAT, 1, length);
        INDArray drawn = GaussianDraw.addTo(clean, 0.7, false, 0, 0, random, reuse);

        assertTrue(drawn == reuse, "the reusable array is filled, not a new one made");
        assertArrayEquals(expected, drawn.toFloatVector());
        assertEquals(GaussianDraw.addTo(clean, 0.7, false, 0, 0, seeded(21), null), drawn);
        // The clean batch itself is never written over.
        assertTrue(GaussianDraw.addTo(clean, 0.7, false, 0, 0, seeded(21), clean) != clean);
    }
}
