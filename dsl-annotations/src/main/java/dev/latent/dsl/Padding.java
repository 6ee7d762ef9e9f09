package dev.latent.dsl;

/** How a convolution or pooling window treats the border, as in Keras. */
public enum Padding {
    /** Pads so that the output size is {@code ceil(input / strides)} (or {@code input * strides} when transposed). */
    SAME,
    /** No padding: the window stays inside the input, so the output shrinks. */
    VALID
}
