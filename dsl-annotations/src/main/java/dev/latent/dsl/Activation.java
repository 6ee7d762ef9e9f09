package dev.latent.dsl;

/** A layer's activation function, by its Keras name. */
public enum Activation {
    /** {@code max(0, x)}; range [0, inf). */
    RELU,
    /** {@code x} for x &gt; 0, {@code 0.01 x} otherwise (DL4J's default slope); unbounded. */
    LEAKY_RELU,
    /** {@code x} for x &gt; 0, {@code exp(x) - 1} otherwise; range (-1, inf). */
    ELU,
    /** {@code 1 / (1 + exp(-x))}; range (0, 1). */
    SIGMOID,
    /** Hyperbolic tangent; range (-1, 1). */
    TANH,
    /** {@code log(1 + exp(x))}; range (0, inf). */
    SOFTPLUS,
    /** No activation: {@code x}; unbounded. */
    IDENTITY
}
