package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Normalises each feature (each channel of an image) over the batch, as Keras
 * {@code BatchNormalization}: {@code 4 * features} parameters, half of them learned
 * (scale and shift), half running statistics.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface BatchNormalization {

    /** Momentum of the running mean and variance, in [0, 1); default 0.99, as Keras. */
    double momentum() default 0.99;

    /** Added to the variance to avoid dividing by zero, greater than 0; default 1e-3, as Keras. */
    double epsilon() default 1e-3;
}
