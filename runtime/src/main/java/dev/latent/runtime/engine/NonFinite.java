package dev.latent.runtime.engine;

import org.bytedeco.javacpp.IntPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether arrays hold NaN or infinite values. oneDNN's ReLU returns 0 for NaN (it is
 * {@code max(x, 0)}), so a batch of NaN, or NaN weights before a ReLU, would otherwise train on
 * with a finite loss, and NaN input would denoise to finite values: the trainer asks of every
 * noisy batch and, once an epoch, of the parameters; inference of every input.
 */
public final class NonFinite {
    /** Values read per copy onto the heap: small, since every batch is scanned and the copy is garbage. */
    private static final int CHUNK = 1 << 13;

    private NonFinite() {}

    /** Whether any of {@code array}'s values is NaN or infinite. */
    public static boolean in(INDArray array) {
        if (array.dataType() != DataType.FLOAT || array.elementWiseStride() != 1 || array.ordering() != 'c') {
            double sum = array.sumNumber().doubleValue();
            return !Double.isFinite(sum);
        }
        long length = array.length();
        IntPointer bits = new IntPointer(array.data().addressPointer());
        int[] chunk = new int[(int) Math.min(CHUNK, length)];
        for (long from = 0; from < length; from += chunk.length) {
            int n = (int) Math.min(chunk.length, length - from);
            bits.position(from).get(chunk, 0, n);
            if (anyNonFinite(chunk, n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any of the first {@code n} float bit patterns has the all-ones exponent of NaN and
     * infinity: adding one to that exponent carries into the sign bit, which no finite value's
     * does. Integer operations only, so the loop vectorises.
     */
    static boolean anyNonFinite(int[] floatBits, int n) {
        int carried = 0;
        for (int i = 0; i < n; i++) {
            carried |= (floatBits[i] & 0x7f800000) + 0x00800000;
        }
        return carried < 0;
    }
}
