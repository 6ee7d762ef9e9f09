package dev.latent.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The corruption the network learns to undo. The kinds compose, applied in the order
 * gaussian, masking, block masking, salt-and-pepper. Without {@code @Noise} a model trains on clean input
 * (a plain autoencoder).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Noise {

    /** Standard deviation of additive Gaussian noise, in data units; 0 (the default) for none. */
    double gaussian() default 0.0;

    /** Fraction of input elements set to zero, in [0, 1); 0 (the default) for none. */
    double masking() default 0.0;

    /**
     * Fraction of each sample hidden (set to zero) under randomly placed square blocks of
     * {@link #blockSize} pixels, in [0, 1); 0 (the default) for none. Blocks land anywhere,
     * may overlap and may cross the edge; all channels of a pixel are hidden together. On a
     * vector input the blocks are spans of {@code blockSize} consecutive values. Scattered
     * single pixels ({@link #masking}) are easy to fill in from their neighbours; blocks make
     * the network use context.
     */
    double blockMasking() default 0.0;

    /**
     * Side of each {@link #blockMasking} block in pixels (span length on vectors), from 1 to the
     * input's smaller side; default 4.
     */
    int blockSize() default 4;

    /**
     * Fraction of input elements set to the range's minimum or maximum (half each), in [0, 1);
     * 0 (the default) for none. Needs a bounded {@link DataRange}.
     */
    double saltAndPepper() default 0.0;

    /** Whether the noisy input is clipped back to the {@link Autoencoder#range()}; default true. */
    boolean clip() default true;

    /** How often noise is drawn anew; default {@link Resample#EVERY_BATCH}. */
    Resample resample() default Resample.EVERY_BATCH;

    /**
     * A class implementing {@code dev.latent.runtime.noise.NoiseModel}, with a public no-argument
     * constructor, used instead of the built-in kinds. Default {@code void.class}: none.
     */
    Class<?> custom() default void.class;
}
