package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Nearest-neighbour upsampling of a sequence {@code {T, F}}, as Keras {@code UpSampling1D}:
 * repeats each time step {@code size} times, giving {@code {T * size, F}}. No parameters.
 * Short form {@code @UpSampling1D(2)}; Keras form {@code @UpSampling1D(size = 2)}; set at most one of
 * {@link #value()} and {@link #size()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface UpSampling1D {

    /** Alias of {@link #size()}. */
    int value() default 0;

    /** Repetition factor of each time step, at least 1; default 2. */
    int size() default 0;
}
