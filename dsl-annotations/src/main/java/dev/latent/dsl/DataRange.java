package dev.latent.dsl;

/**
 * What the data is, after Latent scales it. Noise is clipped to this range, and the output
 * activation and the loss are checked against it.
 */
public enum DataRange {
    /** Values in [0, 1]; raw 8-bit pixels are divided by 255. The default. */
    UNIT(0.0, 1.0),
    /** Values in [-1, 1]; raw 8-bit pixels are mapped by {@code p / 127.5 - 1}. */
    SYMMETRIC(-1.0, 1.0),
    /** Standardised values (mean 0, standard deviation 1 per feature); no bounds, so no clipping. */
    UNBOUNDED(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    private final double min;
    private final double max;

    DataRange(double min, double max) {
        this.min = min;
        this.max = max;
    }

    /** The smallest value the data can take; negative infinity when unbounded. */
    public double min() {
        return min;
    }

    /** The largest value the data can take; positive infinity when unbounded. */
    public double max() {
        return max;
    }

    /** Whether the range has finite bounds that noise is clipped to. */
    public boolean isBounded() {
        return this != UNBOUNDED;
    }
}
