package dev.latent.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@code bench --collapse} counts and how it reads a fall in throughput. */
class CollapseBenchTest {

    @Test
    void subnormalMeansNonZeroAndBelowTheSmallestNormalFloat() {
        assertTrue(CollapseBench.isSubnormal(Float.MIN_VALUE));
        assertTrue(CollapseBench.isSubnormal(-1e-40f));
        assertFalse(CollapseBench.isSubnormal(0f));
        assertFalse(CollapseBench.isSubnormal(-0f));
        assertFalse(CollapseBench.isSubnormal(Float.MIN_NORMAL));
        assertFalse(CollapseBench.isSubnormal(1e-30f));
    }

    @Test
    void theFallComparesTheMediansOfTheLastThreeEpochsWithEpochsTwoToFour() {
        // Epoch 1 (the JIT's warm-up) and the middle epochs do not count.
        double[] perEpoch = {100, 4_000, 4_400, 3_900, 1, 1, 1, 2_000, 2_200, 9_999};
        assertEquals(2_200.0 / 4_000, CollapseBench.fall(perEpoch), 1e-12);
    }
}
