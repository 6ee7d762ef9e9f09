package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reshapes its input to the given shape, in the same order as {@link Autoencoder#inputShape()}
 * ({@code {H, W, C}}, {@code {T, F}} or {@code {N}}; a rank-2 target is a sequence), as Keras {@code Reshape}. The element count must not change.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Reshape {

    /** The target shape; every size at least 1. */
    int[] value();
}
