package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sets a random fraction of its input to zero during training (scaling the rest up), as Keras
 * {@code Dropout}; the identity at inference. Short form {@code @Dropout(0.1)}; Keras form
 * {@code @Dropout(rate = 0.1)}; set exactly one of {@link #value()} and {@link #rate()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dropout {

    /** Alias of {@link #rate()}. */
    double value() default 0.0;

    /** Fraction of elements dropped, in [0, 1). */
    double rate() default 0.0;
}
