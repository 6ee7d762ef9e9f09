package dev.latent.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NonFiniteTest {
    @Test
    void findsNaNAndBothInfinitiesAnywhereButNotTheLargestFiniteValues() {
        // Many chunks of 8,192 values, the last one short.
        INDArray values = Nd4j.rand(DataType.FLOAT, 3, 50_000).subi(0.5).muli(Float.MAX_VALUE);
        values.putScalar(0, 0, Float.MAX_VALUE);
        values.putScalar(1, 7, -Float.MAX_VALUE);
        values.putScalar(2, 9, Float.MIN_VALUE);
        assertFalse(NonFinite.in(values));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (long[] at : new long[][] {{0, 0}, {1, 8_191}, {2, 49_999}}) {
                INDArray copy = values.dup();
                copy.putScalar(at, bad);
                assertTrue(NonFinite.in(copy), bad + " at " + at[0] + ", " + at[1]);
            }
        }
    }

    @Test
    void readsAViewFromItsOwnFirstValue() {
        INDArray whole = Nd4j.rand(DataType.FLOAT, 10, 784);
        whole.putScalar(1, 3, Float.NaN);
        assertFalse(NonFinite.in(whole.get(NDArrayIndex.interval(2, 10))));
        assertTrue(NonFinite.in(whole.get(NDArrayIndex.interval(1, 10))));
        // Other types and layouts take the slower path.
        assertTrue(NonFinite.in(whole.castTo(DataType.DOUBLE)));
        assertTrue(NonFinite.in(whole.transpose()));
    }
}
