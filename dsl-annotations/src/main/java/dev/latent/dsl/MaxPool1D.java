package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max pooling over windows of time steps of a sequence {@code {T, F}}, as Keras
 * {@code MaxPooling1D}. No parameters.
 * Short form {@code @MaxPool1D(2)}; Keras form {@code @MaxPool1D(size = 2)}; set at most one of
 * {@link #value()} and {@link #size()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPool1D {

    /** Alias of {@link #size()}. */
    int value() default 0;

    /** Length of the pooling window, in time steps, at least 1; default 2. */
    int size() default 0;

    /** Step of the window, in time steps, at least 1; 0 (the default) means equal to the window size, as in Keras. */
    int strides() default 0;

    /**
     * Border handling; default {@link Padding#SAME}, the contract's default for every layer (and
     * {@code @MaxPool2D}'s): a last partial window is kept. Keras' {@code MaxPooling1D} defaults to
     * VALID, which drops it.
     */
    Padding padding() default Padding.SAME;
}
