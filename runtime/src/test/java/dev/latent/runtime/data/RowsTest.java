package dev.latent.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class RowsTest {
    private static final INDArray SAMPLES = Nd4j.arange(5 * 2 * 3).castTo(DataType.FLOAT).reshape('c', 5, 2, 3);

    @Test
    void gathersSamplesInTheGivenOrderAsNd4jPullsRows() {
        int[] order = {4, 0, 2, 2};
        INDArray target = Nd4j.zeros(DataType.FLOAT, 4, 2, 3);

        Rows.gather(SAMPLES, order, target);

        assertEquals(Nd4j.pullRows(SAMPLES.reshape('c', 5, 6), 1, order).reshape('c', 4, 2, 3), target);
    }

    @Test
    void copiesARunOfSamples() {
        INDArray target = Nd4j.zeros(DataType.FLOAT, 2, 2, 3);

        Rows.copy(SAMPLES, 3, target);

        assertEquals(SAMPLES.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 5)), target);
    }

    @Test
    void refusesWhatCannotBeCopiedByAddressOrLiesOutside() {
        INDArray columnMajor = SAMPLES.reshape('c', 5, 6).dup('f');
        assertFalse(Rows.copyable(columnMajor));
        assertTrue(Rows.copyable(SAMPLES));
        assertThrows(IllegalArgumentException.class, () -> Rows.copy(columnMajor, 0, Nd4j.zeros(DataType.FLOAT, 1, 6)));
        assertThrows(IllegalArgumentException.class, () -> Rows.copy(SAMPLES, 0, Nd4j.zeros(DataType.DOUBLE, 1, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> Rows.copy(SAMPLES, 0, Nd4j.zeros(DataType.FLOAT, 1, 7)));
        assertThrows(IndexOutOfBoundsException.class, () -> Rows.copy(SAMPLES, 4, Nd4j.zeros(DataType.FLOAT, 2, 2, 3)));
        assertThrows(IndexOutOfBoundsException.class, () -> Rows.gather(SAMPLES, new int[] {5}, Nd4j.zeros(DataType.FLOAT, 1, 2, 3)));
    }
}
