package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max pooling over square windows, as Keras {@code MaxPooling2D}. No parameters.
 * Short form {@code @MaxPool2D(2)}; Keras form {@code @MaxPool2D(size = 2)}; set at most one of
 * {@link #value()} and {@link #size()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface MaxPool2D {

    /** Alias of {@link #size()}. */
    int value() default 0;

    /** Side of the square pooling window, at least 1; default 2. */
    int size() default 0;

    /** Step of the window, at least 1; 0 (the default) means equal to the window size, as in Keras. */
    int strides() default 0;

    /** Border handling; default {@link Padding#SAME}, so an odd size rounds up. */
    Padding padding() default Padding.SAME;
}
