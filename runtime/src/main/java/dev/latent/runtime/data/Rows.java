package dev.latent.runtime.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Samples (the first dimension's slices) copied between dense row-major arrays by address, one
 * native copy a sample or a run of samples, into arrays kept from step to step: ND4J's
 * {@code pullRows} and {@code get} make a new array or view each call, and a new array of a
 * training set's size cost its page faults again every epoch.
 */
public final class Rows {
    private Rows() {}

    /** Whether {@code array}'s values lie row-major and contiguous, so that its samples can be copied by address. */
    public static boolean copyable(INDArray array) {
        return array.rank() >= 1 && array.ordering() == 'c' && array.elementWiseStride() == 1 && array.size(0) > 0
                && array.stride(0) == array.length() / array.size(0);
    }

    /** Copies sample {@code order[i]} of {@code source} into sample {@code i} of {@code target}, for each i. */
    public static void gather(INDArray source, int[] order, INDArray target) {
        long bytes = requireSameSamples(source, target, order.length);
        BytePointer from = new BytePointer(source.data().addressPointer());
        BytePointer to = new BytePointer(target.data().addressPointer());
        for (int i = 0; i < order.length; i++) {
            if (order[i] < 0 || order[i] >= source.size(0)) {
                throw new IndexOutOfBoundsException("sample " + order[i] + " of " + source.size(0));
            }
            Pointer.memcpy(to.position(i * bytes), from.position(order[i] * bytes), bytes);
        }
    }

    /** Copies samples {@code [from, from + target's samples)} of {@code source} into {@code target}. */
    public static void copy(INDArray source, long from, INDArray target) {
        long count = target.size(0);
        long bytes = requireSameSamples(source, target, count);
        if (from < 0 || from + count > source.size(0)) {
            throw new IndexOutOfBoundsException("samples " + from + " to " + (from + count) + " of " + source.size(0));
        }
        Pointer.memcpy(new BytePointer(target.data().addressPointer()),
                new BytePointer(source.data().addressPointer()).position(from * bytes), count * bytes);
    }

    /** The bytes of one sample, after checking that both arrays can be copied by address and hold samples alike. */
    private static long requireSameSamples(INDArray source, INDArray target, long targetSamples) {
        if (!copyable(source) || !copyable(target)) {
            throw new IllegalArgumentException("samples are copied between dense row-major arrays only");
        }
        long sampleLength = source.length() / source.size(0);
        if (source.dataType() != target.dataType() || target.length() / target.size(0) != sampleLength
                || target.size(0) != targetSamples) {
            throw new IllegalArgumentException("cannot copy samples of " + source.shapeInfoToString() + " into "
                    + target.shapeInfoToString());
        }
        return sampleLength * source.dataType().width();
    }
}
