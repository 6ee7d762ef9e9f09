package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A transposed 2-D convolution, as Keras {@code Conv2DTranspose}: it upsamples. With
 * {@code SAME} padding the output is {@code {H * strides, W * strides, filters}}; with
 * {@code VALID}, {@code {(H - 1) * strides + kernel, ...}}.
 * Short form {@code @Conv2DTranspose(32)}; Keras form {@code @Conv2DTranspose(filters = 32, kernel = 3)}. Set exactly
 * one of {@link #value()} and {@link #filters()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv2DTranspose {
    // Deliberately the same attributes as Conv1D and Conv2D, as Keras' layers have: an annotation
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
