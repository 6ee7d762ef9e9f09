package dev.latent.processor.shape;

import dev.latent.processor.model.Counts;

/**
 * The parameter count of each weighted layer, as Keras and DL4J count them, from its input and its
 * size attribute; without wrapping (see {@link Counts}). Shape inference counts with these, and
 * the limits search them for the largest size that fits.
 */
public final class Parameters {
    private Parameters() {}

    /** A weight per input and unit, and a bias per unit. */
    public static long dense(long inputs, long units) {
        return Counts.plus(Counts.times(inputs, units), units);
    }

    /** A {@code kernel x kernel} window over every input channel per filter, and a bias per filter. */
    public static long conv2D(long kernel, long channels, long filters) {
        return Counts.plus(Counts.product(kernel, kernel, channels, filters), filters);
    }

    /** A window of {@code kernel} steps over every input feature per filter, and a bias per filter. */
    public static long conv1D(long kernel, long features, long filters) {
        return Counts.plus(Counts.product(kernel, features, filters), filters);
    }

    /** Four gates, each with input weights, recurrent weights and a bias. */
    public static long lstm(long features, long units) {
        long gate = Counts.plus(Counts.plus(Counts.times(features, units), Counts.times(units, units)), units);
        return Counts.times(4, gate);
    }

    /** Scale, shift, and the running mean and variance, per feature or channel. */
    public static long batchNormalization(long features) {
        return Counts.times(4, features);
    }
}
