package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** The branch-free mask fill gives what a plain comparison of each 32-bit draw gives. */
class MaskRandomTest {

    @Test
    void fillsAsEachDrawComparedWithTheKeepProbability() {
        for (int n : new int[] {1, 2, 7, 64, 1001}) {
            for (double keep : new double[] {0.1, 0.5, 0.9, 1.0}) {
                float scale = (float) (1 / keep);
                float[] mask = new float[n];
                new MaskRandom(17L).fill(mask, new long[(n + 1) / 2], n, keep, scale);

                float[] expected = new float[n];
                MaskRandom reference = new MaskRandom(17L);
                for (int i = 0; i < n; i += 2) {
                    long bits = reference.next();
                    double low = (bits & 0xffffffffL) / 4294967296.0;
                    double high = (bits >>> 32) / 4294967296.0;
                    expected[i] = low < keep ? scale : 0f;
                    if (i + 1 < n) {
                        expected[i + 1] = high < keep ? scale : 0f;
                    }
                }
                assertArrayEquals(expected, mask, n + " values, keep " + keep);
            }
        }
    }
}
