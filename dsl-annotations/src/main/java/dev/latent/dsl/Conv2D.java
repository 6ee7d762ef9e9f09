package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution over an {@code {H, W, C}} input, as Keras {@code Conv2D}: weights
 * {@code kernel * kernel * C * filters} plus {@code filters} biases. With {@code SAME} padding the
 * output is {@code {ceil(H / strides), ceil(W / strides), filters}}.
 * Short form {@code @Conv2D(32)}; Keras form {@code @Conv2D(filters = 32, kernel = 3)}. Set exactly
 * one of {@link #value()} and {@link #filters()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2D {
    // Deliberately the same attributes as Conv1D and Conv2DTranspose, as Keras' layers have: an annotation
    // type cannot inherit members, and each layer's attributes are part of the contract (docs/annotations.md).

    /** Alias of {@link #filters()}: the number of output channels. */
    int value() default 0;

    /** The number of output channels (filters), at least 1. */
    int filters() default 0;

    /** Side of the square kernel, in pixels, at least 1; default 3. */
    int kernel() default 3;

    /** Step of the kernel in both directions, at least 1; default 1. */
    int strides() default 1;

    /** Border handling; default {@link Padding#SAME}. */
    Padding padding() default Padding.SAME;

    /** Activation of the output; default {@link Activation#RELU}. */
    Activation activation() default Activation.RELU;
}
