package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer over a vector input, as Keras {@code Dense}: {@code inputs * units}
 * weights plus {@code units} biases. An image must be flattened first ({@link Flatten}).
 * Short form {@code @Dense(128)}; Keras form {@code @Dense(units = 128)}; set exactly one of
 * {@link #value()} and {@link #units()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dense {

    /** Alias of {@link #units()}. */
    int value() default 0;

    /** Output size, at least 1. */
    int units() default 0;

    /** Activation of the output; default {@link Activation#RELU}. */
    Activation activation() default Activation.RELU;
}
