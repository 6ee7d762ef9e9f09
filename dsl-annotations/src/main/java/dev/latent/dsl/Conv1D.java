package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 1-D convolution along the time axis of a sequence {@code {T, F}}, as Keras {@code Conv1D}:
 * weights {@code kernel * F * filters} plus {@code filters} biases. With {@code SAME} padding the
 * output is {@code {ceil(T / strides), filters}}; with {@code VALID} it is
 * {@code {(T - kernel) / strides + 1, filters}}.
 * Short form {@code @Conv1D(32)}; Keras form {@code @Conv1D(filters = 32, kernel = 3)}. Set exactly
 * one of {@link #value()} and {@link #filters()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Conv1D {
    // Deliberately the same attributes as Conv2D and Conv2DTranspose, as Keras' layers have: an annotation
    // type cannot inherit members, and each layer's attributes are part of the contract (docs/annotations.md).

    /** Alias of {@link #filters()}: the number of output features. */
    int value() default 0;

    /** The number of output features (filters), at least 1. */
    int filters() default 0;

    /** Length of the kernel, in time steps, at least 1; default 3. */
    int kernel() default 3;

    /** Step of the kernel, in time steps, at least 1; default 1. */
    int strides() default 1;

    /** Border handling; default {@link Padding#SAME}. */
    Padding padding() default Padding.SAME;

    /** Activation of the output; default {@link Activation#RELU}. */
    Activation activation() default Activation.RELU;
}
