package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Nearest-neighbour upsampling, as Keras {@code UpSampling2D}: repeats each pixel
 * {@code size} times in both directions. No parameters.
 * Short form {@code @UpSampling2D(2)}; Keras form {@code @UpSampling2D(size = 2)}; set at most one of
 * {@link #value()} and {@link #size()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface UpSampling2D {

    /** Alias of {@link #size()}. */
    int value() default 0;

    /** Repetition factor in both directions, at least 1; default 2. */
    int size() default 0;
}
