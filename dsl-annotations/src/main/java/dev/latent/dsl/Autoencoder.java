package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a denoising autoencoder. Put it on a top-level or nested interface that holds one
 * {@link Encoder} and one {@link Decoder} interface. For an interface {@code p.Name} the processor
 * generates {@code p.NameNetwork} and {@code p.NameTrainer}; for a nested {@code p.Outer.Name},
 * {@code p.Outer_NameNetwork} and {@code p.Outer_NameTrainer}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Autoencoder {

    /**
     * The shape of one sample, in Keras order: {@code {H, W, C}} for an image (e.g.
     * {@code {28, 28, 1}}), {@code {T, F}} for a sequence of T time steps of F features,
     * {@code {N}} for a vector. Every size must be positive. Required. A sample, and every
     * layer's output, holds at most {@code Integer.MAX_VALUE} values; each layer, and the whole
     * network, at most {@code Integer.MAX_VALUE} parameters.
     */
    int[] inputShape();

    /** What the data is after scaling; default {@link DataRange#UNIT}, [0, 1]. */
    DataRange range() default DataRange.UNIT;
}
