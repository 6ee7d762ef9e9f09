package dev.latent.dsl;

/** The reconstruction loss, averaged over every element of the output, as in Keras. */
public enum LossFunction {
    /** Mean squared error. Fits any {@link DataRange}. */
    MSE,
    /** Mean absolute error. Fits any {@link DataRange}; less sensitive to outliers than MSE. */
    MAE,
    /** Binary cross-entropy. Needs data and output in [0, 1] ({@link DataRange#UNIT}, sigmoid output). */
    BINARY_CROSSENTROPY
}
