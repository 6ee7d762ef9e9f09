package dev.latent.runtime.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The cuts {@link Samples} and {@link Dataset} both make: a range of samples, and a held-out tail's size. */
final class SampleCuts {
    private SampleCuts() {}

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) of {@code features}, as a view. */
    static INDArray slice(INDArray features, int from, int to) {
        long size = features.size(0);
        if (from < 0 || to > size || from >= to) {
            throw new IllegalArgumentException("cannot take samples [" + from + ", " + to + ") of " + size);
        }
        return features.get(NDArrayIndex.interval(from, to));
    }

    /**
     * How many of {@code size} samples the last {@code fraction} holds, rounded; the caller refuses
     * a split that leaves one side empty, in its own words.
     */
    static int heldOut(double fraction, int size) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1), found " + fraction);
        }
        return (int) Math.round(size * fraction);
    }
}
